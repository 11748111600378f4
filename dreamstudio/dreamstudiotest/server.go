package dreamstudiotest

import (
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Server is a running fake Stability API. Create it with NewServer; the test's cleanup closes it.
type Server struct {
	// URL is the base URL of the server, "http://127.0.0.1:port", without a trailing slash.
	URL string
	// Key is the API key the server accepts. Do not change it after NewServer returns.
	Key string

	tb      testing.TB
	srv     *httptest.Server
	desc    *description
	cfg     config
	closing chan struct{}

	mu sync.Mutex
	// The fields below are guarded by mu.
	engines     []Engine
	balance     float64
	requests    []Request
	faults      []*Fault
	imageFaults []*ImageFault
	finish      []string
	generations int
	gate        chan struct{}
	held        int
	heldChanged chan struct{}
	limiter     window
	rand        *rand.Rand
}

// NewServer starts a fake Stability API on 127.0.0.1 and closes it when tb's test ends.
func NewServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	desc, err := loadedDescription()
	if err != nil {
		tb.Fatal(err)
	}
	cfg := defaultConfig()
	for _, opt := range opts {
		opt(&cfg)
	}
	s := &Server{
		Key:         cfg.key,
		tb:          tb,
		desc:        desc,
		cfg:         cfg,
		closing:     make(chan struct{}),
		engines:     cfg.engines,
		balance:     cfg.balance,
		heldChanged: make(chan struct{}),
		limiter:     window{limit: cfg.limit, span: cfg.window, lockout: cfg.lockout},
		// A fixed seed keeps random seeds and error ids the same from run to run.
		rand: rand.New(rand.NewPCG(1, 2)),
	}
	// The description's servers are rewritten to 127.0.0.1, so listen there explicitly rather than
	// let httptest fall back to [::1].
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("dreamstudiotest: listen: %v", err)
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	s.srv.Listener.Close()
	s.srv.Listener = l
	s.srv.Start()
	s.URL = s.srv.URL
	tb.Cleanup(s.close)
	return s
}

// close releases held generations, so that httptest.Server.Close, which waits for every
// outstanding request, cannot hang.
func (s *Server) close() {
	close(s.closing)
	s.srv.Close()
}

// Client returns an *http.Client suited to the server.
func (s *Server) Client() *http.Client {
	return s.srv.Client()
}

// SetEngines replaces the engines the server lists and generates with.
func (s *Server) SetEngines(engines ...Engine) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.engines = append([]Engine(nil), engines...)
}

// SetBalance sets the credits GET /v1/user/balance reports; each image generated from then on
// takes its price from them (see Balance).
func (s *Server) SetBalance(credits float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.balance = credits
}

// Generations returns how many images the server has generated, one per sample answered with
// 200: what a real account would have been charged for. An image-to-image generation counts like
// text-to-image; a v2beta upscale counts as one, as it is charged as one. Refused requests do not count, and neither do
// they cost credits.
func (s *Server) Generations() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.generations
}

// FinishNext queues finish reasons ("SUCCESS", "ERROR" or "CONTENT_FILTERED") for the next
// generations, one per generation; once the queue is empty generations finish with SUCCESS.
// The image is sent whatever the reason, as the real API does.
func (s *Server) FinishNext(reasons ...string) {
	s.tb.Helper()
	for _, r := range reasons {
		if r != finishSuccess && r != finishError && r != finishContentFiltered {
			s.tb.Errorf("dreamstudiotest: FinishNext(%q): not a finish reason of the API", r)
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.finish = append(s.finish, reasons...)
}

// now reads the configured clock.
func (s *Server) now() time.Time {
	return s.cfg.now()
}
