package caio

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. Each maps to one HTTP status in internal/api and internal/web.
const (
	ECONFLICT     = "conflict"     // the object changed or already exists
	EINTERNAL     = "internal"     // a fault on our side; details are logged, not shown
	EINVALID      = "invalid"      // the input is wrong; FieldErrors say where
	ENOTFOUND     = "not_found"    // missing, or in another organisation
	EUNAUTHORIZED = "unauthorized" // no valid session or token
	EFORBIDDEN    = "forbidden"    // the role does not allow the action
	ETOOMANY      = "too_many"     // rate limited
	EUNAVAILABLE  = "unavailable"  // the database is not ready
)

// Error is the one error type of the domain. Message is safe to show to users.
type Error struct {
	Code    string
	Message string
	// Fields names each invalid input field and what to fix about it.
	Fields []FieldProblem
}

// FieldProblem says what is wrong with one input field.
type FieldProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("caio: %s: %s", e.Code, e.Message)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "caio: %s: %s", e.Code, e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s %s", f.Field, f.Message)
	}
	return b.String()
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error about one field.
func FieldError(field, message string) *Error {
	return &Error{Code: EINVALID, Message: field + " " + message, Fields: []FieldProblem{{field, message}}}
}

// ErrorCode returns the code of err, or EINTERNAL for anything that is not an *Error.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; internal errors read "Internal error".
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "Internal error."
}

// ErrorFields returns the field problems of err, if any.
func ErrorFields(err error) []FieldProblem {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Validation collects field problems so a form reports all of them at once.
type Validation struct{ fields []FieldProblem }

// Add records a problem with a field.
func (v *Validation) Add(field, message string) {
	v.fields = append(v.fields, FieldProblem{field, message})
}

// Err returns nil when nothing was added, or one EINVALID error listing every field.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	msgs := make([]string, len(v.fields))
	for i, f := range v.fields {
		msgs[i] = f.Field + " " + f.Message
	}
	return &Error{Code: EINVALID, Message: "Please fix: " + strings.Join(msgs, "; ") + ".", Fields: v.fields}
}
