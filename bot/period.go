package bot

import (
	"fmt"
	"time"
)

// day is 24 hours, the unit of a days setting ("730d").
const day = 24 * time.Hour

// Range is the span a duration setting may take, both ends included. A
// setting outside it is refused at start-up with the range named, so a typo
// of a few digits cannot wrap around or switch a safeguard off.
type Range struct{ Min, Max time.Duration }

// String writes the range as "1m to 30d".
func (r Range) String() string { return FormatPeriod(r.Min) + " to " + FormatPeriod(r.Max) }

// FormatPeriod writes d as a setting is written: whole days as "730d",
// whole hours as "36h", whole minutes as "90m", else Go's notation.
func FormatPeriod(d time.Duration) string {
	switch {
	case d != 0 && d%day == 0:
		return fmt.Sprintf("%dd", d/day)
	case d != 0 && d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d != 0 && d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

// Defaults and ranges of the duration settings: the one place for them
// (cmd/wijkbot's -help and checks are derived from these).
const (
	// DefaultRetention keeps check-in answers two years: long enough to look
	// back on a programme year with its collectives, no longer (AVG data
	// minimisation).
	DefaultRetention       = 730 * day
	DefaultCatchUp         = 24 * time.Hour
	DefaultNudgeAfter      = 48 * time.Hour
	DefaultUnclaimedAlert  = 24 * time.Hour
	DefaultUnansweredAlert = 72 * time.Hour
)

var (
	// RetentionRange bounds WIJKBOT_CHECKIN_RETENTION (0, keep forever, is
	// allowed besides): a day at least, ten years at most.
	RetentionRange = Range{Min: day, Max: 3650 * day}
	// CatchUpRange bounds WIJKBOT_CHECKIN_CATCHUP: a round cannot be posted
	// later than rounds are looked back on (schedule.Plan looks back 35 days).
	CatchUpRange = Range{Min: time.Minute, Max: 30 * day}
	// NudgeRange bounds WIJKBOT_CHECKIN_NUDGE.
	NudgeRange = Range{Min: time.Minute, Max: 90 * day}
	// AlertRange bounds WIJKBOT_ALERT_UNCLAIMED and WIJKBOT_ALERT_UNANSWERED.
	AlertRange = Range{Min: time.Minute, Max: 90 * day}
)

// PeriodSetting is one of the scheduler's duration settings.
type PeriodSetting struct {
	Env     string
	Default time.Duration
	Range   Range
	Doc     string
}

// PeriodSettings are the scheduler's duration settings, in -help order.
var PeriodSettings = []PeriodSetting{
	{"WIJKBOT_CHECKIN_CATCHUP", DefaultCatchUp, CatchUpRange, "a check-in round missed while the bot was down is still posted if less late than this"},
	{"WIJKBOT_CHECKIN_NUDGE", DefaultNudgeAfter, NudgeRange, "one friendly reminder when a check-in is unanswered this long"},
	{"WIJKBOT_ALERT_UNCLAIMED", DefaultUnclaimedAlert, AlertRange, "raise a help request in the staff chat once when unclaimed this long"},
	{"WIJKBOT_ALERT_UNANSWERED", DefaultUnansweredAlert, AlertRange, "raise a claimed help request once when unanswered this long"},
}
