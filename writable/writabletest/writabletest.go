// Package writabletest makes directories that the user running the tests cannot write, for
// tests of what a program says about them.
package writabletest

import (
	"os"
	"os/user"
	"path/filepath"
	"testing"
)

// LockedDir returns an empty directory that the current user cannot create files in, and the
// user. It skips the test when running as root, which can write to any directory.
func LockedDir(tb testing.TB) (string, *user.User) {
	tb.Helper()
	if os.Geteuid() == 0 {
		tb.Skip("running as root, which can write to any directory: no directory to refuse")
	}
	me, err := user.Current()
	if err != nil {
		tb.Fatal(err)
	}
	locked := filepath.Join(tb.TempDir(), "locked")
	if err := os.Mkdir(locked, 0o555); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = os.Chmod(locked, 0o755) }) // so that TempDir's removal can empty it
	return locked, me
}
