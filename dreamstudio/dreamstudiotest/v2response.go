package dreamstudiotest

import (
	"bytes"
	"encoding/json"
	"strings"
)

// v2Error is the body of every v2beta error answer: v1's single message became a list.
type v2Error struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Errors []string `json:"errors"`
}

// failV2 builds a v2beta error answer with a fresh id, 32 hex digits like the real API's.
func (s *Server) failV2(status int, name string, errs ...string) *response {
	return jsonResponse(status, v2Error{ID: strings.ReplaceAll(s.newID(), "-", ""), Name: name, Errors: errs})
}

// v2Shape rewrites an error answer built by the code shared with v1 (faults, the key check, the
// rate limit) from v1's {id, name, message} to v2's {id, name, errors}, so that one fault queue
// and one limiter serve both versions. Anything else, such as a Fault's raw Body, is left alone.
func v2Shape(resp *response) *response {
	if resp.header.Get("Content-Type") != "application/json" {
		return resp
	}
	var e apiError
	dec := json.NewDecoder(bytes.NewReader(resp.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil || e.ID == "" || e.Name == "" {
		return resp
	}
	body, err := json.Marshal(v2Error{ID: strings.ReplaceAll(e.ID, "-", ""), Name: e.Name, Errors: []string{e.Message}})
	if err != nil {
		return resp
	}
	resp.body = body
	return resp
}
