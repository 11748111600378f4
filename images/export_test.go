package images

// SetLink replaces the hard-link call of d, so tests can reach the rename fallback and the
// retry on a taken name.
func SetLink(d *Dir, link func(oldname, newname string) error) { d.link = link }
