package images

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// tempPattern names the files Save writes before publishing them.
const tempPattern = ".tmp-*.png"

// RemoveStaleTemp removes the temporary files that saves interrupted by a crash left behind: those
// last written before started, the moment the calling process started. A save under way in
// another process (`dreambot imagine` next to the bot) writes its file after that, so it is left
// alone. It returns how many files it removed.
func (d *Dir) RemoveStaleTemp(started time.Time) (int, error) {
	names, err := filepath.Glob(filepath.Join(d.path, tempPattern))
	if err != nil {
		return 0, fmt.Errorf("images: list temporary files: %w", err)
	}
	n := 0
	for _, name := range names {
		fi, err := os.Lstat(name)
		if err != nil || !fi.Mode().IsRegular() || !fi.ModTime().Before(started) {
			continue
		}
		if err := os.Remove(name); err != nil {
			return n, fmt.Errorf("images: remove temporary file: %w", err)
		}
		n++
	}
	return n, nil
}
