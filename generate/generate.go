// Package generate turns a text prompt into a saved PNG: it validates the
// request, calls the API, and writes the image to disk. The Discord bot and
// the `dreambot imagine` shell command share it, so an operator testing a
// key from the shell exercises the same path as a member in Discord.
package generate

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"time"

	"dreambot/dreamstudio"
	"dreambot/images"
	"dreambot/pnginfo"
)

// API is what generating needs of the DreamStudio client.
type API interface {
	Generate(ctx context.Context, r dreamstudio.Checked) (*dreamstudio.Image, error)
}

// Saver stores a finished PNG and returns where.
type Saver interface {
	Save(png []byte, name images.Name) (string, error)
}

// Request is one image to make. Zero values mean "the API's default",
// except the size, which defaults to one that suits the engine.
//
// Its JSON form is stored (for the Again button), so its tags are stable.
type Request struct {
	Engine         string   `json:"engine"`
	Prompt         string   `json:"prompt"`
	NegativePrompt string   `json:"negative_prompt,omitempty"`
	Width          int      `json:"width"`
	Height         int      `json:"height"`
	AspectRatio    string   `json:"aspect_ratio,omitempty"`
	Seed           uint32   `json:"seed,omitempty"`
	Steps          int      `json:"steps,omitempty"`
	CfgScale       *float64 `json:"cfg_scale,omitempty"`
	Sampler        string   `json:"sampler,omitempty"`
	Style          string   `json:"style,omitempty"`
}

// Prepared is a Request with its defaults filled in, checked against the
// API's rules. Only Prepare makes one: what takes a Prepared needs no
// second look.
type Prepared struct {
	// Request is the request as it will be made (with its size).
	Request Request
	api     dreamstudio.Checked
}

// MarshalJSON stores the request, for a job that outlives the process.
func (p Prepared) MarshalJSON() ([]byte, error) { return json.Marshal(p.Request) }

// UnmarshalJSON reads a stored request and prepares it again where it
// comes back in.
func (p *Prepared) UnmarshalJSON(b []byte) error {
	var r Request
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	prepared, err := Prepare(r)
	if err != nil {
		return err
	}
	*p = prepared
	return nil
}

// Result is a generated image.
type Result struct {
	// Path is where the PNG was saved; empty when saving failed, in which
	// case SaveErr says why and PNG still holds the image.
	Path         string
	SaveErr      error
	PNG          []byte
	Seed         uint32
	FinishReason string
	// Width and Height are the image's size in pixels (0 when unknown).
	Width, Height int
}

// Service generates and saves images.
type Service struct {
	api   API
	saver Saver
	log   *slog.Logger
	now   func() time.Time
}

// New returns a Service. log may be nil.
func New(api API, saver Saver, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{api: api, saver: saver, log: log.With("component", "generate"), now: time.Now}
}

// Prepare fills in defaults (the engine's size) and checks r against the
// API's rules, so that a request the API would refuse costs nothing.
func Prepare(r Request) (Prepared, error) {
	if r.Width == 0 && r.Height == 0 {
		r.Width, r.Height = dreamstudio.DefaultSize(r.Engine) // 0, 0 for models that take a ratio
	}
	checked, err := dreamstudio.CheckParams(r.Engine, apiParams(r))
	if err != nil {
		return Prepared{}, err
	}
	return Prepared{Request: r, api: checked}, nil
}

// SetShape reads a size as a member writes it: an aspect ratio such as 16:9 (for models that take
// one) or WIDTHxHEIGHT (for engines that take sizes); "" leaves the default. Which one a model
// accepts is checked by Prepare.
func (r *Request) SetShape(raw string) error {
	raw = strings.ReplaceAll(strings.TrimSpace(raw), " ", "")
	switch {
	case raw == "":
		return nil
	case strings.Contains(raw, ":"):
		r.AspectRatio = raw
		return nil
	}
	size, err := dreamstudio.ParseSize(raw)
	if err != nil {
		return err
	}
	r.Width, r.Height = size.Width, size.Height
	return nil
}

// Credits is what the image will cost, and whether that is an estimate.
func (p Prepared) Credits() (credits float64, estimate bool) { return p.api.Credits() }

// Generate makes p's image and saves it under a name that says whose it
// is (owner: a server's id, or "" for the shell or a DM). A failure to
// save is not an error: the image is returned with SaveErr set, so the
// caller can still deliver it.
func (s *Service) Generate(ctx context.Context, p Prepared, owner string) (*Result, error) {
	r := p.Request
	start := s.now()
	img, err := s.api.Generate(ctx, p.api)
	if err != nil {
		return nil, err
	}
	res := &Result{PNG: img.PNG, Seed: img.Seed, FinishReason: img.FinishReason, Width: img.Width, Height: img.Height}
	if withInfo, err := pnginfo.Embed(img.PNG, params(r, img)); err != nil {
		// The image matters more than its caption: keep it as it came.
		s.log.Warn("could not write the parameters into the PNG", "engine", r.Engine, "err", err)
	} else {
		res.PNG = withInfo
	}
	res.Path, res.SaveErr = s.saver.Save(res.PNG, images.Name{Time: start, Guild: owner, Prompt: r.Prompt, Seed: img.Seed})
	log := s.log.With("guild", owner, "engine", r.Engine, "seed", img.Seed, "finish_reason", img.FinishReason,
		"bytes", len(img.PNG), "latency", s.now().Sub(start).Round(time.Millisecond))
	if res.SaveErr != nil {
		log.Error("generated image could not be saved", "err", res.SaveErr)
	} else {
		log.Info("image generated", "path", res.Path)
	}
	return res, nil
}

func apiParams(r Request) dreamstudio.Params {
	return dreamstudio.Params{
		Prompt: r.Prompt, NegativePrompt: r.NegativePrompt, Size: dreamstudio.Size{Width: r.Width, Height: r.Height},
		AspectRatio: r.AspectRatio, Seed: r.Seed, Steps: r.Steps, CfgScale: r.CfgScale, Sampler: r.Sampler, StylePreset: r.Style,
	}
}

// params describes a generation for PNG-info readers. Steps and CFG scale a member left to a v1
// engine are written as the API's defaults, so that the image can be made again; Stable Image
// models don't document theirs, so what was left unset is left out. An automatic sampler stays
// unnamed. The size is the image's own.
func params(r Request, img *dreamstudio.Image) pnginfo.Params {
	p := pnginfo.Params{
		Prompt: r.Prompt, NegativePrompt: r.NegativePrompt, Engine: r.Engine, Seed: img.Seed,
		Steps: r.Steps, Sampler: r.Sampler, Style: r.Style,
		Width: img.Width, Height: img.Height, FinishReason: img.FinishReason,
	}
	if !dreamstudio.IsStableImage(r.Engine) {
		p.CfgScale = dreamstudio.DefaultCfgScale
		if p.Steps == 0 {
			p.Steps = dreamstudio.DefaultSteps
		}
	}
	if r.CfgScale != nil {
		p.CfgScale = *r.CfgScale
	}
	if p.Width == 0 || p.Height == 0 {
		p.Width, p.Height = r.Width, r.Height
	}
	return p
}
