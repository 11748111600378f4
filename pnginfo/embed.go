package pnginfo

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"strings"
)

// maxText bounds one text value, written or (after decompression) read. The
// API's prompts are at most a few thousand bytes.
const maxText = 1 << 20

// Embed returns a copy of png with p written as uncompressed iTXt chunks right
// after IHDR, before the image data: first "parameters" (see
// Params.Parameters), then one chunk per set field under the Keyword
// constants. Every other chunk is copied byte for byte, so the image is not
// re-encoded, except text chunks under one of the Keyword constants: those are
// dropped, so that embedding twice replaces rather than duplicates or leaves a
// stale field behind. NUL bytes are removed from the values and invalid UTF-8
// is replaced with U+FFFD, as iTXt requires; a value over 1 MiB is refused.
// Input that is not a well-formed PNG is refused with a *FormatError rather
// than passed through.
func Embed(png []byte, p Params) ([]byte, error) {
	cs, err := parseChunks(png)
	if err != nil {
		return nil, fmt.Errorf("embed parameters: %w", err)
	}
	fs := p.fields()
	size := len(png)
	for i := range fs {
		fs[i].value = cleanText(fs[i].value)
		if len(fs[i].value) > maxText {
			return nil, fmt.Errorf("embed parameters: %s is %d bytes, limit %d", fs[i].key, len(fs[i].value), maxText)
		}
		size += iTXtSize(fs[i].key, fs[i].value)
	}

	out := make([]byte, 0, size)
	out = append(out, signature...)
	out = append(out, cs[0].raw...)
	for _, f := range fs {
		out = appendITXt(out, f.key, f.value)
	}
	for _, c := range cs[1:] {
		if isText(c.typ) && ownKeyword(textKeyword(c.data)) {
			continue
		}
		out = append(out, c.raw...)
	}
	return out, nil
}

// cleanText makes s acceptable as iTXt text: UTF-8 without NUL.
func cleanText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// iTXtSize is the size of the whole chunk appendITXt writes.
func iTXtSize(keyword, text string) int {
	return 12 + len(keyword) + 5 + len(text)
}

// appendITXt appends an uncompressed iTXt chunk with no language tag or
// translated keyword. keyword must be a valid PNG keyword (all of ours are
// lower-case ASCII) and text UTF-8 without NUL.
func appendITXt(dst []byte, keyword, text string) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(iTXtSize(keyword, text)-12))
	start := len(dst)
	dst = append(dst, "iTXt"...)
	dst = append(dst, keyword...)
	// Keyword terminator, compression flag 0, compression method 0, then the
	// empty language tag and translated keyword, each NUL-terminated.
	dst = append(dst, 0, 0, 0, 0, 0)
	dst = append(dst, text...)
	return binary.BigEndian.AppendUint32(dst, crc32.ChecksumIEEE(dst[start:]))
}

// ownKeyword reports whether keyword is one that Embed writes.
func ownKeyword(keyword string) bool {
	switch keyword {
	case KeywordParameters, KeywordPrompt, KeywordNegativePrompt, KeywordEngine,
		KeywordSeed, KeywordSteps, KeywordCfgScale, KeywordSampler, KeywordStyle,
		KeywordSize, KeywordFinishReason:
		return true
	}
	return false
}
