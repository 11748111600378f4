package secrettest

import (
	"encoding/base64"
	"encoding/hex"
	"html"
	"regexp"
	"strconv"
	"strings"
)

// run is the length of the shortest run of a secret's characters, or of its encoding's, that
// counts as revealing it: an echo cut in the middle of a secret may leave a few on either side.
const run = 8

// escapeRE matches one escape of the kinds echoes use: percent (%XX, %uXXXX), JSON and JavaScript
// (\uXXXX, \xXX, \/ and the like). It is one pattern, matched left to right, so that in text
// escaped twice the escaped backslash of \\u0073 is undone first, as a decoder would.
var escapeRE = regexp.MustCompile(`%[0-9A-Fa-f]{2}|%[uU][0-9A-Fa-f]{4}|\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|\\[/\\"']`)

// base64Std turns base64url into standard base64 without padding.
var base64Std = strings.NewReplacer("=", "", "-", "+", "_", "/")

const (
	base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_=-"
	hexAlphabet    = "0123456789ABCDEFabcdef"
)

// Leaked returns the first run of 8 characters of secret that text reveals in any letter case,
// after undoing the encodings an echo may use (percent, %u, \u, \x and JSON escapes, HTML
// references, hex, base64), or "" when text reveals none. It also returns a run of 8 characters
// of the secret's hex or base64 that text shows as it is: 4 or 6 of its bytes, too few to decode
// on their own. A secret shorter than 8 characters is only found whole.
func Leaked(text, secret string) string {
	views := decodedViews(text)
	n := min(run, len(secret))
	for i := 0; n > 0 && i+n <= len(secret); i++ {
		w := strings.ToLower(secret[i : i+n])
		for _, v := range views {
			if strings.Contains(v, w) {
				return secret[i : i+n]
			}
		}
	}
	lower := strings.ToLower(text)
	for _, w := range encodedRuns(secret) {
		if strings.Contains(lower, strings.ToLower(w)) {
			return w
		}
	}
	return ""
}

// decodedViews are text, what undoing each layer of its escapes makes of it, and what its runs
// of hex and base64 decode to, all in lower case.
func decodedViews(text string) []string {
	views := []string{text}
	for s := text; len(views) <= 5; {
		next := html.UnescapeString(escapeRE.ReplaceAllStringFunc(s, unescape))
		if next == s {
			break
		}
		s = next
		views = append(views, s)
	}
	for _, v := range views {
		for _, r := range alphabetRuns(v, base64Alphabet, 11) {
			r = base64Std.Replace(r)
			for off := range 4 {
				r := r[min(off, len(r)):]
				if b, err := base64.RawStdEncoding.DecodeString(r[:len(r)-len(r)%4]); err == nil {
					views = append(views, string(b))
				}
			}
		}
		for _, r := range alphabetRuns(v, hexAlphabet, 16) {
			for off := range 2 {
				r := r[off:]
				if b, err := hex.DecodeString(r[:len(r)-len(r)%2]); err == nil {
					views = append(views, string(b))
				}
			}
		}
	}
	for i, v := range views {
		views[i] = strings.ToLower(v)
	}
	return views
}

// unescape decodes one escape that escapeRE matched.
func unescape(m string) string {
	switch {
	case m[0] == '%' && len(m) == 3:
		b, _ := hex.DecodeString(m[1:])
		return string(b)
	case len(m) == 6: // %uXXXX or \uXXXX
		n, _ := strconv.ParseUint(m[2:], 16, 32)
		return string(rune(n))
	case len(m) == 4: // \xXX
		b, _ := hex.DecodeString(m[2:])
		return string(b)
	}
	return m[1:] // \/ and the like
}

// encodedRuns are the runs of 8 characters of secret's hex, and the base64 of each 6 of its bytes
// in either alphabet: what an encoded echo cut short of a decodable length still shows.
func encodedRuns(secret string) []string {
	if len(secret) < run {
		return nil
	}
	var out []string
	h := hex.EncodeToString([]byte(secret))
	for i := 0; i+run <= len(h); i++ {
		out = append(out, h[i:i+run])
	}
	for i := 0; i+6 <= len(secret); i++ {
		b := []byte(secret[i : i+6])
		out = append(out, base64.StdEncoding.EncodeToString(b), base64.URLEncoding.EncodeToString(b))
	}
	return out
}

// alphabetRuns are the runs of at least n characters of alphabet in s.
func alphabetRuns(s, alphabet string, n int) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !strings.ContainsRune(alphabet, r) }) {
		if len(f) >= n {
			out = append(out, f)
		}
	}
	return out
}
