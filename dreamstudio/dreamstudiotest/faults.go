package dreamstudiotest

import (
	"net/http"
	"slices"
)

// Always, as Fault.Times, makes a fault answer every request until ClearFaults.
const Always = -1

// Fault is an error answer the server gives instead of handling a (well-formed) request.
type Fault struct {
	Status int
	// Name and Message fill the real API's {id, name, message} error body.
	Name    string
	Message string
	// Header is added to the answer, e.g. a Retry-After the real API is not known to send.
	Header http.Header
	// Body, when set, is sent as is instead of the JSON error, as a proxy in front of the API
	// might answer (an HTML 502 page). Its Content-Type is text/html unless Header sets one.
	Body []byte
	// Times is how many requests the fault answers: Always for every one, 0 counts as 1.
	Times int
	// Generation makes the fault answer only generation requests (v1 text-to-image and
	// image-to-image, v2beta generate and upscale), which then take it ahead of faults queued for any request; other
	// requests, such as a balance read in the background, pass it by.
	Generation bool
}

// AddFault queues f. Queued faults answer requests in the order they were added, each until its
// Times is used up. Requests that break the description are still reported and refused first.
func (s *Server) AddFault(f Fault) {
	if f.Times == 0 {
		f.Times = 1
	}
	f.Header = f.Header.Clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// FailNext makes the next request be answered with status and the error body {id, name, message}.
func (s *Server) FailNext(status int, name, message string) {
	s.AddFault(Fault{Status: status, Name: name, Message: message, Times: 1})
}

// FailNextGeneration makes the next generation request, v1 or v2beta (an upscale included), be
// answered with status and the error body of its version ({id, name, message} or {id, name,
// errors}); requests that generate nothing are not affected. Use it where the code under test also reads the balance or
// the engines, which would otherwise take the fault first.
func (s *Server) FailNextGeneration(status int, name, message string) {
	s.AddFault(Fault{Status: status, Name: name, Message: message, Times: 1, Generation: true})
}

// ClearFaults removes every queued fault, image faults included.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
	s.imageFaults = nil
}

// takeFault returns the answer of the first queued fault that applies to the request (a
// generation's own faults first), using up one of its Times, or nil.
func (s *Server) takeFault(generation bool) *response {
	s.mu.Lock()
	i := slices.IndexFunc(s.faults, func(f *Fault) bool { return f.Generation })
	if !generation || i < 0 {
		i = slices.IndexFunc(s.faults, func(f *Fault) bool { return !f.Generation })
	}
	if i < 0 {
		s.mu.Unlock()
		return nil
	}
	f := *s.faults[i]
	if s.faults[i].Times > 0 {
		s.faults[i].Times--
		if s.faults[i].Times == 0 {
			s.faults = slices.Delete(s.faults, i, i+1)
		}
	}
	s.mu.Unlock()

	var resp *response
	if f.Body != nil {
		resp = &response{
			status: f.Status,
			header: http.Header{"Content-Type": {"text/html; charset=utf-8"}},
			body:   f.Body,
		}
	} else {
		resp = s.fail(f.Status, f.Name, f.Message)
	}
	for k, v := range f.Header {
		resp.header[k] = v
	}
	return resp
}
