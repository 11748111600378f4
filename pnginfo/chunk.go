package pnginfo

import (
	"encoding/binary"
	"hash/crc32"
)

// signature is the fixed 8-byte header of every PNG file.
const signature = "\x89PNG\r\n\x1a\n"

// maxChunkLength is the largest length the PNG specification allows (2^31-1).
const maxChunkLength = 1<<31 - 1

// chunk is one chunk of a PNG file; its slices point into the input.
type chunk struct {
	typ    []byte // four ASCII letters
	data   []byte
	raw    []byte // length, type, data and CRC: what is copied on output
	offset int    // of raw in the input, for error messages
}

// parseChunks splits png into its chunks. It refuses anything a careful
// decoder would: a wrong signature, a first chunk other than IHDR, a bad
// chunk type or length, a CRC mismatch in any chunk, no IDAT, a missing
// IEND, and bytes after IEND.
func parseChunks(png []byte) ([]chunk, error) {
	if len(png) < len(signature) || string(png[:len(signature)]) != signature {
		return nil, formatErrorf(0, "not a png signature")
	}
	var cs []chunk
	off := len(signature)
	idat := false
	for {
		c, err := parseChunk(png, off)
		if err != nil {
			return nil, err
		}
		if len(cs) == 0 && (string(c.typ) != "IHDR" || len(c.data) != 13) {
			return nil, formatErrorf(off, "first chunk is %q with %d bytes, want IHDR with 13", c.typ, len(c.data))
		}
		if string(c.typ) == "IEND" && !idat {
			return nil, formatErrorf(off, "IEND before any IDAT: no image data")
		}
		idat = idat || string(c.typ) == "IDAT"
		cs = append(cs, c)
		off += len(c.raw)
		if string(c.typ) == "IEND" {
			break
		}
	}
	if off != len(png) {
		return nil, formatErrorf(off, "%d bytes after IEND", len(png)-off)
	}
	return cs, nil
}

// parseChunk reads the chunk that starts at png[off:] and checks its CRC.
func parseChunk(png []byte, off int) (chunk, error) {
	rest := png[off:]
	if len(rest) < 12 {
		return chunk{}, formatErrorf(off, "truncated: %d bytes left, a chunk needs at least 12 (missing IEND?)", len(rest))
	}
	n := binary.BigEndian.Uint32(rest)
	if n > maxChunkLength {
		return chunk{}, formatErrorf(off, "chunk length %d exceeds 2^31-1", n)
	}
	typ := rest[4:8]
	for _, b := range typ {
		if (b < 'A' || b > 'Z') && (b < 'a' || b > 'z') {
			return chunk{}, formatErrorf(off+4, "chunk type %q is not four ASCII letters", typ)
		}
	}
	if uint64(len(rest)) < 12+uint64(n) {
		return chunk{}, formatErrorf(off, "truncated %s chunk: length %d, %d bytes left", typ, n, len(rest)-12)
	}
	end := 8 + int(n)
	want := binary.BigEndian.Uint32(rest[end:])
	if got := crc32.ChecksumIEEE(rest[4:end]); got != want {
		return chunk{}, formatErrorf(off, "crc mismatch in %s chunk: computed %08x, stored %08x", typ, got, want)
	}
	return chunk{typ: typ, data: rest[8:end], raw: rest[:end+4], offset: off}, nil
}
