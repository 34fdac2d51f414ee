package bot

import "errors"

// Domain errors returned by Store implementations. Drivers' own errors are
// translated into these where they mean the same thing.
var (
	// ErrNotFound: the thing asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrAlreadyExists: a uniqueness rule was broken (for example a second
	// open round in one channel).
	ErrAlreadyExists = errors.New("already exists")
)

// UserError carries a kind text for the member who caused it. It is shown to
// that member privately and is not logged as a failure.
type UserError struct {
	Text Text
	// refused: the member may not run the command (not a mistake).
	refused bool
}

func (e *UserError) Error() string { return "user error: " + e.Text.String() }

// Userf returns a UserError whose text is t.
func Userf(t Text) error { return &UserError{Text: t} }
