// Package images saves generated PNGs in one directory, atomically and under names that cannot
// collide with or escape from it.
package images

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// maxAttempts bounds the retries when a random suffix is already taken; with 24 random bits
// and a name that already carries the second and the seed, more than one retry means a bug.
const maxAttempts = 8

// Dir is a directory of saved images. It is safe for concurrent use.
type Dir struct {
	path string // absolute and clean

	// link makes the finished temp file visible; os.Link except in tests of the fallback.
	link func(oldname, newname string) error
}

// NewDir returns the Dir at path, creating it (and its parents) if missing.
func NewDir(path string) (*Dir, error) {
	if path == "" {
		return nil, errors.New("images: empty directory path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("images: resolve %q: %w", path, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("images: create directory: %w", err)
	}
	return &Dir{path: abs, link: os.Link}, nil
}

// Path returns the directory's absolute path.
func (d *Dir) Path() string { return d.path }

// Save writes png under a new name built from name and returns the file's absolute path. The
// file appears complete or not at all, and an existing file is never overwritten.
func (d *Dir) Save(png []byte, name Name) (string, error) {
	tmp, err := d.writeTemp(png)
	if err != nil {
		return "", fmt.Errorf("images: save: %w", err)
	}
	// Once published, tmp is a second link to the file (or already renamed away); removing
	// it is right on every path.
	defer os.Remove(tmp)

	base := name.base()
	for range maxAttempts {
		var final string
		if final, err = d.final(base); err != nil {
			return "", fmt.Errorf("images: save: %w", err)
		}
		if err = d.publish(tmp, final); err == nil {
			return final, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("images: save: %w", err)
		}
	}
	return "", fmt.Errorf("images: save: no free name for %q after %d attempts: %w", base, maxAttempts, err)
}

// writeTemp writes png to a new hidden file in d, flushed to disk and readable by all, and
// returns its path. On error nothing is left behind.
func (d *Dir) writeTemp(png []byte) (path string, err error) {
	f, err := os.CreateTemp(d.path, tempPattern)
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(png); err != nil {
		return "", err
	}
	if err := f.Chmod(0o644); err != nil { // CreateTemp makes it 0o600
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return f.Name(), nil
}

// final returns the absolute path for base with a fresh random suffix, and checks it names a
// file directly inside d: base is already safe, this is the second line of defence.
func (d *Dir) final(base string) (string, error) {
	var b [3]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	file := base + "-" + hex.EncodeToString(b[:]) + ".png"
	final := filepath.Join(d.path, file)
	rel, err := filepath.Rel(d.path, final)
	if err != nil || rel != file || !filepath.IsLocal(rel) || strings.ContainsAny(rel, `/\`) {
		return "", fmt.Errorf("file name %q escapes %s", file, d.path)
	}
	return final, nil
}

// publish makes tmp visible as final, failing with an fs.ErrExist error if final exists. A
// hard link does both in one step; where links are unsupported, final is first claimed with
// O_EXCL and then replaced by tmp, so a reader may briefly see it empty but never half-written.
func (d *Dir) publish(tmp, final string) error {
	err := d.link(tmp, final)
	if err == nil || !linkUnsupported(err) {
		return err
	}
	f, err := os.OpenFile(final, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(final)
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(final)
		return err
	}
	return nil
}

// linkUnsupported reports whether err says the file system cannot hard-link (Linux answers
// EPERM for that, others ENOTSUP), rather than that something went wrong.
func linkUnsupported(err error) bool {
	return errors.Is(err, errors.ErrUnsupported) || errors.Is(err, fs.ErrPermission)
}
