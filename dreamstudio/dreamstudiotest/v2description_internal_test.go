package dreamstudiotest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"testing"
)

func TestV2DescriptionLoads(t *testing.T) {
	t.Parallel()
	if _, err := loadedV2Description(); err != nil {
		t.Fatal(err)
	}
}

// TestV2DescriptionIsTheVendoredCopy ties the embedded description to the provenance recorded in
// testdata/stability-v2-openapi.SOURCE.md.
func TestV2DescriptionIsTheVendoredCopy(t *testing.T) {
	t.Parallel()
	const want = "2a345b8888faef3434474d2dbd636c826c10b175c3c5ca73c0fbe29047e2ca50"
	sum := sha256.Sum256(v2DescriptionJSON)
	if got := hex.EncodeToString(sum[:]); got != want {
		t.Errorf("sha256 = %s, want %s", got, want)
	}
}

// TestV2DescriptionMatchesShared keeps testdata's copy byte-identical to the project's shared one,
// which is only present in the lead's checkout.
func TestV2DescriptionMatchesShared(t *testing.T) {
	t.Parallel()
	shared, err := os.ReadFile("../../../shared/stability-v2/openapi.json")
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("no ../shared checkout next to the repository")
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(v2DescriptionJSON, shared) {
		t.Errorf("testdata/stability-v2-openapi.json (%d bytes) differs from ../shared/stability-v2/openapi.json (%d bytes); copy it again",
			len(v2DescriptionJSON), len(shared))
	}
}
