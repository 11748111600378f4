// Package writable checks, at start-up, that the process can write to a directory it will
// depend on for its whole life, and says which user needs access when it cannot: otherwise
// the first failure comes much later, worded by whatever wrote there ("unable to open
// database file", "could not be saved").
package writable

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
)

// probePattern names the file Dir creates and removes at once.
const probePattern = ".write-probe-*"

// Error says that the user the process runs as cannot create files where it must.
type Error struct {
	// Path is the directory that was checked, absolute.
	Path string
	// Denied is where the creation failed: Path, or its nearest existing parent when Path
	// does not exist yet (and would have to be created there).
	Denied string
	// UID and User are the process's user id and, when known, its name.
	UID  string
	User string
	Err  error
}

func (e *Error) Error() string {
	who := "uid " + e.UID
	if e.User != "" && e.User != e.UID {
		who = fmt.Sprintf("%q (uid %s)", e.User, e.UID)
	}
	cause := e.Err
	var pe *fs.PathError
	if errors.As(cause, &pe) {
		cause = pe.Err // the path is said below
	}
	if e.Denied != e.Path {
		return fmt.Sprintf("user %s cannot create %s: %s does not let it (%v); create it and give that user "+
			"write access, for example: mkdir -p %s && chown %s %s", who, e.Path, e.Denied, cause, e.Path, e.UID, e.Path)
	}
	return fmt.Sprintf("user %s cannot create files in %s (%v); give that user write access, for example: chown -R %s %s",
		who, e.Path, cause, e.UID, e.Path)
}

func (e *Error) Unwrap() error { return e.Err }

// Dir checks that the process can create and remove a file in the directory path, or, if
// path does not exist yet, in its nearest existing parent, where path would be created. It
// creates nothing that outlives the call. A failure for lack of permission is an *Error.
func Dir(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("resolve %q: %w", path, err)
	}
	dir, err := existing(abs)
	if err != nil {
		return denied(abs, dir, err)
	}
	f, err := os.CreateTemp(dir, probePattern)
	if err != nil {
		return denied(abs, dir, err)
	}
	name := f.Name()
	err = errors.Join(f.Close(), os.Remove(name))
	if err != nil {
		return denied(abs, dir, err)
	}
	return nil
}

// existing returns path, or its nearest parent that exists; it must be a directory.
func existing(path string) (string, error) {
	for {
		fi, err := os.Stat(path)
		switch {
		case err == nil && !fi.IsDir():
			return path, fmt.Errorf("%s is not a directory", path)
		case err == nil:
			return path, nil
		case errors.Is(err, fs.ErrPermission):
			return filepath.Dir(path), err // a parent does not let the user look inside
		case !errors.Is(err, fs.ErrNotExist):
			return path, err
		}
		parent := filepath.Dir(path)
		if parent == path {
			return path, err
		}
		path = parent
	}
}

// denied returns err as an *Error naming the user when it is a lack of permission.
func denied(path, at string, err error) error {
	if !errors.Is(err, fs.ErrPermission) {
		return err // it names the path
	}
	e := &Error{Path: path, Denied: at, UID: strconv.Itoa(os.Getuid()), Err: err}
	if u, uerr := user.Current(); uerr == nil {
		e.UID, e.User = u.Uid, u.Username
	}
	return e
}
