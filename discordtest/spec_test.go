package discordtest_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"testing"

	"dreambot/discordtest"
)

// specSHA256 is the checksum SOURCE.md gives for Discord's description.
const specSHA256 = "8c1d0707ccdf8e380a86dfba04058820a66435c1b69d5ed82e04dd8c0520dd73"

func TestSpecIsTheRecordedOne(t *testing.T) {
	t.Parallel()
	ours, err := os.ReadFile("testdata/openapi.json")
	if err != nil {
		t.Fatalf("read testdata: %v", err)
	}
	sum := sha256.Sum256(ours)
	if got := hex.EncodeToString(sum[:]); got != specSHA256 {
		t.Errorf("testdata/openapi.json sha256 = %s, want %s", got, specSHA256)
	}
}

func TestSpecMatchesShared(t *testing.T) {
	t.Parallel()
	shared, err := os.ReadFile("../../shared/discord/openapi.json")
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("no ../shared/discord/openapi.json beside the repository")
	}
	if err != nil {
		t.Fatalf("read shared copy: %v", err)
	}
	ours, err := os.ReadFile("testdata/openapi.json")
	if err != nil {
		t.Fatalf("read testdata: %v", err)
	}
	if !bytes.Equal(ours, shared) {
		t.Error("testdata/openapi.json differs from ../shared/discord/openapi.json: copy it again and update testdata/README.md")
	}
}

func TestSpecLoadTime(t *testing.T) {
	t.Parallel()
	d, err := discordtest.SpecLoadTime()
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	t.Logf("parsing the OpenAPI description took %v (once per test binary)", d)
}
