package commands

import (
	"fmt"
	"time"
)

// Reports, charts and the web pages are Dutch whatever a chat's language;
// these name the Dutch catalogue's dates (messages_nl.go) for them.

// DutchMonth is the Dutch name of m: "maart".
func DutchMonth(m time.Month) string { return NL.Month(m) }

// DutchMonthShort is the Dutch abbreviation of m: "mrt".
func DutchMonthShort(m time.Month) string { return NL.MonthShort(m) }

// DutchDate writes t as "27 november 2026", the way a date reads in Dutch.
func DutchDate(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), DutchMonth(t.Month()), t.Year())
}
