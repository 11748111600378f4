package images_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"dreambot/images"
)

var (
	t0 = time.Date(2026, 11, 24, 5, 19, 3, 0, time.UTC)
	// png stands in for an image; Save never looks inside.
	png = []byte("\x89PNG\r\n\x1a\nnot really")
	// fileName is every name Save may produce: time, guild, optional slug, seed, random suffix.
	fileName = regexp.MustCompile(`^\d{8}-\d{6}-[a-z0-9]+(-[a-z0-9]+)*-\d+-[0-9a-f]{6}\.png$`)
)

func TestSaveNames(t *testing.T) {
	t.Parallel()
	tokyo := time.FixedZone("JST", 9*3600)
	tests := []struct {
		name       string
		in         images.Name
		wantPrefix string // everything before the random suffix
	}{
		{"plain", images.Name{Time: t0, Guild: "81384788765712384", Prompt: "A red fox, in snow!", Seed: 42},
			"20261124-051903-81384788765712384-a-red-fox-in-snow-42-"},
		{"direct message", images.Name{Time: t0, Prompt: "fox", Seed: 1}, "20261124-051903-dm-fox-1-"},
		{"time in UTC", images.Name{Time: t0.In(tokyo), Prompt: "fox"}, "20261124-051903-dm-fox-0-"},
		{"parent dirs", images.Name{Time: t0, Prompt: "../../etc/passwd"}, "20261124-051903-dm-etc-passwd-0-"},
		{"separators", images.Name{Time: t0, Prompt: `a/b\c`}, "20261124-051903-dm-a-b-c-0-"},
		{"NUL", images.Name{Time: t0, Prompt: "\x00"}, "20261124-051903-dm-0-"},
		{"emoji", images.Name{Time: t0, Prompt: "😀"}, "20261124-051903-dm-0-"},
		{"accents dropped", images.Name{Time: t0, Prompt: "café crème"}, "20261124-051903-dm-caf-cr-me-0-"},
		{"long", images.Name{Time: t0, Prompt: strings.Repeat("ab ", 200)},
			"20261124-051903-dm-" + strings.Repeat("ab-", 13) + "a-0-"}, // cut at 40 bytes
		{"long word", images.Name{Time: t0, Prompt: strings.Repeat("x", 500)},
			"20261124-051903-dm-" + strings.Repeat("x", 40) + "-0-"},
		{"empty", images.Name{Time: t0}, "20261124-051903-dm-0-"},
		{"reserved on Windows", images.Name{Time: t0, Prompt: "CON"}, "20261124-051903-dm-con-0-"},
		{"dots only", images.Name{Time: t0, Prompt: ".."}, "20261124-051903-dm-0-"},
		{"hostile guild", images.Name{Time: t0, Guild: "../../x", Prompt: "fox"}, "20261124-051903-x-fox-0-"},
		{"guild of symbols", images.Name{Time: t0, Guild: "/", Seed: 4294967295}, "20261124-051903-dm-4294967295-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := mustNewDir(t, t.TempDir())
			got, err := d.Save(png, tt.in)
			if err != nil {
				t.Fatalf("Save: %v", err)
			}
			assertSaved(t, d, got, png)
			base := filepath.Base(got)
			if !strings.HasPrefix(base, tt.wantPrefix) {
				t.Errorf("file name %q, want prefix %q", base, tt.wantPrefix)
			}
			assertEntries(t, d.Path(), 1)
		})
	}
}

func TestSaveSameNameTwice(t *testing.T) {
	t.Parallel()
	d := mustNewDir(t, t.TempDir())
	n := images.Name{Time: t0, Guild: "1", Prompt: "fox", Seed: 7}
	first, err := d.Save([]byte("first"), n)
	if err != nil {
		t.Fatalf("first Save: %v", err)
	}
	second, err := d.Save([]byte("second"), n)
	if err != nil {
		t.Fatalf("second Save: %v", err)
	}
	if first == second {
		t.Fatalf("both saves returned %q", first)
	}
	assertSaved(t, d, first, []byte("first"))
	assertSaved(t, d, second, []byte("second"))
	assertEntries(t, d.Path(), 2)
}

func TestNewDirCreatesMissing(t *testing.T) {
	// Not parallel: it changes the working directory to check a relative path is made absolute.
	root := t.TempDir()
	t.Chdir(root)
	d := mustNewDir(t, filepath.Join("a", "b", "c"))
	want := filepath.Join(root, "a", "b", "c")
	if d.Path() != want {
		t.Fatalf("Path() = %q, want %q", d.Path(), want)
	}
	fi, err := os.Stat(want)
	if err != nil {
		t.Fatalf("stat: %v", err)
	}
	if !fi.IsDir() || fi.Mode().Perm() != 0o755 {
		t.Fatalf("created %v, want a directory with mode 0755", fi.Mode())
	}
	if _, err := d.Save(png, images.Name{Time: t0}); err != nil {
		t.Fatalf("Save in created dir: %v", err)
	}
}

func TestNewDirErrors(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file")
	writeFile(t, file, "x")
	for _, path := range []string{"", file, filepath.Join(file, "sub")} {
		if d, err := images.NewDir(path); err == nil {
			t.Errorf("NewDir(%q) = %v, want an error", path, d.Path())
		}
	}
}

// mustNewDir returns a Dir at path or fails the test.
func mustNewDir(t *testing.T, path string) *images.Dir {
	t.Helper()
	d, err := images.NewDir(path)
	if err != nil {
		t.Fatalf("NewDir(%q): %v", path, err)
	}
	return d
}

// assertSaved checks path is a readable file directly inside d holding want.
func assertSaved(t *testing.T, d *images.Dir, path string, want []byte) {
	t.Helper()
	if !filepath.IsAbs(path) || filepath.Dir(path) != d.Path() {
		t.Fatalf("saved at %q, want an absolute path directly in %q", path, d.Path())
	}
	if base := filepath.Base(path); !fileName.MatchString(base) {
		t.Errorf("file name %q does not match %v", base, fileName)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("content = %q, want %q", got, want)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("stat: %v", err)
	}
	if got := fi.Mode().Perm(); got != 0o644 {
		t.Errorf("mode = %v, want 0644", got)
	}
}

// assertEntries checks dir holds exactly n entries, none of them a leftover temp file.
func assertEntries(t *testing.T, dir string, n int) {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("read dir: %v", err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
		if strings.HasPrefix(e.Name(), ".tmp-") {
			t.Errorf("temp file %q left behind", e.Name())
		}
	}
	if len(es) != n {
		t.Errorf("dir holds %q, want %d entries", names, n)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
