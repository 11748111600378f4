package commands

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

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
	// The prompt's rules (not blank, not too long) are the API's: checked
	// with the rest of the request, in dreamstudio.
	prompt := strings.TrimSpace(o.string("prompt"))
	engine, err := s.pickEngine(ctx, r.GuildID, strings.TrimSpace(o.string("engine")))
	if err != nil {
		return nil, err
	}
	req, err := imagineRequest(o, engine.ID, prompt)
	if err != nil {
		return nil, err
	}
	count, hasCount, err := o.int("count", 1, MaxCount)
	if err != nil {
		return nil, err
	}
	if hasCount && count > 1 {
		if err := s.enabled(ctx, r.GuildID, settings.FeatureCount, "Making several images at once"); err != nil {
			return nil, err
		}
	}
	keep, hasKeep, err := o.number("strength", 0, 1)
	if err != nil {
		return nil, err
	}
	att := attachment(r, o, "image")
	switch {
	case att != nil:
		if err := s.enabled(ctx, r.GuildID, settings.FeatureImage, "Starting from your own picture"); err != nil {
			return nil, err
		}
		if !hasKeep {
			keep = defaultKeep
		}
		if req.ShapeSet() {
			return nil, inputErrorf("Leave `size` out when you start from a picture: the image takes the picture's shape.")
		}
		// Checked before the picture is fetched: a request that would be refused costs nothing.
		if _, err := generate.Prepare(req); err != nil {
			return nil, err
		}
		if req.Init, err = s.memberPicture(ctx, r, att, engine, keep); err != nil {
			return nil, err
		}
	case hasKeep:
		return nil, inputErrorf("`strength` says how much of your picture to keep: add a picture with the `image` option, or leave `strength` out.")
	}
	resp, err := s.accept(ctx, r, req, engine, jobOptions{count: int(count)})
	if err != nil && req.Init != nil {
		os.Remove(req.Init.Path) // no job will read it
	}
	return resp, err
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
	if err := req.SetShape(o.string("size")); err != nil {
		return req, err
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

// shape describes an image's size: its pixels when known, and the ratio asked for.
func shape(req generate.Request, res *generate.Result) string {
	w, h := req.Width, req.Height
	if res.Width > 0 && res.Height > 0 {
		w, h = res.Width, res.Height
	}
	var parts []string
	if w > 0 && h > 0 {
		parts = append(parts, fmt.Sprintf("%dx%d", w, h))
	}
	if req.AspectRatio != "" {
		parts = append(parts, req.AspectRatio)
	}
	return strings.Join(parts, " · ")
}

// imageResponse shows a finished image: attached, with its prompt, engine,
// seed and where it was saved.
func imageResponse(res *generate.Result, req generate.Request, engine dreamstudio.Engine) *bot.Response {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**\n", escapeMarkdown(truncate(req.Prompt, 400)))
	if req.NegativePrompt != "" {
		fmt.Fprintf(&b, "Without: %s\n", escapeMarkdown(truncate(req.NegativePrompt, 200)))
	}
	fmt.Fprintf(&b, "Engine: %s · Seed: `%d`", escapeMarkdown(engine.Name), res.Seed)
	if sh := shape(req, res); sh != "" {
		fmt.Fprintf(&b, " · %s", sh)
	}
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
	if len(res.PNG) > bot.MaxUploadBytes && res.Path != "" {
		noFiles = content + fmt.Sprintf("\nThe image is %.1f MiB, more than Discord takes from a bot (%d MiB), so it stays on the bot's disk.",
			float64(len(res.PNG))/(1<<20), bot.MaxUploadBytes>>20)
	}
	if res.Path == "" {
		noFiles = content + "\nI couldn't attach the image either. Please try again."
	}
	if len(res.PNG) == 0 { // saved before a restart, and gone from the disk since
		return &bot.Response{Content: content + "\n⚠️ The image can no longer be read from the bot's disk, so I can't attach it. " +
			"Please let the bot's operator know."}
	}
	return &bot.Response{
		Content:        content,
		Files:          []bot.File{{Name: name, ContentType: "image/png", Data: res.PNG}},
		NoFilesContent: noFiles,
	}
}

// pickEngine returns the engine a member asked for, or the default one,
// as settings.ChooseEngine decides with the server's and the operator's
// settings.
func (s *Set) pickEngine(ctx context.Context, guildID, asked string) (dreamstudio.Engine, error) {
	all, err := s.engines.Engines(ctx)
	if err != nil {
		return dreamstudio.Engine{}, fmt.Errorf("list engines: %w", err)
	}
	g, err := s.guild(ctx, guildID)
	if err != nil {
		return dreamstudio.Engine{}, err
	}
	return settings.ChooseEngine(g, s.cfg.operator(), all, asked)
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

// markdownEscaper keeps a member's text from formatting a public message:
// emphasis, code, spoilers, quotes, headings, and masked links
// ("[text](url)", which could dress a link up as something else).
var markdownEscaper = strings.NewReplacer("\\", "\\\\", "*", "\\*", "_", "\\_", "~", "\\~", "`", "\\`", "|", "\\|", ">", "\\>", "#", "\\#",
	"[", "\\[", "]", "\\]")

func escapeMarkdown(s string) string { return markdownEscaper.Replace(s) }
