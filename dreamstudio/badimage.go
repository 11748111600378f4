package dreamstudio

// BadImageError is a successful (2xx) generation answer whose image the client refuses: not a
// PNG, larger than the limit, or not whole (cut short, corrupted on the way, missing its image
// data or its end). The API did not do its job, though it may have charged for the image;
// nothing is returned, so nothing broken can be saved or shown. Retrying may succeed.
type BadImageError struct {
	// Reason says what is wrong, in lower case, for logs; it is not written for members.
	Reason string
	// Err is the underlying error when there is one: a *pnginfo.FormatError for a file that
	// is not whole, io.ErrUnexpectedEOF for a body that ended early.
	Err error
}

// Error returns e.g. "dreamstudio: bad image: invalid png at byte 8130: truncated IDAT chunk ...".
func (e *BadImageError) Error() string {
	return "dreamstudio: bad image: " + e.Reason
}

func (e *BadImageError) Unwrap() error { return e.Err }
