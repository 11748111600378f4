package pnginfo_test

import (
	"bytes"
	"maps"
	"strings"
	"testing"

	"dreambot/pnginfo"
)

func TestReadTextChunks(t *testing.T) {
	t.Parallel()
	base := smallPNG(t)
	tests := []struct {
		name   string
		chunks [][]byte
		want   map[string]string
	}{
		{"none", nil, map[string]string{}},
		{
			"tEXt is Latin-1",
			[][]byte{makeChunk("tEXt", []byte("Comment\x00caf\xe9"))},
			map[string]string{"Comment": "café"},
		},
		{
			"Latin-1 keyword",
			[][]byte{makeChunk("tEXt", []byte("Gr\xfc\xdfe\x00x"))},
			map[string]string{"Grüße": "x"},
		},
		{
			"empty text",
			[][]byte{makeChunk("tEXt", []byte("Empty\x00"))},
			map[string]string{"Empty": ""},
		},
		{
			"zTXt",
			[][]byte{makeChunk("zTXt", []byte("Title\x00\x00"), deflate(t, []byte("d\xe9j\xe0 vu")))},
			map[string]string{"Title": "déjà vu"},
		},
		{
			"compressed iTXt with language",
			[][]byte{makeChunk("iTXt", []byte("parameters\x00\x01\x00ja\x00パラメータ\x00"), deflate(t, []byte("猫, 宇宙")))},
			map[string]string{"parameters": "猫, 宇宙"},
		},
		{
			"invalid utf-8 in iTXt repaired",
			[][]byte{makeChunk("iTXt", []byte("k\x00\x00\x00\x00\x00a\xffb"))},
			map[string]string{"k": "a\uFFFDb"},
		},
		{
			"later chunk wins",
			[][]byte{
				makeChunk("tEXt", []byte("k\x00first")),
				makeChunk("iTXt", []byte("k\x00\x00\x00\x00\x00second")),
			},
			map[string]string{"k": "second"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := pnginfo.Read(withChunks(t, base, tt.chunks...))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("Read = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReadMalformedTextChunk(t *testing.T) {
	t.Parallel()
	base := smallPNG(t)
	bomb := deflate(t, bytes.Repeat([]byte{'a'}, 1<<20+1))
	tests := []struct {
		name  string
		chunk []byte
	}{
		{"tEXt without NUL", makeChunk("tEXt", []byte("no separator"))},
		{"empty keyword", makeChunk("tEXt", []byte("\x00text"))},
		{"keyword of 80 bytes", makeChunk("tEXt", []byte(strings.Repeat("k", 80)+"\x00text"))},
		{"zTXt unknown method", makeChunk("zTXt", []byte("k\x00\x01"), deflate(t, []byte("x")))},
		{"zTXt without method", makeChunk("zTXt", []byte("k\x00"))},
		{"zTXt bad zlib", makeChunk("zTXt", []byte("k\x00\x00not zlib"))},
		{"zTXt over 1 MiB", makeChunk("zTXt", []byte("k\x00\x00"), bomb)},
		{"iTXt flag 2", makeChunk("iTXt", []byte("k\x00\x02\x00\x00\x00text"))},
		{"iTXt method 1", makeChunk("iTXt", []byte("k\x00\x01\x01\x00\x00text"))},
		{"iTXt without flags", makeChunk("iTXt", []byte("k\x00"))},
		{"iTXt language not terminated", makeChunk("iTXt", []byte("k\x00\x00\x00en"))},
		{"iTXt translated keyword not terminated", makeChunk("iTXt", []byte("k\x00\x00\x00en\x00key"))},
		{"iTXt truncated zlib", makeChunk("iTXt", []byte("k\x00\x01\x00\x00\x00"), deflate(t, []byte("text"))[:5])},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := pnginfo.Read(withChunks(t, base, tt.chunk))
			checkFormatError(t, "Read", err, 8+len(splitPNG(t, base)[0].raw))
		})
	}
}
