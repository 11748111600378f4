package discordtest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
)

// call is one REST request on its way through the fake.
type call struct {
	w      *statusWriter
	r      *http.Request
	route  string            // "METHOD /template"
	params map[string]string // path parameters by template name
	path   string            // path under /api/vN, with the query
	raw    []byte            // the JSON body, or the payload_json part of a multipart body
	body   any               // raw decoded with UseNumber, or nil
	files  []File            // the files[n] parts of a multipart body
	at     time.Time         // real arrival time
}

// statusWriter remembers the status written, for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// serveREST runs a request through version mapping, routing, authentication, fault knobs,
// validation and finally its handler, and logs it.
func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w}
	c := &call{w: sw, r: r, at: time.Now()}
	defer func() { s.logRequest(c) }()

	rest, ok := strings.CutPrefix(r.URL.Path, "/api/v9")
	if !ok {
		rest, ok = strings.CutPrefix(r.URL.Path, "/api/v10")
	}
	ep, params := matchEndpoint(s.routes, r.Method, rest)
	if !ok || ep == nil {
		s.unknownRoute(sw, r)
		return
	}
	c.route, c.params, c.path = ep.route(), params, rest
	if r.URL.RawQuery != "" {
		c.path += "?" + r.URL.RawQuery
	}
	if ep.auth && r.Header.Get("Authorization") != "Bot "+s.Token {
		s.refuse(sw, c.route, http.StatusUnauthorized, 0, "401: Unauthorized", nil)
		return
	}
	if !s.hold(c) {
		return
	}
	if s.takeFault(c) {
		return
	}
	if !s.readBody(c) {
		return
	}
	if !s.validate(c, ep) {
		return
	}
	ep.handle(s, c)
}

// unknownRoute answers 404 as Discord does, and fails the test naming the route.
func (s *Server) unknownRoute(w http.ResponseWriter, r *http.Request) {
	s.refuse(w, r.Method+" "+r.URL.Path, http.StatusNotFound, 0, "404: Not Found", nil)
}

// readBody reads a JSON or multipart body into c, answering 413 or 400 when Discord would.
func (s *Server) readBody(c *call) bool {
	data, err := io.ReadAll(io.LimitReader(c.r.Body, s.cfg.uploadLimit+1))
	if err != nil {
		s.refuse(c.w, c.route, http.StatusBadRequest, 50109, "The request body contains invalid JSON.", nil)
		return false
	}
	if int64(len(data)) > s.cfg.uploadLimit {
		s.refuse(c.w, c.route, http.StatusRequestEntityTooLarge, 40005, "Request entity too large", nil)
		return false
	}
	if len(data) == 0 {
		return true
	}
	mediaType, params, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	switch mediaType {
	case "application/json":
		c.raw = data
	case "multipart/form-data":
		payload, files, perr := parseMultipart(data, params["boundary"])
		if perr != nil {
			s.refuse(c.w, c.route, http.StatusBadRequest, 50035, "Invalid Form Body", perr.json())
			return false
		}
		c.raw, c.files = payload, files
	default:
		s.refuse(c.w, c.route, http.StatusBadRequest, 50035, "Invalid Form Body",
			json.RawMessage(`{"_errors":[{"code":"CONTENT_TYPE_INVALID","message":"Expected application/json or multipart/form-data"}]}`))
		return false
	}
	if c.raw == nil {
		return true
	}
	dec := json.NewDecoder(bytes.NewReader(c.raw))
	dec.UseNumber()
	if err := dec.Decode(&c.body); err != nil {
		s.refuse(c.w, c.route, http.StatusBadRequest, 50109, "The request body contains invalid JSON.", nil)
		return false
	}
	return true
}

// validate checks the body against the OpenAPI description and the endpoint's extra rules,
// answering 400 50035 Invalid Form Body with Discord's nested errors on failure.
func (s *Server) validate(c *call, ep *endpoint) bool {
	var f formErrors
	body := c.raw
	if ep.normalise != nil && c.body != nil {
		ep.normalise(c.body)
		body, _ = json.Marshal(c.body) // Decoded JSON always marshals.
	}
	if ep.rules != nil {
		ep.rules(s, c, &f)
	}
	if err := s.spec.validate(c.r.Context(), c.r.Method, c.path, body); err != nil {
		f.addSchemaError(err)
	}
	if f.empty() {
		return true
	}
	s.refuse(c.w, c.route, http.StatusBadRequest, 50035, "Invalid Form Body", f.json())
	return false
}

// Request is one REST request the fake received.
type Request struct {
	Method string
	// Path is the path as sent, such as "/api/v9/interactions/1/abc/callback".
	Path string
	// Route is "METHOD /template" from the OpenAPI description (see the Route constants), or
	// "METHOD /path" for unknown routes.
	Route string
	// Query is the raw query string.
	Query string
	// Status is the HTTP status of the answer.
	Status int
	// JSON is the JSON body, or the payload_json part of a multipart body.
	JSON json.RawMessage
	// Files are the files[n] parts of a multipart body.
	Files []File
	// At is the real time the request arrived.
	At time.Time
}

// logRequest appends c to the request log and wakes waiters.
func (s *Server) logRequest(c *call) {
	route := c.route
	if route == "" {
		route = c.r.Method + " " + c.r.URL.Path
	}
	req := Request{
		Method: c.r.Method, Path: c.r.URL.Path, Route: route, Query: c.r.URL.RawQuery,
		Status: c.w.status, JSON: c.raw, Files: c.files, At: c.at,
	}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.mu.Unlock()
	s.changed.broadcast()
}
