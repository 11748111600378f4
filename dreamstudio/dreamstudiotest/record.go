package dreamstudiotest

import (
	"mime"
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
	// Form holds the text fields of a multipart/form-data body (a v2beta request), nil for any
	// other body. A field sent twice is refused (and fails the test), so one value each is enough.
	Form map[string]string
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
		Form:       recordedForm(r, body),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, req)
}

// recordedForm returns the text fields of a multipart body, or nil. A body that does not parse is
// reported by the handler.
func recordedForm(r *http.Request, body []byte) map[string]string {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return nil
	}
	form, err := parseV2Form(r, body)
	if err != nil {
		return nil
	}
	fields := make(map[string]string, len(form.values))
	for name := range form.values {
		fields[name] = form.get(name)
	}
	return fields
}
