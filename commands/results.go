package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/dreamstudio"
	"dreambot/generate"
	"dreambot/settings"
)

// MaxCount is the most images one /imagine makes at once.
const MaxCount = 4

// How much of the picture a Vary keeps: two strengths that look clearly different.
const (
	keepSubtle = 0.65
	keepStrong = 0.3
)

// jobOptions are what a job holds beside its request.
type jobOptions struct {
	count int    // images to make, 1..MaxCount
	from  string // a link to the message a Vary or an Upscale came from
}

// count is how many images the job makes.
func (j imageJob) count() int { return max(j.Count, 1) }

// messageLink is the link to the message a button was clicked on.
func messageLink(r *bot.Request) string {
	if r.Message == nil {
		return ""
	}
	where := r.GuildID
	if where == "" {
		where = "@me"
	}
	return fmt.Sprintf("https://discord.com/channels/%s/%s/%s", where, r.ChannelID, r.Message.ID)
}

// imagesResponse shows a job's finished images: one as imageResponse does, several together with
// each one's seed and path. Either says what it was made from.
func imagesResponse(results []*generate.Result, p imageJob) *bot.Response {
	req := p.Prepared.Request
	var resp *bot.Response
	if len(results) == 1 {
		resp = imageResponse(results[0], req, p.engine())
	} else {
		resp = gridResponse(results, req, p.engine())
	}
	if line := madeFrom(req, p.From); line != "" {
		resp.Content = truncate(line+"\n"+resp.Content, 2000)
		resp.NoFilesContent = truncate(line+"\n"+resp.NoFilesContent, 2000)
	}
	return resp
}

// madeFrom says what an image was made from: "🔍 Upscaled (fast) from <link>", "🔀 Varied from
// <link> (keeping 30% of it)", "🖼️ Started from your picture `a.png` (1216x832, keeping 35% of it)".
func madeFrom(req generate.Request, from string) string {
	switch {
	case req.Upscale != "" && from != "":
		return fmt.Sprintf("🔍 Upscaled (%s) from %s", req.Upscale, from)
	case req.Upscale != "":
		return fmt.Sprintf("🔍 Upscaled (%s)", req.Upscale)
	case req.Init != nil && from != "":
		return fmt.Sprintf("🔀 Varied from %s (keeping %s of it)", from, percent(req.Init.Keep))
	case req.Init != nil:
		return fmt.Sprintf("🖼️ Started from your picture `%s` (%dx%d, keeping %s of it)", inCode(truncate(req.Init.From, 80)),
			req.Init.Width, req.Init.Height, percent(req.Init.Keep))
	}
	return ""
}

// percent writes 0.35 as "35%".
func percent(v float64) string { return fmt.Sprintf("%d%%", int(v*100+0.5)) }

// inCode makes text safe inside a `code span`, where markdown escapes would show.
func inCode(text string) string { return strings.ReplaceAll(text, "`", "'") }

// gridResponse shows several images of one request in one message.
func gridResponse(results []*generate.Result, req generate.Request, engine dreamstudio.Engine) *bot.Response {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**\n", escapeMarkdown(truncate(req.Prompt, 300)))
	if req.NegativePrompt != "" {
		fmt.Fprintf(&b, "Without: %s\n", escapeMarkdown(truncate(req.NegativePrompt, 150)))
	}
	fmt.Fprintf(&b, "Engine: %s · %d images\n", escapeMarkdown(engine.Name), len(results))
	resp := &bot.Response{}
	var noFiles strings.Builder
	attached := 0 // bytes: the message's files together must stay within Discord's limit
	for i, res := range results {
		fmt.Fprintf(&b, "**%d** · Seed `%d`", i+1, res.Seed)
		if sh := shape(req, res); sh != "" {
			fmt.Fprintf(&b, " · %s", sh)
		}
		name := fmt.Sprintf("dreambot-%d.png", res.Seed)
		if res.Path != "" {
			fmt.Fprintf(&b, " · `%s`", res.Path)
			name = filepath.Base(res.Path)
		}
		if res.FinishReason == dreamstudio.FinishContentFiltered {
			name = "SPOILER_" + name
			b.WriteString(" · ⚠️ changed by the content filter (behind a spoiler)")
		}
		b.WriteString("\n")
		if len(res.PNG) == 0 {
			fmt.Fprintf(&noFiles, "Image %d can no longer be read from the bot's disk.\n", i+1)
			continue
		}
		if attached+len(res.PNG) > bot.MaxUploadBytes {
			fmt.Fprintf(&noFiles, "Image %d doesn't fit in what Discord takes from a bot in one message, so it stays on the bot's disk.\n", i+1)
			continue
		}
		attached += len(res.PNG)
		resp.Files = append(resp.Files, bot.File{Name: name, ContentType: "image/png", Data: res.PNG})
	}
	resp.Content = truncate(b.String()+noFiles.String(), 2000)
	resp.NoFilesContent = truncate(b.String()+"I couldn't attach the images: they are on the bot's disk at the paths above.", 2000)
	return resp
}

// resultButtons remembers each image and returns the buttons under them: for one image Again,
// Vary (subtle), Vary (strong) and Upscale; for several U1..Un, V1..Vn and Again. Vary shows
// where the model can start from a picture, Upscale where the image is on the disk and not
// itself an upscale; either only where the server allows it. Nothing shows when the images
// can't be remembered.
func (s *Set) resultButtons(ctx context.Context, p imageJob, results []*generate.Result) []discordgo.MessageComponent {
	req := p.Prepared.Request
	if s.history == nil || req.Upscale != "" { // an upscale is where a picture ends
		return nil
	}
	g, err := s.guild(ctx, p.Ref.GuildID)
	if err != nil {
		s.log.Warn("result buttons without the server's settings", "guild", p.Ref.GuildID, "err", err)
	}
	ids := make([]string, len(results))
	for i, res := range results {
		raw, err := json.Marshal(remembered{Request: req, Count: p.count(), Path: res.Path, EngineName: p.EngineName,
			Varied: p.From != "", Member: p.Ref.UserID})
		var id int64
		if err == nil {
			id, err = s.history.RememberGeneration(ctx, p.Ref.GuildID, p.Ref.UserID, raw)
		}
		if err != nil {
			s.log.Warn("could not remember the image: no buttons", "guild", p.Ref.GuildID, "err", err)
			return nil
		}
		ids[i] = strconv.FormatInt(id, 10)
	}
	canVary := req.Upscale == "" && dreamstudio.ImageToImage(req.Engine) && g.Enables(settings.FeatureVary, s.cfg.DisabledFeatures)
	canUpscale := req.Upscale == "" && g.Enables(settings.FeatureUpscale, s.cfg.DisabledFeatures)
	onDisk := func(i int) bool { return results[i].Path != "" && len(results[i].PNG) > 0 }
	again := discordgo.Button{Label: "Again", Style: discordgo.SecondaryButton, Emoji: &discordgo.ComponentEmoji{Name: "🔁"},
		CustomID: againPrefix + ":" + ids[0]}
	if len(results) == 1 {
		row := []discordgo.MessageComponent{again}
		if canVary && onDisk(0) {
			row = append(row,
				discordgo.Button{Label: "Vary (subtle)", Style: discordgo.SecondaryButton, CustomID: varyPrefix + ":" + ids[0] + ":subtle"},
				discordgo.Button{Label: "Vary (strong)", Style: discordgo.SecondaryButton, CustomID: varyPrefix + ":" + ids[0] + ":strong"})
		}
		if canUpscale && onDisk(0) {
			row = append(row, discordgo.Button{Label: "Upscale", Style: discordgo.SecondaryButton, CustomID: upscalePrefix + ":" + ids[0]})
		}
		return []discordgo.MessageComponent{discordgo.ActionsRow{Components: row}}
	}
	var rows []discordgo.MessageComponent
	for _, kind := range []struct {
		on     bool
		letter string
		id     func(string) string
	}{
		{canUpscale, "U", func(id string) string { return upscalePrefix + ":" + id }},
		{canVary, "V", func(id string) string { return varyPrefix + ":" + id + ":strong" }},
	} {
		if !kind.on {
			continue
		}
		var row []discordgo.MessageComponent
		for i := range results {
			if onDisk(i) {
				row = append(row, discordgo.Button{Label: kind.letter + strconv.Itoa(i+1), Style: discordgo.SecondaryButton, CustomID: kind.id(ids[i])})
			}
		}
		if len(row) > 0 {
			rows = append(rows, discordgo.ActionsRow{Components: row})
		}
	}
	return append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{again}})
}

// enabled refuses a feature the server's moderators or the operator turned off.
func (s *Set) enabled(ctx context.Context, guildID, feature, what string) error {
	g, err := s.guild(ctx, guildID)
	if err != nil {
		return err
	}
	if g.Enables(feature, s.cfg.DisabledFeatures) {
		return nil
	}
	if slices.Contains(s.cfg.DisabledFeatures, feature) {
		return inputErrorf("%s is turned off on this bot.", what)
	}
	return inputErrorf("%s is turned off in this server by its moderators.", what)
}

// savedPicture reads the size of a remembered image on the disk.
func savedPicture(m remembered) (generate.Init, error) {
	if m.Path == "" {
		return generate.Init{}, inputErrorf("That image was never saved on the bot's disk, so I can't work from it. Use /imagine instead.")
	}
	f, err := os.Open(m.Path)
	if err != nil {
		return generate.Init{}, inputErrorf("That image is no longer on the bot's disk, so I can't work from it. Use /imagine instead.")
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		return generate.Init{}, fmt.Errorf("read %s: %w", m.Path, err)
	}
	return generate.Init{Path: m.Path, Width: cfg.Width, Height: cfg.Height, From: filepath.Base(m.Path)}, nil
}

// vary makes a remembered image again from itself: the same prompt and options, a new seed, and
// the image as the start, keeping much of it (subtle) or less (strong).
func (s *Set) vary(ctx context.Context, r *bot.Request) (*bot.Response, error) {
	m, strength, err := s.recall(ctx, r)
	if err != nil {
		return nil, err
	}
	if err := s.enabled(ctx, r.GuildID, settings.FeatureVary, "Vary"); err != nil {
		return nil, err
	}
	engine, err := s.pickEngine(ctx, r.GuildID, m.Request.Engine)
	if err != nil {
		return nil, err
	}
	if !dreamstudio.ImageToImage(engine.ID) {
		return nil, inputErrorf("%s can't start from a picture, so it can't make variations. Try Again instead.", engine.Name)
	}
	init, err := savedPicture(m)
	if err != nil {
		return nil, err
	}
	init.Keep = keepSubtle
	if strength == "strong" {
		init.Keep = keepStrong
	}
	req := m.Request
	req.Engine, req.Seed, req.AspectRatio, req.Width, req.Height, req.Init = engine.ID, 0, "", 0, 0, &init
	return s.accept(ctx, r, req, engine, jobOptions{count: 1, from: messageLink(r)})
}

// upscale makes a remembered image larger with the operator's upscaler.
func (s *Set) upscale(ctx context.Context, r *bot.Request) (*bot.Response, error) {
	m, _, err := s.recall(ctx, r)
	if err != nil {
		return nil, err
	}
	if err := s.enabled(ctx, r.GuildID, settings.FeatureUpscale, "Upscale"); err != nil {
		return nil, err
	}
	if m.Request.Upscale != "" {
		return nil, inputErrorf("That image is already upscaled.")
	}
	init, err := savedPicture(m)
	if err != nil {
		return nil, err
	}
	req := generate.Request{Upscale: s.cfg.Upscaler, Prompt: m.Request.Prompt, NegativePrompt: m.Request.NegativePrompt, Init: &init}
	engine := dreamstudio.Engine{ID: req.Model(), Name: "Stable Image Upscale (" + s.cfg.Upscaler + ")"}
	return s.accept(ctx, r, req, engine, jobOptions{count: 1, from: messageLink(r)})
}
