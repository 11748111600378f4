package dreamstudiotest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// promptKey is the form key of one half of a prompt: "Due to how arrays are represented in
// multipart/form-data requests, prompts must adhere to the format text_prompts[index][text|weight]"
// (the description's TextPrompts).
var promptKey = regexp.MustCompile(`^text_prompts\[([0-9]+)\]\[(text|weight)\]$`)

// formPrompt is one prompt of a form, as the description's TextPrompt schema has it.
type formPrompt struct {
	index  int
	Text   *string  `json:"text,omitempty"`
	Weight *float64 `json:"weight,omitempty"`
}

// formPrompts reads a form's prompt keys by hand, which kin-openapi cannot: it takes them for
// parts the schema does not declare. It returns the prompts in index order; an index without a
// text is left for the schema to refuse.
func formPrompts(form *multipartForm) ([]formPrompt, error) {
	byIndex := make(map[int]*formPrompt)
	for key, values := range form.values {
		if !strings.HasPrefix(key, "text_prompts") {
			continue
		}
		m := promptKey.FindStringSubmatch(key)
		if m == nil {
			return nil, fmt.Errorf("%s: not a prompt key; the description's form is text_prompts[index][text|weight]", key)
		}
		if len(values) > 1 {
			return nil, fmt.Errorf("%s: sent more than once", key)
		}
		i, err := strconv.Atoi(m[1])
		if err != nil {
			return nil, fmt.Errorf("%s: index: %w", key, err)
		}
		p := byIndex[i]
		if p == nil {
			p = &formPrompt{index: i}
			byIndex[i] = p
		}
		if m[2] == "text" {
			p.Text = &values[0]
			continue
		}
		w, err := strconv.ParseFloat(values[0], 64)
		if err != nil {
			return nil, fmt.Errorf("%s: %q is not a number", key, values[0])
		}
		p.Weight = &w
	}
	for key := range form.files {
		if strings.HasPrefix(key, "text_prompts") {
			return nil, fmt.Errorf("%s: expected a text field, got a file", key)
		}
	}
	prompts := make([]formPrompt, 0, len(byIndex))
	for _, p := range byIndex {
		prompts = append(prompts, *p)
	}
	slices.SortFunc(prompts, func(a, b formPrompt) int { return a.index - b.index })
	return prompts, nil
}

// withPromptParts returns r and its multipart body as kin-openapi can check them against the
// description: the prompt keys replaced by one JSON part "text_prompts" per prompt, which its
// multipart decoder reads as an item of the text_prompts array and the TextPrompt schema then
// checks. Every other part is copied as it came. Anything but a multipart body with prompt keys
// is returned as is.
func withPromptParts(r *http.Request, body []byte) (*http.Request, []byte, error) {
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return r, body, nil
	}
	form, err := parseMultipart(r, body)
	if err != nil {
		return nil, nil, err
	}
	prompts, err := formPrompts(form)
	if err != nil || len(prompts) == 0 {
		return r, body, err
	}
	in := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var buf bytes.Buffer
	out := multipart.NewWriter(&buf)
	for {
		part, err := in.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("multipart body: %w", err)
		}
		if strings.HasPrefix(part.FormName(), "text_prompts") {
			continue
		}
		w, err := out.CreatePart(part.Header)
		if err == nil {
			_, err = io.Copy(w, part)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("multipart body: %w", err)
		}
	}
	for _, p := range prompts {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="text_prompts"`)
		h.Set("Content-Type", "application/json")
		item, err := json.Marshal(p)
		if err != nil {
			return nil, nil, err
		}
		w, err := out.CreatePart(h)
		if err == nil {
			_, err = w.Write(item)
		}
		if err != nil {
			return nil, nil, err
		}
	}
	if err := out.Close(); err != nil {
		return nil, nil, err
	}
	rr := r.Clone(r.Context())
	rr.Header.Set("Content-Type", out.FormDataContentType())
	return rr, buf.Bytes(), nil
}
