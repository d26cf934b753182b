package commands_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

// TestErrorKeepsItsCause: an *Error with a cause shows the user only its
// message, while errors.Is, errors.As and the log text still see the cause.
func TestErrorKeepsItsCause(t *testing.T) {
	cause := fmt.Errorf("insert: %w", sql.ErrNoRows)
	err := fmt.Errorf("link: %w", commands.Errorf(commands.ENOTFOUND, "Geen collectief met die code.").Because(cause))
	if !errors.Is(err, sql.ErrNoRows) {
		t.Errorf("errors.Is(%v, sql.ErrNoRows) = false: the cause is lost", err)
	}
	if got, want := commands.ErrorCode(err), commands.ENOTFOUND; got != want {
		t.Errorf("ErrorCode = %q, want %q", got, want)
	}
	if got, want := commands.ErrorMessage(commands.NL, err), "Geen collectief met die code."; got != want {
		t.Errorf("ErrorMessage = %q, want %q (the cause is never shown)", got, want)
	}
	if !strings.Contains(err.Error(), "no rows") {
		t.Errorf("Error() = %q lacks the cause, which the log needs", err.Error())
	}
}

// TestDuplicateIsNoConflict: a re-delivered write is an outcome, not an
// error code, so a check for a conflict cannot mistake it for one; Handle
// answers it as a duplicate also when a store wraps it.
func TestDuplicateIsNoConflict(t *testing.T) {
	for _, err := range []error{commands.ErrDuplicate, fmt.Errorf("add entry: %w", commands.ErrDuplicate)} {
		var e *commands.Error
		if errors.As(err, &e) {
			t.Errorf("%v is an *Error with code %q; a duplicate has no code", err, e.Code)
		}
		if commands.ErrorCode(err) == commands.ECONFLICT {
			t.Errorf("ErrorCode(%v) = conflict", err)
		}
	}
	f := newFixture(t)
	f.setup()
	f.h.Store = wrappingStore{f.h.Store}
	r := f.run(noordChat, anna, "/voortgang wordt niet bewaard")
	if !r.Duplicate || r.Text != "" || r.Code != "" {
		t.Fatalf("a wrapped ErrDuplicate gave %+v, want a silent duplicate", r)
	}
	if strings.Contains(f.logs.String(), "command failed") {
		t.Errorf("a duplicate was logged as a failure:\n%s", f.logs)
	}
}

// wrappingStore answers every progress entry as already stored, wrapped
// the way a store adds context.
type wrappingStore struct{ commands.Store }

func (s wrappingStore) AddEntry(ctx context.Context, eventID string, e *commands.Entry, by commands.UserRef) error {
	return fmt.Errorf("add entry: %w", commands.ErrDuplicate)
}

// TestSeenDecidesOnce: Handler.Seen is the one decision "already handled":
// it only looks, Handle records, and a re-delivery of a command that
// stores nothing (/hulp) is a silent duplicate too.
func TestSeenDecidesOnce(t *testing.T) {
	f := newFixture(t)
	req := f.request(looseChat, anna)
	req.Command = "hulp"
	for i := range 2 {
		if seen, err := f.h.Seen(f.ctx, req.EventID); err != nil || seen {
			t.Fatalf("Seen before handling (look %d) = %v, %v; want false", i, seen, err)
		}
	}
	if r := f.h.Handle(f.ctx, req); r.Duplicate || r.Text == "" {
		t.Fatalf("first delivery = %+v, want the help text", r)
	}
	if seen, err := f.h.Seen(f.ctx, req.EventID); err != nil || !seen {
		t.Fatalf("Seen after handling = %v, %v; want true", seen, err)
	}
	if r := f.h.Handle(f.ctx, req); !r.Duplicate || r.Text != "" {
		t.Fatalf("second delivery = %+v, want a silent duplicate", r)
	}
	if seen, _ := f.h.Seen(f.ctx, ""); seen {
		t.Error("an empty event id counts as seen; it means: not deduplicated")
	}
}
