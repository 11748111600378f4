package metrics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Server serves the metrics and the health check on one address, from Listen to Stop.
type Server struct {
	ln     net.Listener
	srv    *http.Server
	served chan error
}

// Listen binds addr (host:port; port 0 picks a free one, which Addr tells) and serves h there in
// the background. Binding now, rather than in the background, makes a taken port an error at
// start.
func Listen(addr string, h http.Handler) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for metrics: %w", err)
	}
	s := &Server{
		ln: ln,
		// Scrapes and health checks are small and quick: a client that dawdles is cut off.
		srv: &http.Server{
			Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
			WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute,
		},
		served: make(chan error, 1),
	}
	go func() { s.served <- s.srv.Serve(ln) }()
	return s, nil
}

// Addr is the address the server listens on, with the port it got.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Stop stops taking connections and lets requests under way finish, for at most timeout, then
// closes whatever is left.
func (s *Server) Stop(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if err != nil {
		err = errors.Join(fmt.Errorf("stop metrics server: %w", err), s.srv.Close())
	}
	if served := <-s.served; !errors.Is(served, http.ErrServerClosed) {
		err = errors.Join(err, fmt.Errorf("metrics server: %w", served))
	}
	return err
}
