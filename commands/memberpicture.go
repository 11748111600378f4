package commands

import (
	"context"
	"fmt"
	"image"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/dreamstudio"
	"dreambot/generate"
	"dreambot/images"
	"dreambot/picture"
)

// Pictures keeps the pictures members start from, on the bot's disk beside the images (an
// *images.Dir in dreambot): a job stores the path, so a restart finds the picture again.
type Pictures interface {
	Save(png []byte, name images.Name) (string, error)
}

// DefaultPictureHosts are the hosts Discord serves attachments from.
var defaultPictureHosts = []string{"cdn.discordapp.com", "media.discordapp.net"}

const (
	// pictureFetchTimeout bounds a member's picture's download.
	pictureFetchTimeout = 20 * time.Second
	// defaultKeep is how much of a member's picture is kept when they don't say: the API's own
	// default image strength.
	defaultKeep = 0.35
	// stableImageInitPixels is the most pixels sent as a Stable Image model's start: they make
	// about one megapixel whatever comes in.
	stableImageInitPixels = 1 << 20
)

// attachment returns the attachment an option names, from the interaction's resolved data.
func attachment(r *bot.Request, o options, name string) *discordgo.MessageAttachment {
	opt, ok := o.byName[name]
	if !ok {
		return nil
	}
	id, _ := opt.Value.(string)
	data := r.ApplicationCommandData()
	if data.Resolved == nil {
		return nil
	}
	return data.Resolved.Attachments[id]
}

// memberPicture downloads a member's picture from Discord's attachment hosts, checks it before
// anything is spent, fits it to what engine accepts (the nearest of its sizes, or at most about a
// megapixel for Stable Image models) with a real resampling filter, and saves it for the job.
func (s *Set) memberPicture(ctx context.Context, r *bot.Request, att *discordgo.MessageAttachment, engine dreamstudio.Engine, keep float64) (*generate.Init, error) {
	if !dreamstudio.ImageToImage(engine.ID) {
		return nil, inputErrorf("%s can't start from a picture. Pick another engine, or leave the picture out.", engine.Name)
	}
	if s.pictures == nil {
		return nil, inputErrorf("Starting from a picture isn't available with this bot's configuration.")
	}
	if att.Size > picture.DefaultMaxBytes {
		return nil, inputErrorf("That picture is %.1f MB; the most I take is %d MB.", float64(att.Size)/(1<<20), picture.DefaultMaxBytes>>20)
	}
	hosts := s.cfg.PictureHosts
	if len(hosts) == 0 {
		hosts = defaultPictureHosts
	}
	fctx, cancel := context.WithTimeout(ctx, pictureFetchTimeout)
	defer cancel()
	data, err := picture.Fetch(fctx, s.httpClient, att.URL, hosts, picture.DefaultMaxBytes)
	if err != nil {
		return nil, err
	}
	// Decoding and resampling a large picture takes over 100 MB for a moment: one at a time.
	select {
	case s.work.fitting <- struct{}{}:
		defer func() { <-s.work.fitting }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	img, _, err := picture.Decode(data, picture.DefaultMaxPixels)
	if err != nil {
		return nil, err
	}
	var fitted image.Image
	var size image.Point
	if sizes := dreamstudio.Sizes(engine.ID); len(sizes) > 0 {
		points := make([]image.Point, len(sizes))
		for i, sz := range sizes {
			points[i] = image.Pt(sz.Width, sz.Height)
		}
		fitted, size = picture.Fit(img, points)
	} else {
		fitted, size = picture.Shrink(img, stableImageInitPixels, 64)
	}
	png, err := picture.EncodePNG(fitted)
	if err != nil {
		return nil, fmt.Errorf("encode the member's picture: %w", err)
	}
	path, err := s.pictures.Save(png, images.Name{Time: s.now(), Guild: r.GuildID, Prompt: "start " + att.Filename})
	if err != nil {
		return nil, fmt.Errorf("save the member's picture: %w", err)
	}
	return &generate.Init{Path: path, Width: size.X, Height: size.Y, Keep: keep, From: att.Filename}, nil
}
