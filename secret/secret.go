// Package secret removes secrets (an API key, a bot token, an interaction
// token) from text that came back from a server or a library, in every form
// an echo could take, before the text reaches a log or a member.
package secret

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf8"
)

// redactedMark stands where a secret was.
const redactedMark = "[redacted]"

// minFragment is the length of the shortest run of a secret's characters that is removed on its
// own. An echo cut in the middle of the key (by the server, a proxy, or a log line) or broken by an
// escape the view below does not undo still loses every run this long.
const minFragment = 8

// decodePasses bounds the layers of escaping undone: enough for a JSON-escaped URL whose query was
// percent-encoded twice.
const decodePasses = 3

// Redact returns s with every form of secret an echo could take replaced by "[redacted]": the
// secret in any letter case; percent-encoded (either hex case, %uXXXX, once or more); JSON or
// JavaScript escaped (\uXXXX, \xXX, \/); as HTML character references; in hex; in base64 (either
// alphabet, at any alignment, so inside an echoed "Bearer"/"Basic" header too); and, for secrets
// of minFragment bytes or more, every run of minFragment or more of its characters in any of those
// forms, which is what an echo cut in the middle of the secret leaves. Call it before cutting
// text to length. It costs a few passes and a map lookup per byte; the texts are error
// messages: rare and short.
func Redact(s string, secrets ...string) string {
	return NewRedactor(secrets...).Redact(s)
}

// Redactor removes a fixed set of secrets, with the work of finding their forms done once: for
// text that is cleaned again and again (every log line).
type Redactor struct {
	windows map[uint64]bool // every minFragment bytes of every form of every long secret
	short   [][]byte        // lower-cased secrets too short for fragments: removed whole
}

// NewRedactor returns the Redactor of secrets; empty ones are ignored.
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{windows: map[uint64]bool{}}
	for _, secret := range secrets {
		switch {
		case secret == "":
		case len(secret) >= minFragment:
			for _, f := range secretForms(secret) {
				for i := 0; i+minFragment <= len(f); i++ {
					r.windows[binary.LittleEndian.Uint64([]byte(f[i:i+minFragment]))] = true
				}
			}
		default:
			r.short = append(r.short, lowerASCII([]byte(secret)))
		}
	}
	return r
}

// Redact is the package's Redact, for r's secrets.
func (r *Redactor) Redact(s string) string {
	if s == "" || (len(r.windows) == 0 && len(r.short) == 0) {
		return s
	}
	v := newView(s)
	hide := make([]bool, len(s))
	for _, f := range r.short {
		for i := 0; ; {
			j := bytes.Index(v.b[i:], f)
			if j < 0 {
				break
			}
			v.hide(i+j, i+j+len(f), hide)
			i += j + 1
		}
	}
	for i := 0; len(r.windows) > 0 && i+minFragment <= len(v.b); i++ {
		if r.windows[binary.LittleEndian.Uint64(v.b[i:])] {
			v.hide(i, i+minFragment, hide)
		}
	}
	return replaceHidden(s, hide)
}

// secretForms are the lower-cased encodings of secret that are searched for as they are, after
// the view has undone escapes: the secret, its hex and the parts of its base64 that depend on the
// secret alone.
func secretForms(secret string) []string {
	forms := []string{secret, hex.EncodeToString([]byte(secret))}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		for shift := range 3 {
			forms = append(forms, base64Core(enc, secret, shift))
		}
	}
	for i, f := range forms {
		forms[i] = string(lowerASCII([]byte(f)))
	}
	return forms
}

// base64Core is the part of the base64 of secret, preceded by shift other bytes, whose characters
// take all their bits from secret: what any base64 text holding secret at that alignment contains.
func base64Core(enc *base64.Encoding, secret string, shift int) string {
	full := enc.EncodeToString(append(make([]byte, shift), secret...))
	first := (8*shift + 5) / 6
	last := 8 * (shift + len(secret)) / 6
	return full[first:last]
}

// view is text with escapes undone and ASCII letters lower-cased. Byte b[i] came from
// s[lo[i]:hi[i]], so a match in the view hides the original escapes it was decoded from.
type view struct {
	b      []byte
	lo, hi []int
}

func newView(s string) view {
	v := view{b: []byte(s), lo: make([]int, len(s)), hi: make([]int, len(s))}
	for i := range s {
		v.lo[i], v.hi[i] = i, i+1
	}
	for range decodePasses {
		next, changed := v.decode()
		if !changed {
			break
		}
		v = next
	}
	lowerASCII(v.b)
	return v
}

// decode undoes one layer of escapes.
func (v view) decode() (view, bool) {
	out := view{b: make([]byte, 0, len(v.b)), lo: make([]int, 0, len(v.b)), hi: make([]int, 0, len(v.b))}
	changed := false
	for i := 0; i < len(v.b); {
		dec, n := unescape(v.b[i:])
		if n == 0 {
			dec, n = v.b[i:i+1], 1
		} else {
			changed = true
		}
		for _, c := range dec {
			out.b, out.lo, out.hi = append(out.b, c), append(out.lo, v.lo[i]), append(out.hi, v.hi[i+n-1])
		}
		i += n
	}
	return out, changed
}

// hide marks the original bytes of view bytes [i, j).
func (v view) hide(i, j int, hide []bool) {
	for k := v.lo[i]; k < v.hi[j-1]; k++ {
		hide[k] = true
	}
}

// unescape decodes the escape at the start of b: its bytes and the length of the escape, or 0
// when b does not start with one.
func unescape(b []byte) ([]byte, int) {
	if len(b) < 2 {
		return nil, 0
	}
	switch {
	case b[0] == '%' && len(b) >= 3 && isHex(b[1]) && isHex(b[2]):
		return []byte{unhex(b[1])<<4 | unhex(b[2])}, 3
	case b[0] == '%' && (b[1] == 'u' || b[1] == 'U') && len(b) >= 6 && allHex(b[2:6]):
		return runeBytes(b[2:6]), 6
	case b[0] == '\\' && b[1] == 'u' && len(b) >= 6 && allHex(b[2:6]):
		return runeBytes(b[2:6]), 6
	case b[0] == '\\' && b[1] == 'x' && len(b) >= 4 && allHex(b[2:4]):
		return []byte{unhex(b[2])<<4 | unhex(b[3])}, 4
	case b[0] == '\\' && strings.IndexByte(`/\"'`, b[1]) >= 0:
		return b[1:2], 2
	case b[0] == '&':
		return unescapeEntity(b)
	}
	return nil, 0
}

// unescapeEntity decodes an HTML character reference: &#115; &#x73; &amp; and the like. As in
// browsers, a numeric one needs no semicolon.
func unescapeEntity(b []byte) ([]byte, int) {
	for name, dec := range map[string]string{"&amp;": "&", "&quot;": `"`, "&apos;": "'", "&lt;": "<", "&gt;": ">"} {
		if bytes.HasPrefix(b, []byte(name)) {
			return []byte(dec), len(name)
		}
	}
	if len(b) < 3 || b[1] != '#' {
		return nil, 0
	}
	i, base := 2, 10
	if b[2] == 'x' || b[2] == 'X' {
		i, base = 3, 16
	}
	j := i
	for j < len(b) && j-i < 7 && (base == 16 && isHex(b[j]) || '0' <= b[j] && b[j] <= '9') {
		j++
	}
	n, err := strconv.ParseUint(string(b[i:j]), base, 32)
	if err != nil || n > utf8.MaxRune {
		return nil, 0
	}
	if j < len(b) && b[j] == ';' {
		j++
	}
	return utf8.AppendRune(nil, rune(n)), j
}

func runeBytes(h []byte) []byte {
	r := rune(unhex(h[0]))<<12 | rune(unhex(h[1]))<<8 | rune(unhex(h[2]))<<4 | rune(unhex(h[3]))
	return utf8.AppendRune(nil, r)
}

// replaceHidden replaces each run of hidden bytes of s, widened to whole characters, with one
// redactedMark.
func replaceHidden(s string, hide []bool) string {
	for i := 1; i < len(s); i++ {
		if hide[i] && !hide[i-1] && !utf8.RuneStart(s[i]) {
			for k := i - 1; k >= 0 && !hide[k]; k-- {
				hide[k] = true
				if utf8.RuneStart(s[k]) {
					break
				}
			}
		}
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if !hide[i] {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteString(redactedMark)
		for i < len(s) && (hide[i] || !utf8.RuneStart(s[i])) {
			i++
		}
	}
	return b.String()
}

func lowerASCII(b []byte) []byte {
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func allHex(b []byte) bool {
	for _, c := range b {
		if !isHex(c) {
			return false
		}
	}
	return true
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
