package images_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"

	"dreambot/images"
)

func TestSaveDirReplacedByFile(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	path := filepath.Join(parent, "images")
	d := mustNewDir(t, path)
	// Tests run as root, so permissions cannot make the write fail; a file where the directory
	// was can.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, "not a dir")

	if got, err := d.Save(png, images.Name{Time: t0}); err == nil {
		t.Fatalf("Save = %q, want an error", got)
	}
	assertEntries(t, parent, 1)
	if b, _ := os.ReadFile(path); string(b) != "not a dir" {
		t.Fatalf("file in place of the dir changed to %q", b)
	}
}

func TestSaveLink(t *testing.T) {
	t.Parallel()
	eperm := func(oldname, newname string) error {
		return &os.LinkError{Op: "link", Old: oldname, New: newname, Err: syscall.EPERM}
	}
	eio := func(oldname, newname string) error {
		return &os.LinkError{Op: "link", Old: oldname, New: newname, Err: syscall.EIO}
	}
	exist := func(oldname, newname string) error {
		return &os.LinkError{Op: "link", Old: oldname, New: newname, Err: syscall.EEXIST}
	}
	tests := []struct {
		name      string
		link      func(oldname, newname string) error
		fails     int // how many calls get link's error before os.Link takes over; -1: all
		wantCalls int32
		wantErr   error // nil: Save must succeed
	}{
		{name: "links unsupported: rename", link: eperm, fails: -1, wantCalls: 1},
		{name: "name taken once: new suffix", link: exist, fails: 1, wantCalls: 2},
		{name: "name always taken", link: exist, fails: -1, wantCalls: 8, wantErr: fs.ErrExist},
		{name: "I/O error", link: eio, fails: -1, wantCalls: 1, wantErr: syscall.EIO},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := mustNewDir(t, t.TempDir())
			var calls atomic.Int32
			var seen []string
			images.SetLink(d, func(oldname, newname string) error {
				seen = append(seen, newname)
				if n := calls.Add(1); tt.fails < 0 || int(n) <= tt.fails {
					return tt.link(oldname, newname)
				}
				return os.Link(oldname, newname)
			})

			got, err := d.Save(png, images.Name{Time: t0, Prompt: "fox"})
			if calls.Load() != tt.wantCalls {
				t.Errorf("link called %d times, want %d", calls.Load(), tt.wantCalls)
			}
			if len(seen) == 2 && seen[0] == seen[1] {
				t.Errorf("retry used the same name %q", seen[0])
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Save = %q, %v; want error %v", got, err, tt.wantErr)
				}
				assertEntries(t, d.Path(), 0)
				return
			}
			if err != nil {
				t.Fatalf("Save: %v", err)
			}
			assertSaved(t, d, got, png)
			assertEntries(t, d.Path(), 1)
		})
	}
}

func TestSaveFallbackKeepsExistingFile(t *testing.T) {
	t.Parallel()
	d := mustNewDir(t, t.TempDir())
	var taken string
	images.SetLink(d, func(oldname, newname string) error {
		if taken == "" {
			// Someone else owns the first name Save picks: the fallback must not replace it.
			taken = newname
			writeFile(t, newname, "theirs")
		}
		return &os.LinkError{Op: "link", Old: oldname, New: newname, Err: syscall.EPERM}
	})
	got, err := d.Save(png, images.Name{Time: t0})
	if err != nil {
		t.Fatalf("Save: %v", err)
	}
	if got == taken {
		t.Fatalf("Save reused the taken name %q", got)
	}
	if b, _ := os.ReadFile(taken); string(b) != "theirs" {
		t.Fatalf("existing file now holds %q, want %q", b, "theirs")
	}
	assertSaved(t, d, got, png)
	assertEntries(t, d.Path(), 2)
}
