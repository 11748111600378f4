package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Problem is something the bot did that the real Discord would refuse or that breaks the rules
// of the API: an unknown route, an invalid body, a second acknowledgement, a late callback.
// Unless the server is RecordOnly, each problem also fails the test.
type Problem struct {
	// Route is "METHOD /template" for a known route, "METHOD /path" otherwise, or "gateway".
	Route string
	// Status and Code are the HTTP status and Discord error code the fake answered with.
	Status int
	Code   int
	// Message says what was wrong.
	Message string
	// Errors holds the "errors" object of a 50035 answer, if any.
	Errors json.RawMessage
	// At is the real time the problem was found.
	At time.Time
}

// String returns the problem in one line.
func (p Problem) String() string {
	s := fmt.Sprintf("%s: %d %d %s", p.Route, p.Status, p.Code, p.Message)
	if len(p.Errors) > 0 {
		s += " " + string(p.Errors)
	}
	return s
}

// Problems returns the problems found so far.
func (s *Server) Problems() []Problem {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Problem(nil), s.problems...)
}

// report records p and, unless the server is RecordOnly or closed, fails the test.
func (s *Server) report(p Problem) {
	p.At = time.Now()
	s.mu.Lock()
	s.problems = append(s.problems, p)
	fail := !s.cfg.recordOnly && !s.closed
	s.mu.Unlock()
	s.changed.broadcast()
	if fail {
		s.tb.Errorf("discordtest: Discord would refuse this: %s", p)
	}
}

// apiError is the body of Discord's error answers.
type apiError struct {
	Message string          `json:"message"`
	Code    int             `json:"code"`
	Errors  json.RawMessage `json:"errors,omitempty"`
}

// writeJSON writes v as the JSON body of an answer with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// refuse answers with a Discord error and reports it as a problem of route.
func (s *Server) refuse(w http.ResponseWriter, route string, status, code int, msg string, errs json.RawMessage) {
	s.report(Problem{Route: route, Status: status, Code: code, Message: msg, Errors: errs})
	writeJSON(w, status, apiError{Message: msg, Code: code, Errors: errs})
}
