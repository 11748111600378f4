package writable_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dreambot/writable"
	"dreambot/writable/writabletest"
)

func TestDirAccepts(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for _, path := range []string{root, filepath.Join(root, "not", "yet")} {
		if err := writable.Dir(path); err != nil {
			t.Errorf("Dir(%s): %v, want nil", path, err)
		}
	}
	if left, _ := os.ReadDir(root); len(left) != 0 {
		t.Errorf("Dir left %v behind, want nothing (not even the missing directory)", left)
	}
}

func TestDirRefusesAFile(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "images")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := writable.Dir(file)
	if err == nil || !strings.Contains(err.Error(), file+" is not a directory") {
		t.Errorf("Dir(a file) = %v, want it to say %s is not a directory", err, file)
	}
}

// TestDirNamesTheUser checks the message an operator gets for a directory the bot's user
// cannot write, whether it exists or would have to be created.
func TestDirNamesTheUser(t *testing.T) {
	t.Parallel()
	locked, me := writabletest.LockedDir(t)
	tests := []struct {
		path, denied string
		want         []string
	}{
		{locked, locked, []string{"cannot create files in " + locked, "chown -R " + me.Uid + " " + locked}},
		{filepath.Join(locked, "new"), locked, []string{"cannot create " + filepath.Join(locked, "new") + ": " + locked + " does not let it"}},
	}
	for _, tt := range tests {
		err := writable.Dir(tt.path)
		var e *writable.Error
		if !errors.As(err, &e) {
			t.Fatalf("Dir(%s) = %v, want a *writable.Error", tt.path, err)
		}
		if e.Path != tt.path || e.Denied != tt.denied || e.UID != me.Uid || e.User != me.Username || !errors.Is(err, os.ErrPermission) {
			t.Errorf("Dir(%s) = %+v, want path %s denied at %s for %s (uid %s), a permission error", tt.path, e, tt.path, tt.denied, me.Username, me.Uid)
		}
		for _, w := range append(tt.want, "user "+`"`+me.Username+`" (uid `+me.Uid+")", "permission denied") {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Dir(%s) says %q, want it to contain %q", tt.path, err, w)
			}
		}
	}
}
