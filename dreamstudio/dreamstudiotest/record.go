package dreamstudiotest

import (
	"net/http"
	"slices"
)

// redacted replaces the Authorization header's value in recorded requests, so a recorded request
// can be printed in a failure message without leaking a key.
const redacted = "[redacted]"

// Request is a request the server received.
type Request struct {
	Method string
	// Path is the escaped path as sent on the wire, e.g. "/v1/generation/a%20b/text-to-image".
	Path string
	// Header holds the request's headers, with the value of Authorization replaced by
	// "[redacted]".
	Header http.Header
	// Authorized reports whether Authorization was exactly "Bearer <Server.Key>".
	Authorized bool
	Body       []byte
}

// Requests returns the requests received so far, oldest first, including refused ones.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

func (s *Server) record(r *http.Request, body []byte) {
	header := r.Header.Clone()
	if header.Get("Authorization") != "" {
		header.Set("Authorization", redacted)
	}
	req := Request{
		Method:     r.Method,
		Path:       r.URL.EscapedPath(),
		Header:     header,
		Authorized: r.Header.Get("Authorization") == "Bearer "+s.Key,
		Body:       body,
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, req)
}
