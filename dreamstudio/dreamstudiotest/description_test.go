package dreamstudiotest_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"testing"
)

// TestDescriptionMatchesShared keeps testdata's copy byte-identical to the project's shared one,
// which is only present in the lead's checkout (a fresh clone has no ../shared).
func TestDescriptionMatchesShared(t *testing.T) {
	shared, err := os.ReadFile("../../../shared/stability/openapi.json")
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("no ../shared checkout next to the repository")
	}
	if err != nil {
		t.Fatal(err)
	}
	copied, err := os.ReadFile("testdata/stability-openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(copied, shared) {
		t.Errorf("testdata/stability-openapi.json (%d bytes) differs from ../shared/stability/openapi.json (%d bytes); copy it again",
			len(copied), len(shared))
	}
}
