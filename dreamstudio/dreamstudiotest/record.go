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
	// Form holds the text fields of a multipart/form-data body (a v2beta or a v1 image-to-image
	// request, whose prompts are under their text_prompts[n][text] keys), nil for any other body. A field sent twice is refused (and fails the test), so one value each is enough.
	Form map[string]string
	// Files holds what the server read of the file parts of a multipart/form-data body (the
	// image of an image-to-image or upscale request) by part name, nil when there are none.
	Files map[string]FilePart
}

// FilePart is what the server read of an uploaded file.
type FilePart struct {
	// Format is "png", "jpeg" or "webp", told by the bytes' signature whatever the part's
	// Content-Type or filename says, or "" when the bytes are none of these.
	Format string
	// Width and Height are read from the image's header, 0 when it could not be read.
	Width, Height int
	// Bytes is the length of the part's content.
	Bytes int
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
	req.Form, req.Files = recordedForm(r, body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, req)
}

// recordedForm returns the text fields and the file parts of a multipart body, or nils. A body
// that does not parse is reported by the handler.
func recordedForm(r *http.Request, body []byte) (map[string]string, map[string]FilePart) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return nil, nil
	}
	form, err := parseMultipart(r, body)
	if err != nil {
		return nil, nil
	}
	fields := make(map[string]string, len(form.values))
	for name := range form.values {
		fields[name] = form.get(name)
	}
	var files map[string]FilePart
	for name, parts := range form.files {
		if files == nil {
			files = make(map[string]FilePart, len(form.files))
		}
		info, _ := readImageHeader(parts[0]) // the handler refuses what is not an image
		files[name] = FilePart{Format: info.format, Width: info.width, Height: info.height, Bytes: len(parts[0])}
	}
	return fields, files
}
