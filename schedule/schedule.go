// Package schedule does the maths of check-in and digest schedules: it parses
// cron specs and descriptors in the programme time zone, finds the next round
// with a sane answer around daylight saving time changes, and plans which
// rounds are due after a pause or an outage. It is pure: no I/O, no clock of
// its own, and robfig/cron stays behind its API.
package schedule

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Schedule is a parsed check-in or digest schedule.
type Schedule struct {
	c     cron.Schedule
	spec  *cron.SpecSchedule // nil for "@every"
	every time.Duration      // "@every" interval; zero for clock schedules
}

// Reason says what is wrong with a schedule spec.
type Reason int

// Reasons a spec is refused.
const (
	Unreadable        Reason = iota // none of the below
	Empty                           // nothing written
	MissingSpec                     // a time zone and nothing after it
	UnknownZone                     // CRON_TZ= names no known zone
	FieldCount                      // not 5 fields (Error.Fields says how many)
	UnknownDescriptor               // @something unknown
	BadDuration                     // @every with an unreadable duration
	EveryTooShort                   // @every below a second
	OutOfRange                      // a field value outside its range
	BadField                        // a field that is no number, name or range
	NeverFires                      // a date that never exists (30 February)
)

// Error is a refused spec. Its Error text is for logs and operators; a chat
// turns Reason into the user's language.
type Error struct {
	Spec   string // the spec as given, trimmed
	Reason Reason
	Fields int // for FieldCount: how many fields were found
}

// Error implements error.
func (e *Error) Error() string {
	var why string
	switch e.Reason {
	case Empty:
		why = "the schedule is empty"
	case MissingSpec:
		why = "the schedule itself is missing after the time zone"
	case UnknownZone:
		why = "unknown time zone"
	case FieldCount:
		why = fmt.Sprintf("expected 5 fields, found %d", e.Fields)
	case UnknownDescriptor:
		why = "unknown descriptor (known: @yearly, @monthly, @weekly, @daily, @hourly, @every <duration>)"
	case BadDuration:
		why = "unreadable duration after @every"
	case EveryTooShort:
		why = "@every must be at least 1s"
	case OutOfRange:
		why = "a value is out of range (minute 0-59, hour 0-23, day 1-31, month 1-12, weekday 0-6)"
	case BadField:
		why = "a field is no number, name or range"
	case NeverFires:
		why = "this date never exists"
	default:
		why = "unreadable"
	}
	return fmt.Sprintf("schedule %q: %s", e.Spec, why)
}

// ref is a fixed moment from which a schedule must fire at least once
// (robfig/cron gives up after five years), so "30 februari" is refused.
var ref = time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)

// Parse parses a check-in or digest schedule: 5-field cron ("0 10 * * MON")
// or a descriptor (@weekly, @daily, @hourly, @every 10s), interpreted in loc
// (the programme time zone) unless it starts with its own CRON_TZ=Zone. It
// never panics: robfig/cron panics on "CRON_TZ=X" with nothing after it,
// which is recovered here into an error.
//
// A refused spec returns an *Error.
func Parse(spec string, loc *time.Location) (s *Schedule, err error) {
	spec = strings.TrimSpace(spec)
	if loc == nil {
		loc = time.UTC
	}
	fail := func(r Reason) error { return &Error{Spec: spec, Reason: r} }
	if spec == "" {
		return nil, fail(Empty)
	}
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fail(MissingSpec)
		}
	}()
	c, err := cron.ParseStandard(spec)
	if err != nil {
		e := &Error{Spec: spec, Reason: reason(err)}
		if e.Reason == FieldCount {
			e.Fields = len(strings.Fields(stripTZ(spec)))
		}
		return nil, e
	}
	s = &Schedule{c: c}
	switch sched := c.(type) {
	case *cron.SpecSchedule:
		// ParseStandard uses time.Local when the spec names no zone; the
		// programme time zone is what staff mean, whatever the server's zone.
		if sched.Location == time.Local {
			sched.Location = loc
		}
		if sched.Next(ref.In(sched.Location)).IsZero() {
			return nil, fail(NeverFires)
		}
		s.spec = sched
	case cron.ConstantDelaySchedule:
		if d := everyDuration(spec); d < time.Second {
			return nil, fail(EveryTooShort)
		}
		s.every = sched.Delay
	}
	return s, nil
}

// Every is the interval of an "@every" schedule; zero for a clock schedule.
func (s *Schedule) Every() time.Duration { return s.every }

// everyDuration is the duration of an "@every d" spec as written (robfig/cron
// silently rounds anything below a second up to one).
func everyDuration(spec string) time.Duration {
	if i := strings.Index(spec, "@every "); i >= 0 {
		d, err := time.ParseDuration(strings.TrimSpace(spec[i+len("@every "):]))
		if err == nil {
			return d
		}
	}
	return 0
}

// reason classifies robfig/cron's error text.
func reason(err error) Reason {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "bad location"):
		return UnknownZone
	case strings.Contains(msg, "expected exactly 5 fields"), strings.Contains(msg, "expected 5 to"):
		return FieldCount
	case strings.Contains(msg, "unrecognized descriptor"), strings.Contains(msg, "does not accept descriptors"):
		return UnknownDescriptor
	case strings.Contains(msg, "failed to parse duration"):
		return BadDuration
	case strings.Contains(msg, "above maximum"), strings.Contains(msg, "below minimum"), strings.Contains(msg, "beyond end of range"):
		return OutOfRange
	case strings.Contains(msg, "failed to parse int"), strings.Contains(msg, "negative number"), strings.Contains(msg, "too many"), strings.Contains(msg, "step of range"):
		return BadField
	}
	return Unreadable
}

func stripTZ(spec string) string {
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		if i := strings.Index(spec, " "); i >= 0 {
			return spec[i:]
		}
		return ""
	}
	return spec
}
