package settings

// Error is a moderator's mistake. Message is safe to show them as it is; Code
// lets callers tell errors apart without parsing text.
type Error struct {
	Code    string
	Message string
}

// Error returns the user-safe message.
func (e *Error) Error() string { return e.Message }

// Is reports whether target is an *Error with the same code, so that
// errors.Is(err, ErrLastAllowed) holds whatever engine the message names.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Sentinel errors, matched with errors.Is. The errors returned carry a more
// specific message with the same code.
var (
	// ErrInvalid is a malformed engine id, rate or budget.
	ErrInvalid = &Error{Code: "invalid", Message: "invalid setting"}
	// ErrLastAllowed is a block that would empty a non-empty allow list,
	// which would otherwise silently switch the server back to every engine.
	ErrLastAllowed = &Error{Code: "last_allowed", Message: "that would leave no engine allowed"}
	// ErrNotAllowed is a default engine that the server does not permit.
	ErrNotAllowed = &Error{Code: "not_allowed", Message: "that engine is not allowed on this server"}
)

func errorf(sentinel *Error, msg string) error {
	return &Error{Code: sentinel.Code, Message: msg}
}
