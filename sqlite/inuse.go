package sqlite

import (
	"errors"
	"fmt"
)

// InUseError means another process holds the database file's lock past the
// busy timeout: most likely a second dreambot on the same DATA_DIR.
type InUseError struct {
	Path string
	Err  error
}

func (e *InUseError) Error() string {
	return fmt.Sprintf("%s is locked by another process (another dreambot using the same DATA_DIR?): "+
		"stop it, or give each bot its own DATA_DIR (%v)", e.Path, e.Err)
}

func (e *InUseError) Unwrap() error { return e.Err }

// InUse reports whether err is SQLite's SQLITE_BUSY or SQLITE_LOCKED,
// with or without an extended code.
func InUse(err error) bool {
	var coded interface{ Code() int }
	if !errors.As(err, &coded) {
		return false
	}
	switch coded.Code() & 0xff {
	case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
		return true
	}
	return false
}
