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

// Next returns the first round of s after t, zero if there is none (within
// five years, as robfig/cron).
//
// Clock schedules are walked in wall-clock time, day by day, rather than
// with robfig/cron's own Next: around a daylight saving time change that one
// fires twice, or not at all, in zones whose clocks change at midnight
// (America/Santiago, America/Havana, Asia/Beirut), by half an hour
// (Australia/Lord_Howe), or inside the schedule's hour. Here:
//   - a wall-clock time that does not exist that day (Amsterdam's last
//     Sunday of March, 02:00 → 03:00; Santiago's midnight in September) is
//     held at the same distance after the jump: 02:30 becomes 03:30 CEST,
//     00:00 becomes 01:00. The day still gets its one round (where that
//     would push it into the next day, Nuuk's 23:00 in March, it is held as
//     far before the jump instead).
//   - a wall-clock time that happens twice (Amsterdam's last Sunday of
//     October, 03:00 → 02:00; Beirut's 23:00–00:00 in October) counts once,
//     at its first occurrence.
//
// Every other time is untouched: the default Monday 10:00 stays at 10:00
// local time, which is 09:00 UTC in summer and 10:00 UTC in winter.
// "@every" schedules count elapsed time and ignore the clock.
func (s *Schedule) Next(t time.Time) time.Time {
	if s.spec == nil {
		return s.c.Next(t)
	}
	return nextWall(s.spec, t)
}

// maxShift bounds how far a zone's clock jumps at once (two hours at most
// anywhere, Antarctica/Troll); wall times further before t cannot be after it.
const maxShift = 3 * time.Hour

// nextWall finds the first round of spec after t by walking the days of its
// zone and the wall-clock times on each that the spec names.
func nextWall(spec *cron.SpecSchedule, t time.Time) time.Time {
	loc := spec.Location
	lt := t.In(loc)
	first := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, time.UTC)
	// On t's own day, wall times before t's are past (more than maxShift
	// before on a day whose clock changes).
	tWall := time.Duration(lt.Hour())*time.Hour + time.Duration(lt.Minute())*time.Minute + time.Duration(lt.Second())*time.Second
	for i := 0; i <= 5*366; i++ {
		day := first.AddDate(0, 0, i)
		if spec.Month&(1<<uint(day.Month())) == 0 || !dayMatches(spec, day) {
			continue
		}
		// On a day without a change, wall order is time order and the first
		// match after t is the answer; on a day with one, a held round
		// (02:30 → 03:30) can come after a later wall time, so take the
		// earliest of the day.
		start := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
		// (A day that starts with a jump, Beirut's 00:00 → 01:00, counts too:
		// its start is already after the change.)
		zoneStart, zoneEnd := start.ZoneBounds()
		changes := !zoneEnd.IsZero() && zoneEnd.Before(start.Add(26*time.Hour)) ||
			!zoneStart.IsZero() && zoneStart.After(start.Add(-maxShift))
		skip := tWall
		var jump *change
		if changes {
			skip -= maxShift
			jump = dayChange(day, loc)
		}
		var best time.Time
		var bestWall time.Duration
	walk:
		for h := 0; h < 24; h++ {
			if spec.Hour&(1<<uint(h)) == 0 || i == 0 && time.Duration(h+1)*time.Hour <= skip {
				continue
			}
			for m := 0; m < 60; m++ {
				if spec.Minute&(1<<uint(m)) == 0 || i == 0 && time.Duration(h)*time.Hour+time.Duration(m+1)*time.Minute <= skip {
					continue
				}
				for sec := 0; sec < 60; sec++ {
					if spec.Second&(1<<uint(sec)) == 0 {
						continue
					}
					wall := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second
					if i == 0 && wall < skip {
						continue
					}
					if !best.IsZero() && wall > bestWall+maxShift {
						break walk // held rounds move by less than that
					}
					var at time.Time
					if changes {
						at = jump.resolve(day.Add(wall), loc)
					} else {
						at = start.Add(wall) // no change that day: wall time is elapsed time
					}
					if !at.After(t) || (!best.IsZero() && !at.Before(best)) {
						continue
					}
					best, bestWall = at, wall
					if !changes {
						return best
					}
				}
			}
		}
		if !best.IsZero() {
			return best
		}
	}
	return time.Time{}
}

// dayMatches is robfig/cron's day rule: with a * in day-of-month or
// weekday both must match, else either may.
func dayMatches(spec *cron.SpecSchedule, day time.Time) bool {
	const star = 1 << 63
	dom := spec.Dom&(1<<uint(day.Day())) != 0
	dow := spec.Dow&(1<<uint(day.Weekday())) != 0
	if spec.Dom&star != 0 || spec.Dow&star != 0 {
		return dom && dow
	}
	return dom || dow
}

// resolve turns a wall-clock time (given as UTC fields) into a moment in
// loc: its first occurrence when the clock was turned back over it, the
// same distance after the jump when it was skipped.
func resolve(wall time.Time, loc *time.Location) time.Time {
	guess := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0, loc)
	var valid, held, early time.Time
	for _, probe := range []time.Time{guess.Add(-maxShift), guess, guess.Add(maxShift)} {
		_, off := probe.Zone()
		at := wall.Add(-time.Duration(off) * time.Second)
		lw := at.In(loc)
		if time.Date(lw.Year(), lw.Month(), lw.Day(), lw.Hour(), lw.Minute(), lw.Second(), 0, time.UTC).Equal(wall) {
			if valid.IsZero() || at.Before(valid) {
				valid = at
			}
		} else {
			if at.After(held) {
				held = at
			}
			if early.IsZero() || at.Before(early) {
				early = at
			}
		}
	}
	if !valid.IsZero() {
		return valid
	}
	// A skipped time at the end of a day (Nuuk: 23:00 → 00:00) held after
	// the jump would land on the next day, which has a round of its own;
	// it is held as far before the jump instead, so each day keeps one.
	if h := held.In(loc); h.Day() != wall.Day() {
		return early
	}
	return held
}

// change is the one clock change of a day: at At the offset goes from
// Before to After (seconds east of UTC).
type change struct {
	At            time.Time
	Before, After int
}

// dayChange finds the clock change of a day (given as UTC fields) in loc;
// nil when there are several (then resolve asks the zone each time).
func dayChange(day time.Time, loc *time.Location) *change {
	from := day.Add(-maxShift - 14*time.Hour) // before the day starts anywhere
	to := day.Add(24*time.Hour + maxShift + 14*time.Hour)
	var found *change
	for at := from; at.Before(to); {
		_, end := at.In(loc).ZoneBounds()
		if end.IsZero() || !end.Before(to) {
			break
		}
		if end.After(from) {
			_, before := end.Add(-time.Nanosecond).In(loc).Zone()
			_, after := end.In(loc).Zone()
			if found != nil {
				return nil
			}
			found = &change{At: end, Before: before, After: after}
		}
		at = end
	}
	return found
}

// resolve turns a wall-clock time on the change's day (UTC fields) into a
// moment, as the package-level resolve does, with the offsets known.
func (c *change) resolve(wall time.Time, loc *time.Location) time.Time {
	if c == nil {
		return resolve(wall, loc)
	}
	early := wall.Add(-time.Duration(c.Before) * time.Second) // read with the old offset
	late := wall.Add(-time.Duration(c.After) * time.Second)   // read with the new offset
	switch {
	case early.Before(c.At):
		return early // exists before the change (the first of two, if repeated)
	case !late.Before(c.At):
		return late
	}
	// Skipped: held after the jump, unless that is another day.
	if h := early.In(loc); h.Day() != wall.Day() {
		return late
	}
	return early
}
