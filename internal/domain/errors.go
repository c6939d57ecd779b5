// Package domain holds Tandem's nouns (organizations, controls, trail
// entries), the rules that decide whether one is valid, and the errors every
// layer speaks. Storage, API and UI depend on it; it depends on none of them.
package domain

import (
	"errors"
	"strings"

	"tandem/internal/i18n"
)

var (
	// ErrNotFound: the record does not exist in this organization (or the
	// organization does not exist). Callers never learn which.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the record changed since the version the caller read.
	ErrConflict = errors.New("version conflict")
	// ErrDuplicate: a unique value (such as an organization slug) is taken.
	ErrDuplicate = errors.New("already exists")
	// ErrVersionRequired: the record exists, so a change must name the
	// version it is based on.
	ErrVersionRequired = errors.New("version required")
)

// FieldError says what is wrong with one input field. Code is a message id
// of the i18n catalog; Message is its English text.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Value   any    `json:"value,omitempty"`
}

// ValidationError collects every field error of one input, so that a person
// fixes them all at once instead of one per round trip.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Add records a problem with field; code is a message id, args its values.
func (e *ValidationError) Add(field, code string, value any, args ...any) {
	e.Fields = append(e.Fields, FieldError{Field: field, Code: code, Message: i18n.T(code, args...), Value: value})
}

// For returns the message for field, or "" (used by forms to show inline errors).
func (e *ValidationError) For(field string) string {
	for _, f := range e.Fields {
		if f.Field == field || strings.HasPrefix(f.Field, field+"[") {
			return f.Message
		}
	}
	return ""
}

// Err returns e when it holds a problem, else nil.
func (e *ValidationError) Err() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// AsValidation unwraps a *ValidationError.
func AsValidation(err error) (*ValidationError, bool) {
	var v *ValidationError
	ok := errors.As(err, &v)
	return v, ok
}
