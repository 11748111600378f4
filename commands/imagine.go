package commands

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"dreambot/bot"
	"dreambot/dreamstudio"
	"dreambot/generate"
	"dreambot/settings"
)

func (s *Set) imagine(ctx context.Context, r *bot.Request) (*bot.Response, error) {
	if !r.InGuild() && !s.cfg.AllowDMs {
		return nil, inputErrorf("I only make images in servers: use /imagine in a server we share.")
	}
	o := parseOptions(r.ApplicationCommandData())
	prompt := strings.TrimSpace(o.string("prompt"))
	switch n := utf8.RuneCountInString(prompt); {
	case n == 0:
		return nil, inputErrorf("Your prompt is empty. Describe what you'd like to see, e.g. `/imagine prompt: a lighthouse on a cliff at dawn`.")
	case n > dreamstudio.MaxPromptLength:
		return nil, inputErrorf("Your prompt is %d characters long; DreamStudio accepts at most %d.", n, dreamstudio.MaxPromptLength)
	}
	engine, err := s.pickEngine(ctx, r.GuildID, strings.TrimSpace(o.string("engine")))
	if err != nil {
		return nil, err
	}
	req, err := imagineRequest(o, engine.ID, prompt)
	if err != nil {
		return nil, err
	}
	return s.accept(ctx, r, req, engine)
}

// imagineRequest reads /imagine's generation options. Ranges and choices
// are declared to Discord, but payloads can be forged: Prepare checks
// everything again against the API's rules.
func imagineRequest(o options, engineID, prompt string) (generate.Request, error) {
	req := generate.Request{
		Engine: engineID, Prompt: prompt,
		NegativePrompt: strings.TrimSpace(o.string("negative_prompt")),
		Sampler:        o.string("sampler"),
		Style:          o.string("style_preset"),
	}
	if raw := strings.TrimSpace(o.string("size")); raw != "" {
		size, err := dreamstudio.ParseSize(raw)
		if err != nil {
			return req, err
		}
		req.Width, req.Height = size.Width, size.Height
	}
	seed, _, err := o.int("seed", 0, dreamstudio.MaxSeed)
	if err != nil {
		return req, err
	}
	steps, _, err := o.int("steps", dreamstudio.MinSteps, dreamstudio.MaxSteps)
	if err != nil {
		return req, err
	}
	cfg, hasCfg, err := o.number("cfg_scale", dreamstudio.MinCfgScale, dreamstudio.MaxCfgScale)
	if err != nil {
		return req, err
	}
	req.Seed, req.Steps = uint32(seed), int(steps)
	if hasCfg {
		req.CfgScale = &cfg
	}
	return req, nil
}

// imageResponse shows a finished image: attached, with its prompt, engine,
// seed and where it was saved.
func imageResponse(res *generate.Result, engine dreamstudio.Engine) *bot.Response {
	req := res.Request
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**\n", escapeMarkdown(truncate(req.Prompt, 400)))
	if req.NegativePrompt != "" {
		fmt.Fprintf(&b, "Without: %s\n", escapeMarkdown(truncate(req.NegativePrompt, 200)))
	}
	fmt.Fprintf(&b, "Engine: %s · Seed: `%d` · %dx%d", escapeMarkdown(engine.Name), res.Seed, req.Width, req.Height)
	if req.Steps != 0 {
		fmt.Fprintf(&b, " · %d steps", req.Steps)
	}
	if req.CfgScale != nil {
		fmt.Fprintf(&b, " · CFG %g", *req.CfgScale)
	}
	for _, v := range []string{req.Sampler, req.Style} {
		if v != "" {
			fmt.Fprintf(&b, " · %s", v)
		}
	}
	b.WriteString("\n")
	name := fmt.Sprintf("dreambot-%d.png", res.Seed)
	if res.Path != "" {
		fmt.Fprintf(&b, "Saved as `%s`", res.Path)
		name = filepath.Base(res.Path)
	} else {
		b.WriteString("⚠️ The image could not be saved on the bot's disk: download it from here.")
	}
	switch res.FinishReason {
	case dreamstudio.FinishContentFiltered:
		name = "SPOILER_" + name
		b.WriteString("\n⚠️ DreamStudio's content filter changed this image (it may be blurred), so it is hidden behind a spoiler.")
	}
	content := b.String()
	noFiles := content + "\nI couldn't attach the image to this message."
	if res.Path == "" {
		noFiles = content + "\nI couldn't attach the image either. Please try again."
	}
	return &bot.Response{
		Content:        content,
		Files:          []bot.File{{Name: name, ContentType: "image/png", Data: res.PNG}},
		NoFilesContent: noFiles,
	}
}

// pickEngine returns the engine a member asked for, or the default one,
// after checking that the API offers it and the server allows it.
func (s *Set) pickEngine(ctx context.Context, guildID, asked string) (dreamstudio.Engine, error) {
	all, err := s.engines.Engines(ctx)
	if err != nil {
		return dreamstudio.Engine{}, fmt.Errorf("list engines: %w", err)
	}
	g, err := s.guild(ctx, guildID)
	if err != nil {
		return dreamstudio.Engine{}, err
	}
	allowed := s.allowedFor(g, all)
	if asked != "" {
		e, ok := findEngine(all, asked)
		if !ok {
			return e, inputErrorf("%q isn't an engine DreamStudio offers. Pick one from the list: %s.", truncate(asked, 100), engineList(allowed))
		}
		if _, ok := findEngine(allowed, e.ID); !ok {
			return e, inputErrorf("%s isn't allowed here. You can use: %s.", e.Name, engineList(allowed))
		}
		return e, nil
	}
	def, ok := s.defaultFor(g, allowed)
	if !ok {
		return dreamstudio.Engine{}, inputErrorf("No image engine is available here right now. Please let a moderator know.")
	}
	return def, nil
}

// guild returns a server's settings; in a DM, none (the operator's
// defaults apply).
func (s *Set) guild(ctx context.Context, guildID string) (settings.Guild, error) {
	if guildID == "" {
		return settings.Guild{}, nil
	}
	g, err := s.store.Guild(ctx, guildID)
	if err != nil {
		return g, fmt.Errorf("read settings of %s: %w", guildID, err)
	}
	return g, nil
}

// preferredEngines are tried, in order, when nobody chose a default.
var preferredEngines = []string{"stable-diffusion-xl-1024-v1-0", "stable-diffusion-v1-6"}

func defaultEngine(allowed []dreamstudio.Engine, configured string) dreamstudio.Engine {
	for _, id := range append([]string{configured}, preferredEngines...) {
		if e, ok := findEngine(allowed, id); ok && id != "" {
			return e
		}
	}
	return allowed[0]
}

// findEngine matches an id exactly, or a name case-insensitively (a member
// may type the label and send it without picking a suggestion).
func findEngine(es []dreamstudio.Engine, s string) (dreamstudio.Engine, bool) {
	for _, e := range es {
		if e.ID == s {
			return e, true
		}
	}
	for _, e := range es {
		if strings.EqualFold(e.Name, s) {
			return e, true
		}
	}
	return dreamstudio.Engine{}, false
}

func engineList(es []dreamstudio.Engine) string {
	if len(es) == 0 {
		return "none at the moment"
	}
	var parts []string
	for _, e := range es {
		parts = append(parts, fmt.Sprintf("%s (`%s`)", e.Name, e.ID))
	}
	return truncate(strings.Join(parts, ", "), 1200)
}

var markdownEscaper = strings.NewReplacer("\\", "\\\\", "*", "\\*", "_", "\\_", "~", "\\~", "`", "\\`", "|", "\\|", ">", "\\>", "#", "\\#")

func escapeMarkdown(s string) string { return markdownEscaper.Replace(s) }
