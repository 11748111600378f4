package dreamstudiotest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// response is an answer built in full before it is sent, so it can be checked against the
// description first and always carries Content-Length (required on generation answers).
type response struct {
	status int
	header http.Header
	body   []byte
	// artifacts marks the JSON generation answer, whose body the description gets wrong (see
	// checkResponse).
	artifacts bool
	// stream, when set, writes a body of size bytes in place of body: an answer too large to
	// hold.
	stream func(w io.Writer) error
	size   int64
	// chunked sends the answer without Content-Length.
	chunked bool
	// damage, when set, is applied to the answer once it has been checked.
	damage *ImageFault
}

// apiError is the body of every error answer. The real API sends exactly these three fields; the
// description's Error schema also requires a "status" it never sends.
type apiError struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Message string `json:"message"`
}

func jsonResponse(status int, v any) *response {
	body, err := json.Marshal(v)
	if err != nil {
		// Only the fake's own types are marshalled; failing here is a bug in the fake.
		panic(fmt.Sprintf("dreamstudiotest: marshal %T: %v", v, err))
	}
	return &response{
		status: status,
		header: http.Header{"Content-Type": {"application/json"}},
		body:   body,
	}
}

// fail builds an error answer shaped like the real API's, with a fresh error id.
func (s *Server) fail(status int, name, message string) *response {
	return jsonResponse(status, apiError{ID: s.newID(), Name: name, Message: message})
}

// newID returns a random id shaped like the UUIDs the real API puts in error bodies.
func (s *Server) newID() string {
	s.mu.Lock()
	a, b := s.rand.Uint64(), s.rand.Uint64()
	s.mu.Unlock()
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x",
		a>>32, (a>>16)&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

func (resp *response) write(w http.ResponseWriter) {
	for k, v := range resp.header {
		w.Header()[k] = v
	}
	size := int64(len(resp.body))
	if resp.stream != nil {
		size = resp.size
	}
	if resp.chunked {
		w.Header().Del("Content-Length")
		w.WriteHeader(resp.status)
		// Sending the header before any of the body keeps net/http from adding a
		// Content-Length to a short answer.
		_ = http.NewResponseController(w).Flush()
	} else {
		w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
		w.WriteHeader(resp.status)
	}
	// The client may be gone, or have hung up on purpose; there is no one left to tell.
	if resp.stream != nil {
		_ = resp.stream(w)
		return
	}
	_, _ = w.Write(resp.body)
}
