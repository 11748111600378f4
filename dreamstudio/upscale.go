package dreamstudio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// The v2beta upscale operations the client offers, as UpscaleRequest.Mode.
const (
	// UpscaleFast makes each side 4 times longer; it takes only the picture.
	UpscaleFast = "fast"
	// UpscaleConservative makes a picture of about 4 megapixels, changing as little as it can; it
	// needs a prompt.
	UpscaleConservative = "conservative"
)

// upscaler is an upscale operation and its rules, from the v2beta description.
type upscaler struct {
	mode    string
	name    string  // for members
	credits float64 // the flat price the description documents per successful upscale
	input   pictureBounds
	// prompted operations need a prompt and take a negative prompt and a seed; the others take
	// none of them.
	prompted bool
}

func upscalers() []upscaler {
	return []upscaler{
		{mode: UpscaleFast, name: "Fast upscale", credits: 1,
			input: pictureBounds{minSide: 32, maxSide: 1536, minPixels: 1024, maxPixels: 1_048_576}},
		{mode: UpscaleConservative, name: "Conservative upscale", credits: 25, prompted: true,
			input: pictureBounds{minSide: 64, minPixels: 4096, maxPixels: 9_437_184, maxAspect: 2.5}},
	}
}

func upscalerOf(mode string) (upscaler, bool) {
	i := slices.IndexFunc(upscalers(), func(u upscaler) bool { return u.mode == mode })
	if i < 0 {
		return upscaler{}, false
	}
	return upscalers()[i], true
}

// UpscaleRequest asks for a bigger picture. Width and Height are the size of the picture that
// will be sent (see UpscaleInput). Prompt, NegativePrompt and Seed (0 for a random one) are for
// UpscaleConservative, which needs a prompt; UpscaleFast takes none of them.
type UpscaleRequest struct {
	Mode           string `json:"mode"`
	Width          int    `json:"width"`
	Height         int    `json:"height"`
	Prompt         string `json:"prompt,omitempty"`
	NegativePrompt string `json:"negative_prompt,omitempty"`
	Seed           uint32 `json:"seed,omitempty"`
}

// CheckedUpscale is an UpscaleRequest the API's rules accept. Only CheckUpscale makes one; the
// zero CheckedUpscale is refused by Client.Upscale.
type CheckedUpscale struct{ req UpscaleRequest }

// CheckUpscale checks r against the rules the description states for its mode: the picture's
// sides, pixel count and shape, and the prompt. What it refuses is a *ValidationError whose
// Message can be shown to the member as is. A blank negative prompt is left out.
func CheckUpscale(r UpscaleRequest) (CheckedUpscale, error) {
	u, ok := upscalerOf(r.Mode)
	if !ok {
		modes := []string{UpscaleFast, UpscaleConservative}
		return CheckedUpscale{}, &ValidationError{Field: FieldMode, Valid: modes,
			Message: fmt.Sprintf("%q is not a way to upscale; pick %s", r.Mode, strings.Join(modes, " or "))}
	}
	if strings.TrimSpace(r.NegativePrompt) == "" {
		r.NegativePrompt = ""
	}
	if err := u.check(r); err != nil {
		return CheckedUpscale{}, err
	}
	return CheckedUpscale{req: r}, nil
}

func (u upscaler) check(r UpscaleRequest) error {
	if size := (Size{r.Width, r.Height}); !u.input.accepts(size) {
		return &ValidationError{Field: FieldSize,
			Message: fmt.Sprintf("%s can't take a %s picture: it takes %s", u.name, size, u.input)}
	}
	if !u.prompted {
		if r.Prompt != "" || r.NegativePrompt != "" || r.Seed != 0 {
			return &ValidationError{Field: FieldTextPrompts,
				Message: u.name + " takes only the picture; leave the prompt and seed out or pick Conservative upscale"}
		}
		return nil
	}
	if strings.TrimSpace(r.Prompt) == "" {
		return &ValidationError{Field: FieldTextPrompts, Message: u.name + " needs a prompt describing the picture"}
	}
	if err := validatePrompts(Prompts(r.Prompt, r.NegativePrompt), MaxStableImagePrompt, u.name); err != nil {
		return err
	}
	if r.Seed > MaxStableImageSeed {
		return &ValidationError{Field: FieldSeed,
			Message: fmt.Sprintf("seed %d is too large for %s; the largest is %d", r.Seed, u.name, MaxStableImageSeed)}
	}
	return nil
}

// Request returns what was checked.
func (u CheckedUpscale) Request() UpscaleRequest { return u.req }

// Credits returns the price the description documents for a successful upscale: 1 credit for
// UpscaleFast, 25 for UpscaleConservative; 0 for the zero CheckedUpscale.
func (u CheckedUpscale) Credits() float64 {
	up, _ := upscalerOf(u.req.Mode)
	return up.credits
}

// MarshalJSON stores the request, for a job that outlives the process.
func (u CheckedUpscale) MarshalJSON() ([]byte, error) { return json.Marshal(u.req) }

// UnmarshalJSON reads a stored request and checks it again, as Checked does.
func (u *CheckedUpscale) UnmarshalJSON(b []byte) error {
	var r UpscaleRequest
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	checked, err := CheckUpscale(r)
	if err != nil {
		return err
	}
	*u = checked
	return nil
}

// UpscaleInput returns the largest size, no larger than width x height and of about the same
// shape, that CheckUpscale accepts for mode: the size to scale a picture down to before asking for
// it to be upscaled (1344x768 stays as it is for UpscaleFast, 2048x2048 becomes 1024x1024). It
// returns 0, 0 when there is none: the picture is too small, or too long, for mode.
func UpscaleInput(mode string, width, height int) (w, h int) {
	u, ok := upscalerOf(mode)
	if !ok {
		return 0, 0
	}
	s := u.input.fit(Size{width, height})
	return s.Width, s.Height
}

// UpscaleOutput returns the size of the picture the API makes of a width x height one: 4 times
// each side for UpscaleFast ("4 times that of the input image"); about 4 megapixels
// (4 x 1,048,576 pixels) of the same shape for UpscaleConservative, whose description says only
// "will be 4 megapixels"; 0, 0 for any other mode.
func UpscaleOutput(mode string, width, height int) (w, h int) {
	switch mode {
	case UpscaleFast:
		return 4 * width, 4 * height
	case UpscaleConservative:
		if width <= 0 || height <= 0 {
			return 0, 0
		}
		scale := math.Sqrt(float64(4<<20) / (float64(width) * float64(height)))
		return int(math.Round(float64(width) * scale)), int(math.Round(float64(height) * scale))
	}
	return 0, 0
}

// Upscale sends png, a PNG of the size u was checked for, to the upscale operation of u's mode
// and returns the bigger picture. Errors are those of Generate; a png of another size is an
// *InputImageError.
func (c *Client) Upscale(ctx context.Context, u CheckedUpscale, png []byte) (*Image, error) {
	if u.req.Mode == "" {
		return nil, errors.New("upscale: the request was not checked (use CheckUpscale)")
	}
	img, err := c.upscale(ctx, u.req, png)
	if err != nil {
		return nil, fmt.Errorf("upscale %s: %w", u.req.Mode, err)
	}
	return img, nil
}

func (c *Client) upscale(ctx context.Context, r UpscaleRequest, png []byte) (*Image, error) {
	if err := checkInputImage(png, Size{r.Width, r.Height}); err != nil {
		return nil, err
	}
	body, err := formPayload(r.form(), pngPart{"image", png})
	if err != nil {
		return nil, err
	}
	return c.postImage(ctx, "v2beta/stable-image/upscale/"+r.Mode, body, "image/*")
}

// form is the multipart form of r, but the picture: only the fields that are set.
func (r UpscaleRequest) form() form {
	var f form
	f.add("prompt", r.Prompt)
	f.add("negative_prompt", r.NegativePrompt)
	f.add("seed", seedField(r.Seed))
	f.add("output_format", "png")
	return f
}
