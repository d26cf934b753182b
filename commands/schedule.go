package commands

import (
	"errors"
	"fmt"
	"time"

	"github.com/wijkbv/wijkbot/schedule"
)

// ParseSchedule parses a check-in or digest schedule (see schedule.Parse)
// and turns a refusal into EINVALID with a message in l that names what is
// wrong and what is allowed.
func ParseSchedule(spec string, loc *time.Location, l Lang) (*schedule.Schedule, error) {
	s, err := schedule.Parse(spec, loc)
	if err != nil {
		return nil, scheduleError(l, err)
	}
	return s, nil
}

// scheduleError is the user's message for a schedule.Error.
func scheduleError(l Lang, err error) error {
	var e *schedule.Error
	if !errors.As(err, &e) {
		return err
	}
	var nl, en string
	switch e.Reason {
	case schedule.Empty:
		nl, en = "het schema is leeg", "the schedule is empty"
	case schedule.MissingSpec:
		nl, en = "na de tijdzone ontbreekt het schema zelf", "the schedule itself is missing after the time zone"
	case schedule.UnknownZone:
		nl, en = "onbekende tijdzone (gebruik bijv. CRON_TZ=Europe/Amsterdam)", "unknown time zone (use e.g. CRON_TZ=Europe/Amsterdam)"
	case schedule.FieldCount:
		nl, en = fmt.Sprintf("verwacht 5 velden, gevonden %d", e.Fields), fmt.Sprintf("expected 5 fields, found %d", e.Fields)
	case schedule.UnknownDescriptor:
		nl = "onbekende afkorting (bekend: @yearly, @monthly, @weekly, @daily, @hourly, @every <duur>)"
		en = "unknown shorthand (known: @yearly, @monthly, @weekly, @daily, @hourly, @every <duration>)"
	case schedule.BadDuration:
		nl, en = "onleesbare duur na @every (bijv. 10s, 5m, 2h)", "unreadable duration after @every (e.g. 10s, 5m, 2h)"
	case schedule.EveryTooShort:
		nl, en = "@every moet minstens 1s zijn", "@every must be at least 1s"
	case schedule.OutOfRange:
		nl = "een waarde valt buiten het bereik (minuut 0–59, uur 0–23, dag 1–31, maand 1–12, weekdag 0–6)"
		en = "a value is out of range (minute 0–59, hour 0–23, day 1–31, month 1–12, weekday 0–6)"
	case schedule.BadField:
		nl, en = "een veld is geen getal, naam (MON, JAN) of reeks (1-5, */15)", "a field is not a number, name (MON, JAN) or range (1-5, */15)"
	case schedule.NeverFires:
		nl, en = "deze datum bestaat nooit", "this date never exists"
	default:
		nl, en = "niet te lezen", "unreadable"
	}
	spec := clip(e.Spec, 60)
	return Errorf(EINVALID, "%s", l.T(
		fmt.Sprintf("Ongeldig schema %q: %s. Gebruik 5 velden (minuut uur dag-van-de-maand maand weekdag), bijv. \"0 10 * * MON\" (maandag 10:00), of @weekly, @daily, @every 10s.", spec, nl),
		fmt.Sprintf("Invalid schedule %q: %s. Use 5 fields (minute hour day-of-month month weekday), e.g. \"0 10 * * MON\" (Monday 10:00), or @weekly, @daily, @every 10s.", spec, en)))
}
