package dreamstudiotest_test

import (
	"bytes"
	"encoding/json"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"testing"
)

// field is one text part of a v2beta multipart form.
type field struct{ name, value string }

// v2Generate is a v2beta generate call for family (ultra, core or sd3) with the given form fields.
func v2Generate(t *testing.T, family, accept string, fields ...field) call {
	t.Helper()
	return v2Call(t, "generate/"+family, accept, nil, fields...)
}

// v2Call is a call of the v2beta Stable Image operation op ("generate/ultra", "upscale/fast")
// with the given form fields and, when image is not nil, an image part.
func v2Call(t *testing.T, op, accept string, image []byte, fields ...field) call {
	t.Helper()
	return formCall(t, "/v2beta/stable-image/"+op, accept, "image", image, fields...)
}

// formCall is a multipart/form-data call of path with the given text fields and, when file is not
// nil, a part named fileName as a client library sends a file: with a filename and the bytes'
// Content-Type.
func formCall(t *testing.T, path, accept, fileName string, file []byte, fields ...field) call {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if file != nil {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="`+fileName+`"; filename="image"`)
		h.Set("Content-Type", http.DetectContentType(file))
		part, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := part.Write(file); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range fields {
		if err := w.WriteField(f.name, f.value); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return call{
		path:        path,
		body:        buf.String(),
		contentType: w.FormDataContentType(),
		accept:      accept,
	}
}

// prompt is the one field every generate call needs.
var prompt = field{"prompt", "a lighthouse on a cliff"}

// v2Error decodes an error answer, failing the test if it is not the v2 shape {id, name, errors}.
func (a answer) v2Error(t *testing.T) (name string, errs []string) {
	t.Helper()
	var e map[string]json.RawMessage
	if err := json.Unmarshal(a.body, &e); err != nil {
		t.Fatalf("error body %q: %v", a.body, err)
	}
	var id string
	if err := json.Unmarshal(e["id"], &id); err != nil || id == "" {
		t.Errorf("error body %s: id missing or empty", a.body)
	}
	if err := json.Unmarshal(e["name"], &name); err != nil || name == "" {
		t.Errorf("error body %s: name missing or empty", a.body)
	}
	if err := json.Unmarshal(e["errors"], &errs); err != nil || len(errs) == 0 {
		t.Errorf("error body %s: errors missing or empty", a.body)
	}
	if len(e) != 3 {
		t.Errorf("error body %s: want exactly id, name and errors", a.body)
	}
	return name, errs
}

// pngSize decodes a PNG's header and returns its size.
func pngSize(t *testing.T, b []byte) (width, height int) {
	t.Helper()
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode png: %v", err)
	}
	return cfg.Width, cfg.Height
}
