package commands

import (
	"fmt"
	"time"
)

// Month names for dates shown to users, the one place for them (chart,
// export and the console use these too); Go's layouts know only English.
var (
	monthsNL      = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}
	monthsShortNL = [...]string{"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"}
	monthsShortEN = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// DutchMonth is the Dutch name of m: "maart".
func DutchMonth(m time.Month) string { return monthsNL[m-1] }

// DutchMonthShort is the Dutch abbreviation of m: "mrt".
func DutchMonthShort(m time.Month) string { return monthsShortNL[m-1] }

// DutchDate writes t as "27 november 2026", the way a date reads in Dutch.
func DutchDate(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), DutchMonth(t.Month()), t.Year())
}
