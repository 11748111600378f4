// Package secrettest checks that text reveals no secret, for tests of code that must redact.
//
// It deliberately does not import package secret: Leaked decodes with regular expressions and the
// standard library, written apart from the redaction it checks.
package secrettest

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Echo is one way a server, a proxy or a library may echo a secret.
type Echo struct {
	Name string
	Of   func(secret string) string
}

// Echoes are the forms an echo of a secret may take: letter cases, URL, JSON, JavaScript and HTML
// escapes (some applied twice), hex, base64 alone or inside a header, and the secret inside a URL
// or a header.
func Echoes() []Echo {
	each := func(format string) func(string) string {
		return func(s string) string {
			var b strings.Builder
			for i := range len(s) {
				fmt.Fprintf(&b, format, s[i])
			}
			return b.String()
		}
	}
	b64 := func(enc *base64.Encoding, prefix string) func(string) string {
		return func(s string) string { return enc.EncodeToString([]byte(prefix + s)) }
	}
	jsonTwice := func(format string) func(string) string {
		return func(s string) string { return strings.ReplaceAll(each(format)(s), `\`, `\\`) }
	}
	return []Echo{
		{"as is", func(s string) string { return s }},
		{"upper case", strings.ToUpper},
		{"lower case", strings.ToLower},
		{"query escaped", url.QueryEscape},
		{"query escaped twice", func(s string) string { return url.QueryEscape(url.QueryEscape(s)) }},
		{"path escaped", url.PathEscape},
		{"percent-encoded, upper hex", each("%%%02X")},
		{"percent-encoded, lower hex", each("%%%02x")},
		{"percent-encoded twice", each("%%25%02X")},
		{"%u escapes", each("%%u%04X")},
		{"JSON \\u escapes", each(`\u%04x`)},
		{"JSON \\u escapes, upper hex", each(`\u%04X`)},
		{"JSON escaped slashes", func(s string) string { return strings.ReplaceAll(s, "/", `\/`) }},
		{"JSON escaped twice", jsonTwice(`\u%04x`)},
		{"JSON escaped twice, upper hex", jsonTwice(`\u%04X`)},
		{"\\x escapes", each(`\x%02x`)},
		{"HTML decimal references", each("&#%d;")},
		{"HTML hex references", each("&#x%x;")},
		{"Go-quoted", strconv.Quote},
		{"hex", func(s string) string { return hex.EncodeToString([]byte(s)) }},
		{"base64", b64(base64.StdEncoding, "")},
		{"base64url, unpadded", b64(base64.RawURLEncoding, "")},
		{"base64 of a Bearer header", b64(base64.StdEncoding, "Bearer ")},
		{"base64 of a Bot header", b64(base64.RawURLEncoding, "Bot ")},
		{"base64 of Basic credentials", b64(base64.StdEncoding, "user:")},
		{"in a URL's query", func(s string) string {
			return "https://api.stability.ai/v1/user/balance?key=" + url.QueryEscape(s) + "&x=1"
		}},
		{"in a URL's path", func(s string) string { return "https://proxy.example/" + url.PathEscape(s) + "/v1" }},
		{"in a URL's user info", func(s string) string {
			return (&url.URL{Scheme: "https", User: url.UserPassword("user", s), Host: "proxy.example"}).String()
		}},
		{"in a JSON-escaped URL's query", func(s string) string {
			return `https:\/\/proxy.example\/v1?key=` + url.QueryEscape(s)
		}},
		{"in a webhook URL", func(s string) string {
			return "https://discord.com/api/v9/webhooks/1/" + url.PathEscape(s) + "/messages/@original"
		}},
		{"in a JSON-escaped webhook URL", func(s string) string {
			return `https:\/\/discord.com\/api\/v9\/webhooks\/1\/` + s + `\/messages\/@original`
		}},
		{"Authorization header, Bearer", func(s string) string { return "Authorization: Bearer " + s }},
		{"Authorization header, Bot", func(s string) string { return "Authorization: Bot " + s }},
	}
}
