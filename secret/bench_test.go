package secret_test

import (
	"testing"

	"dreambot/secret"
)

// BenchmarkRedactLogValue is what the logger spends on one short value.
func BenchmarkRedactLogValue(b *testing.B) {
	r := secret.NewRedactor("sk-abcdefghijklmnopqrstuvwxyz0123456789", "MTIz.abcdefghijklmnop.qrstuvwxyz0123456789")
	b.ReportAllocs()
	for b.Loop() {
		r.Redact("1310000000000000001")
	}
}
