// Package generate turns a text prompt into a saved PNG: it validates the
// request, calls the API, and writes the image to disk. The Discord bot and
// the `dreambot imagine` shell command share it, so an operator testing a
// key from the shell exercises the same path as a member in Discord.
package generate

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"dreambot/dreamstudio"
	"dreambot/images"
	"dreambot/picture"
	"dreambot/pnginfo"
)

// API is what generating needs of the DreamStudio client.
type API interface {
	Generate(ctx context.Context, r dreamstudio.Checked) (*dreamstudio.Image, error)
	Upscale(ctx context.Context, u dreamstudio.CheckedUpscale, png []byte) (*dreamstudio.Image, error)
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
	Engine         string `json:"engine"`
	Prompt         string `json:"prompt"`
	NegativePrompt string `json:"negative_prompt,omitempty"`
	Width          int    `json:"width"`
	Height         int    `json:"height"`
	AspectRatio    string `json:"aspect_ratio,omitempty"`
	// Init is the picture to start from (a Vary button, /imagine's image option), or the picture to
	// upscale.
	Init *Init `json:"init,omitempty"`
	// Upscale, when set, makes this an upscale of Init with that mode (dreamstudio.UpscaleFast or
	// UpscaleConservative) instead of a generation: Engine is then empty, and Prompt is used by the
	// conservative upscaler only.
	Upscale  string   `json:"upscale,omitempty"`
	Seed     uint32   `json:"seed,omitempty"`
	Steps    int      `json:"steps,omitempty"`
	CfgScale *float64 `json:"cfg_scale,omitempty"`
	Sampler  string   `json:"sampler,omitempty"`
	Style    string   `json:"style,omitempty"`
}

// Prepared is a Request with its defaults filled in, checked against the
// API's rules. Only Prepare makes one: what takes a Prepared needs no
// second look.
type Prepared struct {
	// Request is the request as it will be made (with its size).
	Request Request
	api     dreamstudio.Checked
	up      dreamstudio.CheckedUpscale // for an upscale
}

// Nth is the request for the image number i (from 0) of several: a given seed is followed by the
// next ones, wrapping within what the model takes (never 0, which means random).
func (r Request) Nth(i int) Request {
	if r.Seed == 0 || i == 0 {
		return r
	}
	top := uint64(dreamstudio.MaxSeed)
	if dreamstudio.IsStableImage(r.Engine) {
		top = dreamstudio.MaxStableImageSeed
	}
	r.Seed = uint32((uint64(r.Seed)-1+uint64(i))%top + 1)
	return r
}

// ShapeSet reports whether a size or an aspect ratio was asked for.
func (r Request) ShapeSet() bool { return r.Width != 0 || r.Height != 0 || r.AspectRatio != "" }

// Model names what makes the image, for records: the engine or model, or the upscaler.
func (r Request) Model() string {
	if r.Upscale != "" {
		return "upscale-" + r.Upscale
	}
	return r.Engine
}

// Init is a picture on the bot's disk to start from or to upscale.
type Init struct {
	Path   string `json:"path"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	// Keep is how much of the picture a generation keeps, 0..1.
	Keep float64 `json:"keep,omitempty"`
	// From says where the picture came from, for the PNG's parameters: the file it was made from,
	// or the member's attachment's name.
	From string `json:"from,omitempty"`
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
	// observer, if set, is told of every image made.
	observer Observer
}

// New returns a Service. log may be nil.
func New(api API, saver Saver, log *slog.Logger, opts ...Option) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{api: api, saver: saver, log: log.With("component", "generate"), now: time.Now}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// Prepare fills in defaults (the engine's size) and checks r against the
// API's rules, so that a request the API would refuse costs nothing.
func Prepare(r Request) (Prepared, error) {
	if r.Upscale != "" {
		return prepareUpscale(r)
	}
	if r.Width == 0 && r.Height == 0 {
		r.Width, r.Height = dreamstudio.DefaultSize(r.Engine) // 0, 0 for models that take a ratio
	}
	if r.Init != nil && !dreamstudio.IsStableImage(r.Engine) {
		r.Width, r.Height = r.Init.Width, r.Init.Height // v1 makes the picture's size
	}
	checked, err := dreamstudio.CheckParams(r.Engine, apiParams(r))
	if err != nil {
		return Prepared{}, err
	}
	return Prepared{Request: r, api: checked}, nil
}

// prepareUpscale checks an upscale of r.Init: the picture is first brought down to the largest
// size the upscaler takes.
func prepareUpscale(r Request) (Prepared, error) {
	if r.Init == nil || r.Init.Path == "" {
		return Prepared{}, &dreamstudio.ValidationError{Field: "image", Message: "there is no picture to upscale"}
	}
	r.Engine = ""
	r.Width, r.Height = dreamstudio.UpscaleInput(r.Upscale, r.Init.Width, r.Init.Height)
	u := dreamstudio.UpscaleRequest{Mode: r.Upscale, Width: r.Width, Height: r.Height}
	if r.Upscale == dreamstudio.UpscaleConservative { // the only upscaler guided by a prompt
		u.Prompt, u.NegativePrompt, u.Seed = r.Prompt, r.NegativePrompt, r.Seed
	}
	up, err := dreamstudio.CheckUpscale(u)
	if err != nil {
		return Prepared{}, err
	}
	return Prepared{Request: r, up: up}, nil
}

// Credits is what the image will cost, and whether that is an estimate.
func (p Prepared) Credits() (credits float64, estimate bool) {
	if p.Request.Upscale != "" {
		return p.up.Credits(), false
	}
	return p.api.Credits()
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

// Generate makes p's image and saves it under a name that says whose it
// is (owner: a server's id, or "" for the shell or a DM). A failure to
// save is not an error: the image is returned with SaveErr set, so the
// caller can still deliver it.
func (s *Service) Generate(ctx context.Context, p Prepared, owner string) (*Result, error) {
	r := p.Request
	start := s.now()
	img, err := s.call(ctx, p)
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
	log := s.log.With("guild", owner, "engine", r.Engine, "upscale", r.Upscale, "seed", img.Seed, "finish_reason", img.FinishReason,
		"bytes", len(img.PNG), "latency", s.now().Sub(start).Round(time.Millisecond))
	if res.SaveErr != nil {
		log.Error("generated image could not be saved", "err", res.SaveErr)
	} else {
		log.Info("image generated", "path", res.Path)
	}
	s.observe(r, res)
	return res, nil
}

// call makes the API request: a generation, from a picture or not, or an upscale. The picture is
// read from the disk now: jobs store its path, not its bytes.
func (s *Service) call(ctx context.Context, p Prepared) (*dreamstudio.Image, error) {
	r := p.Request
	if r.Init == nil {
		return s.api.Generate(ctx, p.api)
	}
	png, err := readPicture(r.Init.Path, r.Width, r.Height)
	if err != nil {
		return nil, err
	}
	if r.Upscale != "" {
		return s.api.Upscale(ctx, p.up, png)
	}
	checked, err := p.api.WithInitImage(png)
	if err != nil {
		return nil, err
	}
	return s.api.Generate(ctx, checked)
}

// PictureError is a picture to start from or to upscale that can no longer be read.
type PictureError struct {
	Path string
	Err  error
}

func (e *PictureError) Error() string { return "read the picture " + e.Path + ": " + e.Err.Error() }
func (e *PictureError) Unwrap() error { return e.Err }

// readPicture reads a PNG from the disk, scaled to width x height when it has another size (an
// upscale of a picture larger than the upscaler takes).
func readPicture(path string, width, height int) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &PictureError{Path: path, Err: err}
	}
	// The header first: a picture of the right size goes as it is, without decoding its pixels.
	if cfg, err := png.DecodeConfig(bytes.NewReader(data)); err == nil && (cfg.Width == width && cfg.Height == height || width == 0) {
		return data, nil
	}
	img, _, err := picture.Decode(data, picture.DefaultMaxPixels)
	if err != nil {
		return nil, &PictureError{Path: path, Err: err}
	}
	data, err = picture.EncodePNG(picture.Scale(img, image.Pt(width, height)))
	if err != nil {
		return nil, &PictureError{Path: path, Err: err}
	}
	return data, nil
}

func apiParams(r Request) dreamstudio.Params {
	p := dreamstudio.Params{
		Prompt: r.Prompt, NegativePrompt: r.NegativePrompt, Size: dreamstudio.Size{Width: r.Width, Height: r.Height},
		AspectRatio: r.AspectRatio, Seed: r.Seed, Steps: r.Steps, CfgScale: r.CfgScale, Sampler: r.Sampler, StylePreset: r.Style,
	}
	if r.Init != nil {
		p.Init = &dreamstudio.Init{Width: r.Init.Width, Height: r.Init.Height, Keep: r.Init.Keep}
	}
	return p
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
	if r.Init != nil {
		p.SourceImage = r.Init.From
		if p.SourceImage == "" {
			p.SourceImage = filepath.Base(r.Init.Path)
		}
		p.Source, p.Strength = pnginfo.SourceImg2Img, 1-r.Init.Keep
	}
	if r.Upscale != "" {
		p.Source, p.Upscaler, p.Engine, p.Steps, p.CfgScale = pnginfo.SourceUpscale, "stable-image-upscale-"+r.Upscale, "", 0, 0
	}
	return p
}
