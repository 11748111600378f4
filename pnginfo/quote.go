package pnginfo

import (
	"strings"
)

// quote wraps a settings value the way the web UI's infotext quote() does:
// values without a comma, colon or newline are left alone, others become
// json.dumps(value, ensure_ascii=False). That escapes only the backslash, the
// double quote and control characters below U+0020, so Go's encoding/json
// (which also escapes <, >, & and U+2028) would not give the same bytes.
func quote(s string) string {
	if !strings.ContainsAny(s, ",:\n") {
		return s
	}
	const hex = "0123456789abcdef"
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\b':
			b.WriteString(`\b`)
		case c == '\f':
			b.WriteString(`\f`)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
