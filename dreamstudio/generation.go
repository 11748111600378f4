package dreamstudio

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The finish reasons a generation reports.
const (
	FinishSuccess = "SUCCESS"
	// FinishError means the engine failed; the image is not worth showing.
	FinishError = "ERROR"
	// FinishContentFiltered means the content filter changed the result: the image may be blurred.
	FinishContentFiltered = "CONTENT_FILTERED"
)

// TextPrompt is one weighted prompt. A negative weight makes a negative prompt (what to avoid);
// a zero weight is left out of the request, so the API's default of 1 applies.
type TextPrompt struct {
	Text   string  `json:"text"`
	Weight float64 `json:"weight,omitempty"`
}

// Prompts returns the prompts for a member's prompt (weight 1) and optional negative prompt
// (weight -1, left out when blank).
func Prompts(prompt, negative string) []TextPrompt {
	ps := []TextPrompt{{Text: prompt, Weight: 1}}
	if strings.TrimSpace(negative) != "" {
		ps = append(ps, TextPrompt{Text: negative, Weight: -1})
	}
	return ps
}

// TextToImageRequest is the body of a text-to-image generation. Zero values of the optional
// fields leave the choice to the API (a random seed, 50 steps, cfg scale 7, an automatic sampler,
// no style). Width and Height are always sent: the API's default of 512 is refused by SDXL.
type TextToImageRequest struct {
	TextPrompts []TextPrompt `json:"text_prompts"`
	Width       int          `json:"width"`
	Height      int          `json:"height"`
	// CfgScale is a pointer because 0 is a valid scale.
	CfgScale    *float64 `json:"cfg_scale,omitempty"`
	Sampler     string   `json:"sampler,omitempty"`
	Seed        uint32   `json:"seed,omitempty"`
	Steps       int      `json:"steps,omitempty"`
	StylePreset string   `json:"style_preset,omitempty"`
}

// Image is a generated image.
type Image struct {
	PNG []byte
	// Seed is the seed the API used; pass it back to generate the same image again.
	Seed uint32
	// FinishReason is FinishSuccess, FinishError or FinishContentFiltered.
	FinishReason string
	// Width and Height are read from the PNG itself.
	Width, Height int
}

// TextToImage checks r for the v1 engine engineID (see Check), then generates it (see Generate): a
// request the API would refuse costs no credits and no round trip; such errors are
// *ValidationError.
func (c *Client) TextToImage(ctx context.Context, engineID string, r TextToImageRequest) (*Image, error) {
	checked, err := Check(engineID, r)
	if err != nil {
		return nil, fmt.Errorf("text-to-image %s: %w", engineID, err)
	}
	return c.Generate(ctx, checked)
}

// Generate makes the image of a checked request, for a v1 engine or a Stable Image model. The
// image is returned whatever its FinishReason.
func (c *Client) Generate(ctx context.Context, r Checked) (*Image, error) {
	if r.engine == "" { // the zero Checked: nothing checked it
		return nil, errors.New("text-to-image: the request was not checked (use CheckParams)")
	}
	img, err := c.generate(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("text-to-image %s: %w", r.engine, err)
	}
	return img, nil
}

func (c *Client) generate(ctx context.Context, r Checked) (*Image, error) {
	ctx, cancel := context.WithTimeout(ctx, c.generateTimeout)
	defer cancel()
	path, body, accept, err := r.endpoint()
	if err != nil {
		return nil, err
	}
	req, err := c.newRequest(ctx, http.MethodPost, path, body, accept)
	if err != nil {
		return nil, err
	}
	resp, err := c.do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return c.readImage(ctx, resp)
}

// endpoint returns where and how c is sent: a v1 engine's request as JSON, asking for a PNG; a
// Stable Image model's as the multipart form of its operation, asking for the image (a PNG, as
// output_format says).
func (c Checked) endpoint() (path string, body *payload, accept string, err error) {
	if m, ok := stableModelOf(c.engine); ok {
		body, err = formPayload(m.form(c.params))
		return "v2beta/stable-image/generate/" + m.op, body, "image/*", err
	}
	body, err = jsonPayload(c.req)
	return "v1/generation/" + url.PathEscape(c.engine) + "/text-to-image", body, "image/png", err
}

// form is the multipart form asking m for p: only the fields that are set, so the API's defaults
// apply to the others, and mode left to its default, text-to-image.
func (m stableModel) form(p Params) []formField {
	fields := []formField{{"prompt", p.Prompt}}
	add := func(name, value string) {
		if value != "" {
			fields = append(fields, formField{name, value})
		}
	}
	add("negative_prompt", p.NegativePrompt)
	add("aspect_ratio", p.AspectRatio)
	if p.Seed != 0 {
		add("seed", strconv.FormatUint(uint64(p.Seed), 10))
	}
	add("style_preset", p.StylePreset)
	if p.CfgScale != nil {
		add("cfg_scale", strconv.FormatFloat(*p.CfgScale, 'f', -1, 64))
	}
	add("model", m.model)
	add("output_format", "png")
	return fields
}
