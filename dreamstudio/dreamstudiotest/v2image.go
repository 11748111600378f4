package dreamstudiotest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
)

// imageInfo is what the fake reads of an uploaded image: its format, named as the description's
// "Supported Formats" lists name them, and its size.
type imageInfo struct {
	format        string
	width, height int
}

// readImageHeader tells the format of an upload by its signature and reads its size from its
// header, without decoding the pixels.
func readImageHeader(b []byte) (imageInfo, error) {
	var decode func(io.Reader) (image.Config, error)
	info := imageInfo{}
	switch {
	case bytes.HasPrefix(b, []byte(pngSignature)):
		info.format, decode = "png", png.DecodeConfig
	case bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}): // SOI, then the first marker
		info.format, decode = "jpeg", jpeg.DecodeConfig
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return webpHeader(b)
	default:
		return info, errors.New("not a jpeg, png or webp image")
	}
	cfg, err := decode(bytes.NewReader(b))
	if err != nil {
		return info, fmt.Errorf("%s header: %w", info.format, err)
	}
	info.width, info.height = cfg.Width, cfg.Height
	return info, nil
}

// decodeImage reads the whole upload, so that a truncated or corrupt image is refused as the
// real API would refuse it. WebP is checked only as far as webpHeader goes: go.mod has no WebP
// decoder, and the fake takes no dependency for one.
func decodeImage(info imageInfo, b []byte) error {
	var err error
	switch info.format {
	case "png":
		_, err = png.Decode(bytes.NewReader(b))
	case "jpeg":
		_, err = jpeg.Decode(bytes.NewReader(b))
	}
	if err != nil {
		return fmt.Errorf("corrupt %s: %w", info.format, err)
	}
	return nil
}

// webpHeader reads the size of a WebP from the header of its first chunk (RFC 9649): a lossy
// "VP8 " frame header, a lossless "VP8L" header, or the canvas of an extended "VP8X" file. It
// also checks that the RIFF and chunk lengths fit the bytes received.
func webpHeader(b []byte) (imageInfo, error) {
	info := imageInfo{format: "webp"}
	if len(b) < 30 {
		return info, errors.New("webp: too short for a header")
	}
	le := binary.LittleEndian
	if riff := int64(le.Uint32(b[4:8])) + 8; riff > int64(len(b)) {
		return info, fmt.Errorf("webp: RIFF says %d bytes, got %d", riff, len(b))
	}
	if chunk := int64(le.Uint32(b[16:20])) + 20; chunk > int64(len(b)) {
		return info, fmt.Errorf("webp: %q chunk says %d bytes, got %d", b[12:16], chunk-20, len(b)-20)
	}
	data := b[20:]
	switch string(b[12:16]) {
	case "VP8 ":
		if data[0]&1 != 0 || !bytes.Equal(data[3:6], []byte{0x9d, 0x01, 0x2a}) {
			return info, errors.New("webp: VP8 chunk does not start with a key frame")
		}
		info.width, info.height = int(le.Uint16(data[6:8])&0x3fff), int(le.Uint16(data[8:10])&0x3fff)
	case "VP8L":
		bits := le.Uint32(data[1:5])
		if data[0] != 0x2f || bits>>29 != 0 {
			return info, errors.New("webp: bad VP8L signature or version")
		}
		info.width, info.height = int(bits&0x3fff)+1, int(bits>>14&0x3fff)+1
	case "VP8X":
		info.width = int(uint32(data[4])|uint32(data[5])<<8|uint32(data[6])<<16) + 1
		info.height = int(uint32(data[7])|uint32(data[8])<<8|uint32(data[9])<<16) + 1
	default:
		return info, fmt.Errorf("webp: unknown first chunk %q", b[12:16])
	}
	return info, nil
}
