package dreamstudiotest

import (
	"io"
	"net/http"
	"slices"
	"strconv"
)

// maxRequestBody is the largest body the API takes: its 413 answer says "Your request was larger
// than 10MiB." The fake reads one byte more, to tell a body over the limit.
const maxRequestBody = 10 << 20

// maxDrain bounds what the fake reads, and throws away, of a body over maxRequestBody, so that a
// client still sending gets the 413 answer rather than a reset connection.
const maxDrain = 64 << 20

// serveHTTP checks and records a request, then answers it in the order the real API would: a
// malformed request or an injected fault first, then the key, the rate limit and the operation.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	// A panic here is a bug in the fake or a request it failed to refuse;
	// net/http would swallow it, so report it to the test.
	defer func() {
		if p := recover(); p != nil {
			s.tb.Errorf("dreamstudiotest: %s %s: the fake panicked: %v", r.Method, r.URL.Path, p)
			http.Error(w, "fake panicked", http.StatusInternalServerError)
		}
	}()
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err == nil && len(body) > maxRequestBody {
		_, err = io.Copy(io.Discard, io.LimitReader(r.Body, maxDrain))
	}
	if err != nil {
		s.tb.Errorf("dreamstudiotest: %s %s: read body: %v", r.Method, r.URL.Path, err)
		return
	}
	s.record(r, body)
	resp := s.handle(r, body)
	if resp == nil {
		return // The client went away while the generation was held.
	}
	resp.write(w)
}

func (s *Server) handle(r *http.Request, body []byte) *response {
	if resp, ok := s.handleV2(r, body); ok {
		return resp
	}
	route, err := s.desc.findRoute(r)
	if err != nil {
		s.tb.Errorf("dreamstudiotest: %s %s is not an operation of the Stability v1 API: %v",
			r.Method, r.URL.Path, err)
		return s.fail(http.StatusNotFound, "not_found", "The requested resource was not found.")
	}
	if resp := s.checkV1(r, body, route); resp != nil {
		return resp
	}
	op := route.operation()
	if resp := s.takeFault(op == "textToImage" || op == "imageToImage"); resp != nil {
		return resp
	}
	if resp := s.authorize(r); resp != nil {
		return resp
	}
	if resp := s.rateLimit(); resp != nil {
		return resp
	}

	var resp *response
	switch op {
	case "listEngines":
		resp = s.listEngines()
	case "userBalance":
		resp = s.userBalance()
	case "textToImage":
		resp = s.textToImage(r, body, route.params["engine_id"])
	case "imageToImage":
		resp = s.imageToImage(r, body, route.params["engine_id"])
	default:
		s.tb.Errorf("dreamstudiotest: %s %s: operation %s is not implemented by the fake", r.Method, r.URL.Path, op)
		return s.fail(http.StatusNotImplemented, "not_implemented", "operation "+op+" is not implemented by dreamstudiotest")
	}
	if resp == nil {
		return nil
	}
	resp.header.Set("Content-Length", strconv.Itoa(len(resp.body)))
	if err := s.desc.checkResponse(r, route, resp); err != nil {
		s.tb.Errorf("dreamstudiotest: bug in the fake: its answer to %s %s does not match the description: %v",
			r.Method, r.URL.Path, err)
	}
	if resp.damage != nil {
		// Damaged only now, so that the answer checked is the one the API meant to send.
		return resp.damage.damage(resp)
	}
	return resp
}

// checkV1 answers a v1 request the description refuses, as the real API would, and fails the
// test; it returns nil for a request to go on with.
func (s *Server) checkV1(r *http.Request, body []byte, route *route) *response {
	if route.operation() == "imageToImage" && len(body) > maxRequestBody {
		// The picture is all that can make a v1 body this large.
		s.tb.Errorf("dreamstudiotest: %s %s: the real API answers 400 invalid_file_size: the body is over 10 MiB",
			r.Method, r.URL.Path)
		return s.fail(http.StatusBadRequest, "invalid_file_size", "init_image: files may be at most 10MiB")
	}
	if err := s.desc.checkRequest(r, body, route); err != nil {
		s.tb.Errorf("dreamstudiotest: %s %s: the real API would refuse this request: %s\nbody: %.2000q",
			r.Method, r.URL.Path, firstLine(err), body)
		return s.fail(http.StatusBadRequest, "bad_request", shortReason(err))
	}
	for _, field := range s.desc.unknownFields(route, body) {
		s.tb.Errorf("dreamstudiotest: %s %s: field %s is not in the API description; the real API would ignore it",
			r.Method, r.URL.Path, field)
	}
	return nil
}

// authorize answers 401 unless the request carries "Authorization: Bearer <Key>". The messages
// never repeat the key that was sent.
func (s *Server) authorize(r *http.Request) *response {
	got := r.Header.Get("Authorization")
	switch {
	case got == "":
		return s.fail(http.StatusUnauthorized, "unauthorized", "missing authorization header")
	case got != "Bearer "+s.Key:
		return s.fail(http.StatusUnauthorized, "unauthorized", "Incorrect API key provided.")
	}
	return nil
}

func (s *Server) listEngines() *response {
	s.mu.Lock()
	engines := append([]Engine{}, s.engines...) // never null: the API answers a bare array
	s.mu.Unlock()
	return jsonResponse(http.StatusOK, engines)
}

func (s *Server) userBalance() *response {
	s.mu.Lock()
	credits := s.balance
	s.mu.Unlock()
	return jsonResponse(http.StatusOK, struct {
		Credits float64 `json:"credits"`
	}{credits})
}

func (s *Server) hasEngine(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.ContainsFunc(s.engines, func(e Engine) bool { return e.ID == id })
}
