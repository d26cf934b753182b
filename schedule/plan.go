package schedule

import (
	"time"

	"github.com/robfig/cron/v3"
)

// MaxMissed bounds how many superseded rounds one plan records as
// missed, so a fast schedule (@every 3s) after a long outage does not write
// thousands of rows; older ones are simply not recorded.
const MaxMissed = 100

// missedLookback bounds how far back a plan looks for rounds, so a bot that
// was down for a year does not walk half a million minutes of a minutely
// schedule. Rounds older than this are not recorded.
const missedLookback = 35 * 24 * time.Hour

// Plan says what to do with a collective's (or the digest's) rounds at a
// moment: post at most one, record the others as missed.
type Plan struct {
	// Post is the round to post now; zero when none.
	Post time.Time
	// Missed are rounds to record as missed, oldest first: too late (more
	// than the catch-up window), superseded by a later due round, or due
	// while the collective was paused.
	Missed []time.Time
}

// Plan decides which rounds of the schedule are due at now, given the
// scheduled time of the last round already recorded (or the collective's
// creation when there is none). It is a pure function, so a year can be
// simulated in microseconds.
//
// Only the latest due round can be posted, and only if it is less than
// catchUp late and not before pausedUntil: a bot that comes back after a
// short outage posts the round it missed once, never a backlog of them.
func (s *Schedule) Plan(last, now time.Time, catchUp time.Duration, pausedUntil time.Time) Plan {
	var plan Plan
	if s == nil || now.Before(last) {
		return plan
	}
	from := last
	if min := now.Add(-missedLookback); from.Before(min) {
		from = min
	}
	var due []time.Time
	for t := s.Next(from); !t.IsZero() && !t.After(now); t = s.Next(t) {
		due = append(due, t)
		if len(due) > 2*MaxMissed {
			due = append(due[:0], due[len(due)-MaxMissed-1:]...)
		}
	}
	if len(due) == 0 {
		return plan
	}
	latest := due[len(due)-1]
	if now.Sub(latest) < catchUp && !latest.Before(pausedUntil) {
		plan.Post = latest
		due = due[:len(due)-1]
	}
	if len(due) > MaxMissed {
		due = due[len(due)-MaxMissed:]
	}
	plan.Missed = due
	return plan
}

// Next returns the first round of s after t, zero if there is none.
//
// Daylight saving time. robfig/cron computes wall-clock schedules with
// time.Date arithmetic, and around a change it does two things nobody wants
// from a weekly reminder (Europe/Amsterdam shown; any zone with DST alike):
//   - last Sunday of March, 02:00 → 03:00: a time inside the skipped hour
//     ("30 2 * * SUN") does not exist, and robfig/cron silently skips that
//     day. Here the round is held at the same distance after the jump, i.e.
//     02:30 becomes 03:30 CEST (what time.Date makes of 02:30 that day).
//   - last Sunday of October, 03:00 → 02:00: the hour 02:00–03:00 happens
//     twice, and robfig/cron fires a time in it twice (02:30 CEST and 02:30
//     CET). Here only the first (CEST) counts; the repeat is skipped.
//
// Schedules outside 02:00–03:00 (the default Monday 10:00) are untouched:
// they stay at 10:00 local time, which is 09:00 UTC in summer and 10:00 UTC in
// winter. "@every" schedules count elapsed time and ignore the clock.
func (s *Schedule) Next(t time.Time) time.Time {
	spec := s.spec
	if spec == nil {
		return s.c.Next(t)
	}
	loc := spec.Location
	n := spec.Next(t)
	for !n.IsZero() && inRepeatedHour(n.In(loc)) {
		n = spec.Next(n)
	}
	if g := skippedRound(spec, t.In(loc), n); !g.IsZero() {
		return g
	}
	return n
}

// inRepeatedHour reports whether the wall-clock time of t already happened
// earlier, because the clock was turned back less than that long ago.
func inRepeatedHour(t time.Time) bool {
	start, _ := t.ZoneBounds()
	if start.IsZero() {
		return false
	}
	_, before := start.Add(-time.Nanosecond).Zone()
	_, after := start.Zone()
	back := time.Duration(before-after) * time.Second
	return back > 0 && t.Sub(start) < back
}

// skippedRound looks for a clock-forward change between t and n (exclusive)
// whose skipped wall-clock times the schedule matches, and returns the first
// such round moved past the jump; zero if there is none.
func skippedRound(spec *cron.SpecSchedule, t, n time.Time) time.Time {
	if n.IsZero() {
		return time.Time{}
	}
	loc := t.Location()
	for at := t; at.Before(n); {
		_, end := at.ZoneBounds()
		if end.IsZero() || !end.Before(n) {
			return time.Time{}
		}
		_, before := end.Add(-time.Nanosecond).Zone()
		_, after := end.Zone()
		if gap := time.Duration(after-before) * time.Second; gap > 0 {
			// The wall clock at the jump (02:00 in Amsterdam) as a UTC time,
			// so the schedule can be asked about times that do not exist in loc.
			w := end.In(time.FixedZone("", before))
			wallStart := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, time.UTC)
			utc := *spec
			utc.Location = time.UTC
			if m := utc.Next(wallStart.Add(-time.Second)); !m.IsZero() && m.Before(wallStart.Add(gap)) {
				g := time.Date(m.Year(), m.Month(), m.Day(), m.Hour(), m.Minute(), m.Second(), 0, loc)
				if g.After(t) && g.Before(n) {
					return g
				}
			}
		}
		at = end
	}
	return time.Time{}
}
