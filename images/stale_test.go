package images_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"dreambot/images"
)

func TestRemoveStaleTemp(t *testing.T) {
	t.Parallel()
	d, err := images.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	write := func(name string, mtime time.Time) string {
		t.Helper()
		p := filepath.Join(d.Path(), name)
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		return p
	}
	crashed := write(".tmp-123.png", started.Add(-time.Minute))
	inFlight := write(".tmp-456.png", started.Add(time.Second)) // another process, writing now
	saved := write("20261124-051903-dm-fox-1-abcdef.png", started.Add(-time.Hour))
	hidden := write(".tmp-note.txt", started.Add(-time.Hour)) // not one of ours

	n, err := d.RemoveStaleTemp(started)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("removed %d files, want 1", n)
	}
	if _, err := os.Stat(crashed); !os.IsNotExist(err) {
		t.Errorf("the crashed save's temporary file is still there (%v)", err)
	}
	for _, p := range []string{inFlight, saved, hidden} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(p), err)
		}
	}
}
