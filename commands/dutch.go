package commands

import (
	"fmt"
	"time"
)

// The case report is Dutch whatever a chat's language (and the web pages
// write Dutch dates through it); these name the Dutch catalogue's dates
// (messages_nl.go) for them. Charts write dates in their reader's language.

// DutchMonth is the Dutch name of m: "maart".
func DutchMonth(m time.Month) string { return NL.Month(m) }

// DutchDate writes t as "27 november 2026", the way a date reads in Dutch.
func DutchDate(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), DutchMonth(t.Month()), t.Year())
}
