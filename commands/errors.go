package commands

import (
	"errors"
	"fmt"
)

// Error codes. Only EINTERNAL is logged as an error by the runtime; the others
// are the user's business and are shown to them.
const (
	EINVALID   = "invalid"
	ENOTFOUND  = "not_found"
	EFORBIDDEN = "forbidden"
	ECONFLICT  = "conflict"
	EINTERNAL  = "internal"
)

// Error is a domain error. Message is what the user reads, already in the
// language of the chat it is shown in; Err, when set, is the cause (for
// logs and errors.Is/As), never shown. Errors from a Store have no Message
// (see ErrNotFound); ErrorMessage then explains the code in the chat's language.
type Error struct {
	Code    string
	Message string
	Err     error
}

func (e *Error) Error() string {
	s := "wijkbot error: code=" + e.Code
	if e.Message != "" {
		s += " message=" + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause, so errors.Is and errors.As see through e.
func (e *Error) Unwrap() error { return e.Err }

// Because sets the cause of e and returns e: a store error turned into a
// message for the user keeps what actually happened.
func (e *Error) Because(err error) *Error {
	e.Err = err
	return e
}

// Store errors. A Store reports what a user may cause with these sentinels,
// wrapped with what it was doing (fmt.Errorf("help request #%d not found:
// %w", n, ErrNotFound)) and never with text a user reads: storage does not
// know the chat's language. Handlers test ErrorCode or errors.Is and answer
// with a catalogue message that says what happened and what to do.
var (
	ErrNotFound = &Error{Code: ENOTFOUND}
	ErrConflict = &Error{Code: ECONFLICT}
	ErrInvalid  = &Error{Code: EINVALID}
	// ErrTooManyWaiting: the collective already has MaxOpenRequests help
	// requests without an answer (CreateRequest).
	ErrTooManyWaiting = &Error{Code: ECONFLICT}
)

// Errorf returns an *Error with the given code and a formatted user message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EINTERNAL for any error that is not an
// *Error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err. Foreign errors get a
// generic message so internals never leak into a chat; a Store error that
// no handler explained gets a message for its code.
func ErrorMessage(lang Lang, err error) string {
	var e *Error
	if !errors.As(err, &e) || e.Code == EINTERNAL {
		return lang.Msg(MsgInternalError)
	}
	if e.Message != "" {
		return e.Message
	}
	switch e.Code {
	case ENOTFOUND:
		return lang.Msg(MsgErrNotFound)
	case ECONFLICT:
		return lang.Msg(MsgErrConflict)
	case EINVALID:
		return lang.Msg(MsgErrInvalid)
	case EFORBIDDEN:
		return lang.Msg(MsgErrForbidden)
	}
	return lang.Msg(MsgInternalError)
}

// ErrDuplicate is returned by Store writes when the event that caused them was
// already processed. It is an outcome, not an error users see: it has no
// code, so no check for a conflict can mistake it for one, and Handle turns
// it (also wrapped) into Reply{Duplicate: true}. Handlers just return it.
var ErrDuplicate = errors.New("duplicate event: already processed")
