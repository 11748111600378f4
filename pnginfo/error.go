package pnginfo

import "fmt"

// FormatError reports input that is not a well-formed PNG file. Callers match
// it with errors.As; Embed and Read never return output for such input.
type FormatError struct {
	// Offset is the byte offset in the input where the problem was found.
	Offset int
	// Reason says what is wrong, in lower case.
	Reason string
}

// Error implements error.
func (e *FormatError) Error() string {
	return fmt.Sprintf("invalid png at byte %d: %s", e.Offset, e.Reason)
}

func formatErrorf(offset int, format string, args ...any) *FormatError {
	return &FormatError{Offset: offset, Reason: fmt.Sprintf(format, args...)}
}
