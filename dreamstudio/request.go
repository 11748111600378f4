package dreamstudio

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
)

// maxJSONBytes bounds a successful JSON answer; the engine list and balance are a few KiB.
const maxJSONBytes = 4 << 20

// payload is an encoded request body and its Content-Type.
type payload struct {
	contentType string
	data        []byte
}

func jsonPayload(v any) (*payload, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	return &payload{contentType: "application/json", data: b}, nil
}

// formField is one text part of a multipart/form-data body.
type formField struct{ name, value string }

// form is the text parts of a multipart body, in order.
type form []formField

// add appends a field unless its value is empty: what is not set is left to the API's default.
func (f *form) add(name, value string) {
	if value != "" {
		*f = append(*f, formField{name, value})
	}
}

// number writes a number as the API's forms take it: "7", "4.5".
func number(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// seedField writes a seed for a form, "" for 0: a random seed is the API's default.
func seedField(seed uint32) string {
	if seed == 0 {
		return ""
	}
	return strconv.FormatUint(uint64(seed), 10)
}

// pngPart is a PNG sent as the file part name of a multipart body, as the API's own examples send
// a file: with a filename and its media type.
type pngPart struct {
	name string
	data []byte
}

// formPayload encodes the fields, then the files, as multipart/form-data.
func formPayload(fields form, files ...pngPart) (*payload, error) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, f := range fields {
		if err := w.WriteField(f.name, f.value); err != nil {
			return nil, fmt.Errorf("encode request: %w", err)
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename="%s.png"`, f.name, f.name))
		h.Set("Content-Type", "image/png")
		part, err := w.CreatePart(h)
		if err == nil {
			_, err = part.Write(f.data)
		}
		if err != nil {
			return nil, fmt.Errorf("encode request: %w", err)
		}
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	return &payload{contentType: w.FormDataContentType(), data: b.Bytes()}, nil
}

// newRequest builds a request for path, relative to the base URL and already escaped, with body
// when it is not nil.
func (c *Client) newRequest(ctx context.Context, method, path string, body *payload, accept string) (*http.Request, error) {
	rel, err := url.Parse(path)
	if err != nil {
		return nil, err
	}
	u := c.baseURL.ResolveReference(rel)

	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body.data)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), r)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", body.contentType)
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("User-Agent", c.userAgent)
	return req, nil
}

// do waits for the limiter, sends req and returns the response when its status is 2xx; the caller
// must close its body. Any other status becomes an *Error.
func (c *Client) do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if err := c.limiter.Wait(ctx); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("wait for rate limiter: %w", ctx.Err())
		}
		// The limiter refuses up front when the wait would outlast the deadline.
		return nil, fmt.Errorf("wait for rate limiter: %w (%v)", context.DeadlineExceeded, err)
	}
	resp, err := c.httpClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return resp, nil
	}
	defer resp.Body.Close()
	apiErr := c.newError(resp)
	c.observe(apiErr)
	return nil, apiErr
}

// doJSON sends req and decodes the JSON answer into v.
func (c *Client) doJSON(req *http.Request, v any) error {
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxJSONBytes)).Decode(v); err != nil {
		return &BadAnswerError{Err: err}
	}
	return nil
}

// BadAnswerError is a 2xx answer that is not what the API sends (a proxy's page, say). Its text
// is the decoder's, which quotes no more than a character of the body.
type BadAnswerError struct{ Err error }

func (e *BadAnswerError) Error() string { return "dreamstudio: unexpected answer: " + e.Err.Error() }
func (e *BadAnswerError) Unwrap() error { return e.Err }
