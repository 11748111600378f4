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

// Generate makes the image of a checked request, for a v1 engine or a Stable Image model, from
// text or, when its Params have an Init, from the picture WithInitImage attached. The image is
// returned whatever its FinishReason.
func (c *Client) Generate(ctx context.Context, r Checked) (*Image, error) {
	if r.engine == "" { // the zero Checked: nothing checked it
		return nil, errors.New("text-to-image: the request was not checked (use CheckParams)")
	}
	img, err := c.generate(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", r.operation(), r.engine, err)
	}
	return img, nil
}

func (c *Client) generate(ctx context.Context, r Checked) (*Image, error) {
	if r.init != nil && r.initPNG == nil {
		return nil, &InputImageError{Reason: "no picture attached to start from (use WithInitImage)"}
	}
	path, body, accept, err := r.endpoint()
	if err != nil {
		return nil, err
	}
	return c.postImage(ctx, path, body, accept)
}

// postImage sends body to path and reads the image it answers with, within the generate timeout:
// the one way every image is asked for.
func (c *Client) postImage(ctx context.Context, path string, body *payload, accept string) (*Image, error) {
	ctx, cancel := context.WithTimeout(ctx, c.generateTimeout)
	defer cancel()
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

// operation names what c asks for, in errors.
func (c Checked) operation() string {
	if c.init != nil {
		return "image-to-image"
	}
	return "text-to-image"
}

// endpoint returns where and how c is sent, asking for a PNG (v2beta: the image, a PNG as
// output_format says): a v1 engine's text-to-image request as JSON, its image-to-image request
// and a Stable Image model's as the multipart form of the operation.
func (c Checked) endpoint() (path string, body *payload, accept string, err error) {
	if m, ok := stableModelOf(c.engine); ok {
		var files []pngPart
		if c.init != nil {
			files = []pngPart{{"image", c.initPNG}}
		}
		body, err = formPayload(m.form(c.params, c.init), files...)
		return "v2beta/stable-image/generate/" + m.op, body, "image/*", err
	}
	v1 := "v1/generation/" + url.PathEscape(c.engine)
	if c.init != nil {
		body, err = formPayload(imageToImageForm(c.req, *c.init), pngPart{"init_image", c.initPNG})
		return v1 + "/image-to-image", body, "image/png", err
	}
	body, err = jsonPayload(c.req)
	return v1 + "/text-to-image", body, "image/png", err
}

// form is the multipart form asking m for p, starting from start when it is not nil: only the
// fields that are set, so the API's defaults apply to the others, and sd3's mode left to its
// default, text-to-image, unless there is a picture.
func (m stableModel) form(p Params, start *Init) form {
	f := form{{"prompt", p.Prompt}}
	f.add("negative_prompt", p.NegativePrompt)
	f.add("aspect_ratio", p.AspectRatio)
	f.add("seed", seedField(p.Seed))
	f.add("style_preset", p.StylePreset)
	if p.CfgScale != nil {
		f.add("cfg_scale", number(*p.CfgScale))
	}
	f.add("model", m.model)
	if start != nil {
		if m.op == opSD3 {
			f.add("mode", "image-to-image")
		}
		f.add("strength", fraction(1-start.Keep))
	}
	f.add("output_format", "png")
	return f
}

// imageToImageForm is the multipart form of a v1 image-to-image request: r's fields that are
// set, its prompts under the keys the description gives arrays in a form
// ("text_prompts[0][text]"), and how much of the picture to keep. The size is the picture's.
func imageToImageForm(r TextToImageRequest, start Init) form {
	f := form{{"init_image_mode", "IMAGE_STRENGTH"}, {"image_strength", fraction(start.Keep)}}
	for i, p := range r.TextPrompts {
		f.add(fmt.Sprintf("text_prompts[%d][text]", i), p.Text)
		if p.Weight != 0 {
			f.add(fmt.Sprintf("text_prompts[%d][weight]", i), number(p.Weight))
		}
	}
	if r.CfgScale != nil {
		f.add("cfg_scale", number(*r.CfgScale))
	}
	f.add("sampler", r.Sampler)
	f.add("seed", seedField(r.Seed))
	if r.Steps != 0 {
		f.add("steps", strconv.Itoa(r.Steps))
	}
	f.add("style_preset", r.StylePreset)
	return f
}
