package pnginfo_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"dreambot/pnginfo"
)

func TestCorruptInputRefused(t *testing.T) {
	t.Parallel()
	good := smallPNG(t)
	cs := splitPNG(t, good)
	idatAt := 8 // offset of the first IDAT chunk
	for _, c := range cs {
		if c.typ == "IDAT" {
			break
		}
		idatAt += len(c.raw)
	}
	flip := func(i int) []byte {
		b := bytes.Clone(good)
		b[i] ^= 0x01
		return b
	}
	tests := []struct {
		name       string
		input      []byte
		wantOffset int
	}{
		{"empty", nil, 0},
		{"gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), 0},
		{"bad signature", flip(1), 0},
		{"signature only", good[:8], 8},
		{"bad IHDR crc", flip(8 + 8), 8},
		{"bad IDAT data", flip(idatAt + 8), idatAt},
		{"bad IDAT crc", flip(idatAt + len(cs[1].raw) - 1), idatAt},
		{"bad IEND crc", flip(len(good) - 1), len(good) - 12},
		{"truncated in IDAT", good[:idatAt+20], idatAt},
		{"truncated before IEND", good[:len(good)-12], len(good) - 12},
		{"truncated in IEND", good[:len(good)-1], len(good) - 12},
		{"data after IEND", append(bytes.Clone(good), 0), len(good)},
		{"first chunk not IHDR", append([]byte("\x89PNG\r\n\x1a\n"), good[8+len(cs[0].raw):]...), 8},
		{"IHDR too short", withLength(good, 8, 12), 8},
		{"length over 2^31-1", withLength(good, idatAt, 1<<31), idatAt},
		{"length past the end", withLength(good, idatAt, 1<<30), idatAt},
		{"chunk type not letters", chunkType(good, idatAt, "ID1T"), idatAt + 4},
		{"no IDAT", withoutIDAT(t, good), 8 + len(cs[0].raw)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := pnginfo.Embed(tt.input, pnginfo.Params{Prompt: "p"})
			checkFormatError(t, "Embed", err, tt.wantOffset)
			if out != nil {
				t.Errorf("Embed returned %d bytes with its error", len(out))
			}
			m, err := pnginfo.Read(tt.input)
			checkFormatError(t, "Read", err, tt.wantOffset)
			if m != nil {
				t.Errorf("Read returned %v with its error", m)
			}
			checkFormatError(t, "Validate", pnginfo.Validate(tt.input), tt.wantOffset)
		})
	}
}

func TestValidateAcceptsWholeFiles(t *testing.T) {
	t.Parallel()
	for name, img := range testImages() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			good := encodePNG(t, img)
			if err := pnginfo.Validate(good); err != nil {
				t.Fatalf("Validate(encoded) = %v", err)
			}
			out, err := pnginfo.Embed(good, pnginfo.Params{Prompt: "p"})
			if err != nil {
				t.Fatal(err)
			}
			if err := pnginfo.Validate(out); err != nil {
				t.Errorf("Validate(embedded) = %v", err)
			}
		})
	}
}

// withoutIDAT returns png with its image data chunks left out: IHDR, then IEND.
func withoutIDAT(tb testing.TB, png []byte) []byte {
	tb.Helper()
	out := []byte("\x89PNG\r\n\x1a\n")
	for _, c := range splitPNG(tb, png) {
		if c.typ != "IDAT" {
			out = append(out, c.raw...)
		}
	}
	return out
}

func checkFormatError(t *testing.T, fn string, err error, wantOffset int) {
	t.Helper()
	var fe *pnginfo.FormatError
	if !errors.As(err, &fe) {
		t.Errorf("%s error = %v, want a *FormatError", fn, err)
		return
	}
	if fe.Offset != wantOffset {
		t.Errorf("%s error %q at offset %d, want %d", fn, err, fe.Offset, wantOffset)
	}
}

// withLength returns a copy of png whose chunk at off claims length n; the
// CRC is left alone, so the length check must come first.
func withLength(png []byte, off int, n uint32) []byte {
	b := bytes.Clone(png)
	binary.BigEndian.PutUint32(b[off:], n)
	return b
}

// chunkType returns a copy of png whose chunk at off has type typ, with a
// CRC recomputed to match, so only the type check can catch it.
func chunkType(png []byte, off int, typ string) []byte {
	n := int(binary.BigEndian.Uint32(png[off:]))
	b := bytes.Clone(png[:off])
	b = append(b, makeChunk(typ, png[off+8:off+8+n])...)
	return append(b, png[off+12+n:]...)
}
