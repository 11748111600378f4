package dreamstudiotest

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
)

// multipartForm is a multipart/form-data body (v2beta, v1 image-to-image): its text fields, and
// the contents of its file parts (those sent with a filename).
type multipartForm struct {
	values map[string][]string
	files  map[string][][]byte
}

func parseMultipart(r *http.Request, body []byte) (*multipartForm, error) {
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, fmt.Errorf("content-type: %w", err)
	}
	f, err := multipart.NewReader(bytes.NewReader(body), params["boundary"]).ReadForm(maxRequestBody)
	if err != nil {
		return nil, fmt.Errorf("multipart body: %w", err)
	}
	defer f.RemoveAll()
	form := &multipartForm{values: f.Value, files: make(map[string][][]byte, len(f.File))}
	for name, headers := range f.File {
		for _, h := range headers {
			b, err := readPart(h)
			if err != nil {
				return nil, fmt.Errorf("multipart body: part %s: %w", name, err)
			}
			form.files[name] = append(form.files[name], b)
		}
	}
	return form, nil
}

func readPart(h *multipart.FileHeader) ([]byte, error) {
	f, err := h.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// has reports whether the form has a part of that name, text or file.
func (f *multipartForm) has(name string) bool {
	return len(f.values[name])+len(f.files[name]) > 0
}

// get returns the text field's value, or "" when it is absent.
func (f *multipartForm) get(name string) string {
	if v := f.values[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}
