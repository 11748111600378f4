package secret_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"dreambot/secret"
)

func TestHandlerRemovesSecretsFromLoggedErrors(t *testing.T) {
	t.Parallel()
	const key, token = "sk-Handler0123456789abcdefKEY", "MTIz.Handler.Token-abcdefghij"
	var buf bytes.Buffer
	log := slog.New(secret.Handler(slog.NewTextHandler(&buf, nil), key, token, ""))
	wrapped := fmt.Errorf("call: %w", errors.New("proxy said: bad key "+strings.ToUpper(key)))
	log.With("err", errors.New("with "+token)).WithGroup("g").Error("failed with "+key,
		"err", wrapped, slog.Group("inner", "err", errors.New("inner "+token)), "prompt", "a lighthouse", "first", "Bearer "+key[:20])
	out := buf.String()
	for _, s := range []string{key, strings.ToUpper(key), token, key[3:12], token[4:13]} {
		if strings.Contains(out, s) {
			t.Errorf("log shows %q:\n%s", s, out)
		}
	}
	if !strings.Contains(out, "a lighthouse") || !strings.Contains(out, "[redacted]") {
		t.Errorf("log lost its other content:\n%s", out)
	}
}
