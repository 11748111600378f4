package main

// End-to-end tests of working with a result: Vary, Upscale, several
// images at once, a member's own picture as a start, and the features a
// server can turn off.

import (
	"bytes"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"strings"
	"testing"

	"dreambot/discordtest"
	"dreambot/pnginfo"
)

// button is one button of a message.
type button struct {
	Label    string `json:"label"`
	CustomID string `json:"custom_id"`
}

// buttons returns a message's buttons, row by row.
func buttons(t *testing.T, m *discordtest.Message) [][]button {
	t.Helper()
	var rows [][]button
	for _, raw := range m.Components {
		var row struct {
			Components []button `json:"components"`
		}
		if err := json.Unmarshal(raw, &row); err != nil {
			t.Fatalf("components %s: %v", raw, err)
		}
		rows = append(rows, row.Components)
	}
	return rows
}

func labels(rows [][]button) string {
	var out []string
	for _, row := range rows {
		var ls []string
		for _, b := range row {
			ls = append(ls, b.Label)
		}
		out = append(out, strings.Join(ls, ","))
	}
	return strings.Join(out, " / ")
}

// find returns the custom id of the button labelled label.
func find(t *testing.T, rows [][]button, label string) string {
	t.Helper()
	for _, row := range rows {
		for _, b := range row {
			if b.Label == label {
				return b.CustomID
			}
		}
	}
	t.Fatalf("no %q button in %s", label, labels(rows))
	return ""
}

// click clicks a button of msg and returns the new message it makes.
func click(t *testing.T, e *e2e, msg *discordtest.Message, customID string) *discordtest.Message {
	t.Helper()
	it := e.discord.Inject(discordtest.ComponentClick(customID, discordtest.OnMessage(msg.ID)))
	got, err := it.WaitOriginal(ctxFor(t), done)
	if err != nil {
		t.Fatalf("%s: %v; responses %+v; original %+v\n%s", customID, err, it.Responses(), it.Original(), e.logs)
	}
	return got
}

// parameters reads the PNG parameters of the first attachment of m.
func parameters(t *testing.T, m *discordtest.Message) string {
	t.Helper()
	if len(m.Attachments) == 0 {
		t.Fatalf("message %q has no image", m.Content)
	}
	info, err := pnginfo.Read(m.Attachments[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	return info[pnginfo.KeywordParameters]
}

// requestsTo returns the fake Stability's requests to a path, oldest first.
func requestsTo(e *e2e, path string) []map[string]string {
	var out []map[string]string
	for _, r := range e.api.Requests() {
		if r.Path == path {
			f := map[string]string{}
			for k, v := range r.Form {
				f[k] = v
			}
			for name, part := range r.Files {
				f[name] = part.Format
			}
			out = append(out, f)
		}
	}
	return out
}

func TestE2EVaryAndUpscale(t *testing.T) {
	t.Parallel()
	e := startBot(t, map[string]string{"USER_RATE_BURST": "10"})
	ctx := ctxFor(t)
	first, err := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a lighthouse"),
		discordtest.WithOption("seed", 42))).WaitOriginal(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	rows := buttons(t, first)
	if got := labels(rows); got != "Again,Vary (subtle),Vary (strong),Upscale" {
		t.Fatalf("buttons %q, want Again, Vary (subtle), Vary (strong), Upscale", got)
	}

	varied := click(t, e, first, find(t, rows, "Vary (strong)"))
	link := "https://discord.com/channels/" + first.GuildID + "/" + first.ChannelID + "/" + first.ID
	if varied.ID == first.ID || !strings.Contains(varied.Content, "Varied from "+link) || len(varied.Attachments) != 1 {
		t.Errorf("vary: %q, want a new image that links to %s", varied.Content, link)
	}
	sent := requestsTo(e, "/v1/generation/stable-diffusion-xl-1024-v1-0/image-to-image")
	if len(sent) != 1 || sent[0]["image_strength"] != "0.3" || sent[0]["init_image"] != "png" || sent[0]["text_prompts[0][text]"] != "a lighthouse" {
		t.Errorf("vary sent %v, want the image with image_strength 0.3 and the prompt", sent)
	}
	if p := parameters(t, varied); !strings.Contains(p, "Source: img2img, Denoising strength: 0.7, Source image: ") || strings.Contains(p, "Seed: 42,") {
		t.Errorf("vary parameters %q", p)
	}
	if got := labels(buttons(t, varied)); got != "Again,Vary (subtle),Vary (strong),Upscale" {
		t.Errorf("a variation's buttons %q, want the same four to go on", got)
	}

	up := click(t, e, first, find(t, rows, "Upscale"))
	if !strings.Contains(up.Content, "Upscaled (fast) from "+link) || len(up.Components) != 0 {
		t.Errorf("upscale: %q with %d button rows", up.Content, len(up.Components))
	}
	if p := parameters(t, up); !strings.Contains(p, "Size: 4096x4096") || !strings.Contains(p, "Source: upscale") ||
		!strings.Contains(p, "Upscaler: stable-image-upscale-fast") {
		t.Errorf("upscale parameters %q", p)
	}
	if sent := requestsTo(e, "/v2beta/stable-image/upscale/fast"); len(sent) != 1 || sent[0]["image"] != "png" {
		t.Errorf("upscale sent %v", sent)
	}
	if _, err := os.Stat(savedPath(t, up.Content)); err != nil {
		t.Errorf("the upscale is not on disk: %v", err)
	}

	// A button whose image the bot no longer remembers says so.
	resp, err := e.discord.Inject(discordtest.ComponentClick("vary:999999:strong", discordtest.OnMessage(first.ID))).WaitResponse(ctx)
	if err != nil || resp.Data.Flags&64 == 0 || !strings.Contains(resp.Data.Content, "older than what I remember") {
		t.Errorf("forgotten image: %+v, %v", resp, err)
	}
}

func TestE2EVaryOnStableImageModels(t *testing.T) {
	t.Parallel()
	e := startBot(t, map[string]string{"USER_RATE_BURST": "10"})
	ctx := ctxFor(t)
	core, err := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a cat"),
		discordtest.WithOption("engine", "core"))).WaitOriginal(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	if got := labels(buttons(t, core)); got != "Again,Upscale" {
		t.Errorf("Core's buttons %q: Core can't start from a picture, so no Vary", got)
	}
	ultra, err := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a cat"),
		discordtest.WithOption("engine", "ultra"), discordtest.WithOption("size", "16:9"))).WaitOriginal(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	varied := click(t, e, ultra, find(t, buttons(t, ultra), "Vary (subtle)"))
	if len(varied.Attachments) != 1 || !strings.Contains(varied.Content, "Stable Image Ultra") {
		t.Errorf("ultra vary: %q", varied.Content)
	}
	sent := requestsTo(e, "/v2beta/stable-image/generate/ultra")
	if len(sent) != 2 || sent[1]["strength"] != "0.35" || sent[1]["image"] != "png" || sent[1]["aspect_ratio"] != "" {
		t.Errorf("ultra requests %v, want the second with the image, strength 0.35 and no aspect ratio", sent)
	}
}

func TestE2ESeveralImagesAtOnce(t *testing.T) {
	t.Parallel()
	e := startBot(t, map[string]string{"USER_RATE_BURST": "5", "USER_RATE_EVERY": "1h"})
	ctx := ctxFor(t)
	msg, err := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a lighthouse"),
		discordtest.WithOption("count", 4), discordtest.WithOption("seed", 100))).WaitOriginal(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.Attachments) != 4 || e.api.Generations() != 4 {
		t.Fatalf("message %q with %d images after %d generations, want 4", msg.Content, len(msg.Attachments), e.api.Generations())
	}
	for i, seed := range []string{"100", "101", "102", "103"} {
		if !strings.Contains(msg.Content, "Seed `"+seed+"`") {
			t.Errorf("image %d: %q does not show seed %s", i+1, msg.Content, seed)
		}
	}
	if strings.Count(msg.Content, e.imageDir) != 4 {
		t.Errorf("%q does not list the four saved paths", msg.Content)
	}
	rows := buttons(t, msg)
	if got := labels(rows); got != "U1,U2,U3,U4 / V1,V2,V3,V4 / Again" {
		t.Fatalf("buttons %q", got)
	}
	v3 := click(t, e, msg, find(t, rows, "V3"))
	if len(v3.Attachments) != 1 || !strings.Contains(v3.Content, "Varied from") {
		t.Errorf("V3: %q", v3.Content)
	}
	// The member's limit of 5 is spent: four images cost four, and the variation one.
	resp, err := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a cat"),
		discordtest.WithOption("count", 2))).WaitResponse(ctx)
	if err != nil || resp.Data.Flags&64 == 0 || !strings.Contains(resp.Data.Content, "imagine again in") {
		t.Errorf("over the limit: %+v, %v", resp, err)
	}
}

// testPNG is a w x h PNG with a gradient.
func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestE2EStartFromAPicture(t *testing.T) {
	t.Parallel()
	e := startBot(t, map[string]string{"USER_RATE_BURST": "100"})
	ctx := ctxFor(t)
	att := e.discord.AddAttachment("holiday.png", "image/png", testPNG(t, 1600, 900))
	msg, err := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "as a painting"),
		discordtest.WithAttachment("image", att), discordtest.WithOption("strength", 0.6))).WaitOriginal(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.Attachments) != 1 || !strings.Contains(msg.Content, "Started from your picture `holiday.png` (1344x768") {
		t.Errorf("message %q, want the image and the picture's fitted size", msg.Content)
	}
	sent := requestsTo(e, "/v1/generation/stable-diffusion-xl-1024-v1-0/image-to-image")
	if len(sent) != 1 || sent[0]["image_strength"] != "0.6" {
		t.Errorf("sent %v, want the fitted picture with image_strength 0.6", sent)
	}
	if e.discord.AttachmentDownloads() != 1 {
		t.Errorf("%d downloads, want 1", e.discord.AttachmentDownloads())
	}

	// A JPEG, for a Stable Image model: within a megapixel already, trimmed to sides multiples of 64.
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, image.NewRGBA(image.Rect(0, 0, 1000, 750)), nil); err != nil {
		t.Fatal(err)
	}
	photo := e.discord.AddAttachment("photo.jpg", "image/jpeg", jpg.Bytes())
	msg, err = e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "as a painting"),
		discordtest.WithOption("engine", "ultra"), discordtest.WithAttachment("image", photo))).WaitOriginal(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	ultra := requestsTo(e, "/v2beta/stable-image/generate/ultra")
	if len(msg.Attachments) != 1 || len(ultra) != 1 || ultra[0]["image"] != "png" || ultra[0]["strength"] != "0.65" {
		t.Errorf("from a JPEG on Ultra: %q, sent %v", msg.Content, ultra)
	}
	if !strings.Contains(msg.Content, "Started from your picture `photo.jpg` (960x704") {
		t.Errorf("from a JPEG: %q, want it trimmed to multiples of 64", msg.Content)
	}

	bomb := e.discord.AddAttachment("bomb.png", "image/png", bombPNG(t))
	huge := e.discord.AddAttachment("huge.png", "image/png", append(testPNG(t, 8, 8), make([]byte, 11<<20)...))
	notImage := e.discord.AddAttachment("notes.txt", "text/plain", []byte("not a picture at all"))
	elsewhere := e.discord.AddAttachment("cat.png", "image/png", testPNG(t, 64, 64))
	refusals := []struct {
		name string
		opts []discordtest.InteractionOption
		want string
	}{
		{"a decompression bomb", []discordtest.InteractionOption{discordtest.WithAttachment("image", bomb)}, "pixels"},
		{"not a picture", []discordtest.InteractionOption{discordtest.WithAttachment("image", notImage)}, "PNG, JPEG or WebP"},
		{"over 10 MB", []discordtest.InteractionOption{discordtest.WithAttachment("image", huge)}, "the most I take is 10 MB"},
		{"another host", []discordtest.InteractionOption{discordtest.WithAttachmentURL("image", elsewhere, "https://example.com/cat.png")}, "Discord's own"},
		{"Core can't start from a picture", []discordtest.InteractionOption{discordtest.WithAttachment("image", elsewhere),
			discordtest.WithOption("engine", "core")}, "can't start from a picture"},
		{"strength without a picture", []discordtest.InteractionOption{discordtest.WithOption("strength", 0.5)}, "add a picture"},
	}
	downloads := e.discord.AttachmentDownloads()
	ctx = ctxFor(t) // the refusals get their own time
	for _, tt := range refusals {
		opts := append([]discordtest.InteractionOption{discordtest.WithOption("prompt", "x")}, tt.opts...)
		resp, err := e.discord.Inject(discordtest.SlashCommand("imagine", opts...)).WaitResponse(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Type != 4 || resp.Data.Flags&64 == 0 || !strings.Contains(resp.Data.Content, tt.want) {
			t.Errorf("%s: %+v, want a private message about %q", tt.name, resp, tt.want)
		}
	}
	if got := e.discord.AttachmentDownloads() - downloads; got != 2 {
		t.Errorf("%d downloads for the refusals, want 2 (the bomb and the text: never the other host, the oversized one, nor for Core)", got)
	}
	if e.api.Generations() != 2 {
		t.Errorf("%d generations, want 2: nothing spent on a refusal", e.api.Generations())
	}
}

// bombPNG is a small PNG whose header declares 100000 x 100000 pixels.
func bombPNG(t *testing.T) []byte {
	t.Helper()
	b := testPNG(t, 1, 1)
	// IHDR's width and height are bytes 16..23; its CRC follows the 13 data bytes.
	copy(b[16:24], []byte{0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0})
	crc := crc32IEEE(b[12:29])
	copy(b[29:33], []byte{byte(crc >> 24), byte(crc >> 16), byte(crc >> 8), byte(crc)})
	return b
}

func TestE2EFeaturesTurnedOff(t *testing.T) {
	t.Parallel()
	e := startBot(t, map[string]string{"DISABLED_FEATURES": "count", "USER_RATE_BURST": "10"})
	ctx := ctxFor(t)
	off := e.discord.Inject(discordtest.SlashCommand("dreamstudio", discordtest.WithPermissions(discordtest.DefaultMemberPermissions|manageGuild),
		discordtest.Subcommand("features", discordtest.WithOption("feature", "vary"), discordtest.WithOption("enabled", false))))
	if resp, err := off.WaitResponse(ctx); err != nil || !strings.Contains(resp.Data.Content, "vary off") ||
		!strings.Contains(resp.Data.Content, "count off (the bot's setting)") {
		t.Fatalf("features: %+v, %v", resp, err)
	}
	msg, err := e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a cat"))).WaitOriginal(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	if got := labels(buttons(t, msg)); got != "Again,Upscale" {
		t.Errorf("buttons with Vary off: %q", got)
	}
	resp, err := e.discord.Inject(discordtest.ComponentClick("vary:1:strong", discordtest.OnMessage(msg.ID))).WaitResponse(ctx)
	if err != nil || resp.Data.Flags&64 == 0 || !strings.Contains(resp.Data.Content, "turned off in this server") {
		t.Errorf("an old Vary button with Vary off: %+v, %v", resp, err)
	}
	resp, err = e.discord.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "a cat"),
		discordtest.WithOption("count", 2))).WaitResponse(ctx)
	if err != nil || resp.Data.Flags&64 == 0 || !strings.Contains(resp.Data.Content, "turned off on this bot") {
		t.Errorf("count with count off: %+v, %v", resp, err)
	}
	if e.api.Generations() != 1 {
		t.Errorf("%d generations, want 1", e.api.Generations())
	}
}

func crc32IEEE(b []byte) uint32 { return crc32.ChecksumIEEE(b) }

func TestE2ESeveralImagesPartlyMadeAndTheirLimits(t *testing.T) {
	t.Parallel()
	e := startBot(t, map[string]string{"USER_RATE_BURST": "3", "USER_RATE_EVERY": "1h"})
	ctx := ctxFor(t)
	imagine := func(opts ...discordtest.InteractionOption) *discordtest.Interaction {
		return e.discord.Inject(discordtest.SlashCommand("imagine", append([]discordtest.InteractionOption{
			discordtest.WithOption("prompt", "a lighthouse")}, opts...)...))
	}
	// More images than the member's burst can never pass: said at once, nothing taken.
	resp, err := imagine(discordtest.WithOption("count", 4)).WaitResponse(ctx)
	if err != nil || resp.Data.Flags&64 == 0 || !strings.Contains(resp.Data.Content, "more images at once than your limit") {
		t.Fatalf("count over the burst: %+v, %v", resp, err)
	}
	// As many as the burst pass; the second fails at the API: the first is shown, no third is made.
	release := e.api.Hold()
	it := imagine(discordtest.WithOption("count", 3))
	if err := e.api.WaitHeld(ctx, 1); err != nil {
		t.Fatal(err)
	}
	e.api.FailNextGeneration(500, "server_error", "the fake fails")
	release()
	msg, err := it.WaitOriginal(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.Attachments) != 1 || !strings.Contains(msg.Content, "Only 1 of 3 images could be made") {
		t.Errorf("partly made: %q with %d images", msg.Content, len(msg.Attachments))
	}
	if n := e.api.Generations(); n != 1 {
		t.Errorf("%d generations, want 1: no image after the failure", n)
	}
	// With count turned off since, Again makes one image (another member clicks: their own limit).
	off := e.discord.Inject(discordtest.SlashCommand("dreamstudio", discordtest.WithPermissions(discordtest.DefaultMemberPermissions|manageGuild),
		discordtest.Subcommand("features", discordtest.WithOption("feature", "count"), discordtest.WithOption("enabled", false))))
	if _, err := off.WaitResponse(ctx); err != nil {
		t.Fatal(err)
	}
	again := e.discord.Inject(discordtest.ComponentClick(find(t, buttons(t, msg), "Again"), discordtest.OnMessage(msg.ID),
		discordtest.WithUser(discordtest.User{ID: "80351110224678999", Username: "other"})))
	second, err := again.WaitOriginal(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Attachments) != 1 || e.api.Generations() != 2 {
		t.Errorf("Again with count off: %q with %d images, %d generations; want one more image", second.Content,
			len(second.Attachments), e.api.Generations())
	}
}
