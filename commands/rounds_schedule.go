package commands

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// scheduleHelp is appended to every schedule error: what is allowed.
const scheduleHelp = `Gebruik 5 velden (minuut uur dag-van-de-maand maand weekdag), bijv. "0 10 * * MON" (maandag 10:00), of @weekly, @daily, @every 10s.`

// scheduleRef is a fixed moment from which a schedule must fire at least once
// (robfig/cron gives up after five years), so "30 februari" is refused.
var scheduleRef = time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)

// ParseSchedule parses a check-in or digest schedule: 5-field cron
// ("0 10 * * MON") or a descriptor (@weekly, @daily, @hourly, @every 10s),
// interpreted in loc (the programme time zone) unless it starts with its own
// CRON_TZ=Zone. It never panics: robfig/cron panics on "CRON_TZ=X" with
// nothing after it, which is recovered here into an error.
//
// Returns EINVALID with a Dutch message that names what is wrong and what is
// allowed.
func ParseSchedule(spec string, loc *time.Location) (s cron.Schedule, err error) {
	spec = strings.TrimSpace(spec)
	if loc == nil {
		loc = time.UTC
	}
	fail := func(reason string) error {
		return Errorf(EINVALID, "Ongeldig schema %q: %s. %s", clip(spec, 60), reason, scheduleHelp)
	}
	if spec == "" {
		return nil, fail("het schema is leeg")
	}
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fail("na de tijdzone ontbreekt het schema zelf")
		}
	}()
	s, err = cron.ParseStandard(spec)
	if err != nil {
		return nil, fail(scheduleReason(spec, err))
	}
	switch sched := s.(type) {
	case *cron.SpecSchedule:
		// ParseStandard uses time.Local when the spec names no zone; the
		// programme time zone is what staff mean, whatever the server's zone.
		if sched.Location == time.Local {
			sched.Location = loc
		}
		if sched.Next(scheduleRef.In(sched.Location)).IsZero() {
			return nil, fail("deze datum bestaat nooit")
		}
	case cron.ConstantDelaySchedule:
		if d := everyDuration(spec); d < time.Second {
			return nil, fail("@every moet minstens 1s zijn")
		}
	}
	return s, nil
}

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

// scheduleReason turns robfig/cron's English error into a Dutch reason.
func scheduleReason(spec string, err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "bad location"):
		return "onbekende tijdzone (gebruik bijv. CRON_TZ=Europe/Amsterdam)"
	case strings.Contains(msg, "expected exactly 5 fields"), strings.Contains(msg, "expected 5 to"):
		return fmt.Sprintf("verwacht 5 velden, gevonden %d", len(strings.Fields(stripTZ(spec))))
	case strings.Contains(msg, "unrecognized descriptor"), strings.Contains(msg, "does not accept descriptors"):
		return "onbekende afkorting (bekend: @yearly, @monthly, @weekly, @daily, @hourly, @every <duur>)"
	case strings.Contains(msg, "failed to parse duration"):
		return "onleesbare duur na @every (bijv. 10s, 5m, 2h)"
	case strings.Contains(msg, "above maximum"), strings.Contains(msg, "below minimum"), strings.Contains(msg, "beyond end of range"):
		return "een waarde valt buiten het bereik (minuut 0–59, uur 0–23, dag 1–31, maand 1–12, weekdag 0–6)"
	case strings.Contains(msg, "failed to parse int"), strings.Contains(msg, "negative number"), strings.Contains(msg, "too many"), strings.Contains(msg, "step of range"):
		return "een veld is geen getal, naam (MON, JAN) of reeks (1-5, */15)"
	}
	return "niet te lezen"
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
