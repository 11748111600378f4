package pnginfo

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Read returns the text chunks (tEXt, zTXt and iTXt) of png as keyword to
// text, decompressing where needed and converting Latin-1 (tEXt, zTXt and
// every keyword) to UTF-8. When a keyword appears twice the later chunk wins,
// as in Pillow. The whole file is validated as Embed validates it, and a
// malformed text chunk is a *FormatError too.
func Read(png []byte) (map[string]string, error) {
	cs, err := parseChunks(png)
	if err != nil {
		return nil, fmt.Errorf("read text chunks: %w", err)
	}
	m := make(map[string]string)
	for _, c := range cs {
		if !isText(c.typ) {
			continue
		}
		k, v, err := decodeText(c)
		if err != nil {
			return nil, fmt.Errorf("read text chunks: %w", err)
		}
		m[k] = v
	}
	return m, nil
}

func isText(typ []byte) bool {
	switch string(typ) {
	case "tEXt", "zTXt", "iTXt":
		return true
	}
	return false
}

// textKeyword is the keyword that starts the data of every text chunk type.
func textKeyword(data []byte) string {
	k, _, _ := bytes.Cut(data, []byte{0})
	return latin1(k)
}

// decodeText decodes one text chunk following the PNG specification's
// layouts for tEXt, zTXt and iTXt.
func decodeText(c chunk) (keyword, text string, err error) {
	bad := func(reason string) error {
		return formatErrorf(c.offset, "%s chunk: %s", c.typ, reason)
	}
	k, rest, ok := bytes.Cut(c.data, []byte{0})
	if !ok || len(k) == 0 || len(k) > 79 {
		return "", "", bad("keyword missing, empty or longer than 79 bytes")
	}
	keyword = latin1(k)
	switch string(c.typ) {
	case "tEXt":
		return keyword, latin1(rest), nil
	case "zTXt":
		if len(rest) == 0 || rest[0] != 0 {
			return "", "", bad("unknown compression method")
		}
		b, err := inflate(rest[1:])
		if err != nil {
			return "", "", bad(err.Error())
		}
		return keyword, latin1(b), nil
	}
	// iTXt: compression flag, compression method, language tag NUL,
	// translated keyword NUL, text.
	if len(rest) < 2 || rest[0] > 1 || rest[1] != 0 {
		return "", "", bad("bad compression flag or method")
	}
	compressed := rest[0] == 1
	_, rest, ok = bytes.Cut(rest[2:], []byte{0})
	if ok {
		_, rest, ok = bytes.Cut(rest, []byte{0})
	}
	if !ok {
		return "", "", bad("language tag or translated keyword not terminated")
	}
	if compressed {
		if rest, err = inflate(rest); err != nil {
			return "", "", bad(err.Error())
		}
	}
	return keyword, strings.ToValidUTF8(string(rest), "\uFFFD"), nil
}

// inflate decompresses a zlib stream of at most maxText bytes.
func inflate(b []byte) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, maxText+1))
	if err != nil {
		return nil, err
	}
	if len(out) > maxText {
		return nil, fmt.Errorf("decompressed text exceeds %d bytes", maxText)
	}
	return out, nil
}

// latin1 converts ISO 8859-1 bytes to a UTF-8 string.
func latin1(b []byte) string {
	buf := make([]byte, 0, len(b))
	for _, c := range b {
		buf = utf8.AppendRune(buf, rune(c))
	}
	return string(buf)
}
