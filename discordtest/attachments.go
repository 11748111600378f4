package discordtest

import (
	"bytes"
	"fmt"
	"image"
	"net/http"
	"net/url"
	"strconv"
	"time"

	// Decoders for the sizes of image attachments, as Discord reports them.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/webp"
)

// Attachment is a file attached to a message or given to a command's attachment option,
// with its bytes kept for tests.
type Attachment struct {
	ID          string
	Filename    string
	ContentType string
	Description string
	// URL and ProxyURL are where the fake serves the file, on its own host and with the
	// path of Discord's CDN: /attachments/<channel id>/<attachment id>/<filename>, signed
	// with ex, is and hm query parameters that must be kept, as on Discord since 2024.
	URL      string
	ProxyURL string
	Size     int
	// Width and Height are set for images (PNG, JPEG, GIF, WebP).
	Width  int
	Height int
	Data   []byte
}

// attachmentTTL is how long Discord's signed attachment URLs stay valid.
const attachmentTTL = 24 * time.Hour

// servedFile is an attachment the fake serves; path is its URL's unescaped path.
type servedFile struct {
	hm          string
	expires     time.Time
	contentType string
	data        []byte
}

// AddAttachment stores a file as a member would upload it with a command's attachment
// option, in the guild's channel, and serves it at its URL (see Attachment). Give it to an
// interaction with WithAttachment.
func (s *Server) AddAttachment(filename, contentType string, data []byte) Attachment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.storeAttachment(s.ChannelID, Attachment{Filename: filename, ContentType: contentType, Data: append([]byte(nil), data...)})
}

// AttachmentDownloads returns how many attachment downloads the fake has served.
func (s *Server) AttachmentDownloads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.downloads
}

// storeAttachment gives a an id, a size, image dimensions and a signed URL in channelID,
// and serves it there. The caller holds s.mu.
func (s *Server) storeAttachment(channelID string, a Attachment) Attachment {
	a.ID, a.Size = s.ids.next(), len(a.Data)
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(a.Data)); err == nil {
		a.Width, a.Height = cfg.Width, cfg.Height
	}
	now := s.clock.Now()
	f := servedFile{hm: randomHex(32), expires: now.Add(attachmentTTL), contentType: a.ContentType, data: a.Data}
	path := "/attachments/" + channelID + "/" + a.ID + "/" + a.Filename
	a.URL = fmt.Sprintf("%s/attachments/%s/%s/%s?ex=%x&is=%x&hm=%s",
		s.URL, channelID, a.ID, url.PathEscape(a.Filename), f.expires.Unix(), now.Unix(), f.hm)
	a.ProxyURL = a.URL
	s.files[path] = f
	return a
}

// serveAttachment serves a stored file as Discord's CDN does: 404 for an unknown path or
// an expired URL (the fake clock decides). A known path without its signature is a
// Problem, as the bot must keep the query Discord gave it.
func (s *Server) serveAttachment(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		s.unknownRoute(w, r)
		return
	}
	s.mu.Lock()
	f, ok := s.files[r.URL.Path]
	signed := ok && r.URL.Query().Get("hm") == f.hm
	fresh := ok && s.clock.Now().Before(f.expires)
	if signed && fresh {
		s.downloads++
	}
	s.mu.Unlock()
	switch {
	case ok && !signed:
		s.report(Problem{Route: "GET " + r.URL.Path, Status: http.StatusNotFound,
			Message: "attachment URL without the signature (ex, is, hm) Discord gave"})
		http.Error(w, "This content is no longer available.", http.StatusNotFound)
	case !ok || !fresh:
		http.Error(w, "This content is no longer available.", http.StatusNotFound)
	default:
		s.changed.broadcast()
		if f.contentType != "" {
			w.Header().Set("Content-Type", f.contentType)
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
		_, _ = w.Write(f.data)
	}
}

// apiJSON is the attachment object Discord sends.
func (a Attachment) apiJSON() map[string]any {
	m := map[string]any{"id": a.ID, "filename": a.Filename, "size": a.Size, "url": a.URL, "proxy_url": a.ProxyURL}
	if a.ContentType != "" {
		m["content_type"] = a.ContentType
	}
	if a.Description != "" {
		m["description"] = a.Description
	}
	if a.Width > 0 {
		m["width"], m["height"] = a.Width, a.Height
	}
	return m
}
