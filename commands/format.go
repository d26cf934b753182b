package commands

import (
	"fmt"
	"strings"
	"time"
)

// formatDate shows a day in the programme time zone: "27 nov 2026".
func (h *Handler) formatDate(l Lang, t time.Time) string {
	t = t.In(h.loc())
	return fmt.Sprintf("%d %s %d", t.Day(), l.MonthShort(t.Month()), t.Year())
}

// formatTime shows a moment in the programme time zone: "27 nov 2026 14:05".
func (h *Handler) formatTime(l Lang, t time.Time) string {
	return h.formatDate(l, t) + " " + t.In(h.loc()).Format("15:04")
}

// formatWeekdayTime shows a scheduled moment with its weekday: "ma 7 dec 2026 10:00".
func (h *Handler) formatWeekdayTime(l Lang, t time.Time) string {
	t = t.In(h.loc())
	return l.WeekdayShort(t.Weekday()) + " " + h.formatTime(l, t)
}

// age says how long ago t was, roughly: "net", "5 uur", "3 dagen".
func age(l Lang, now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Hour:
		return l.Msg(MsgAgeJustNow)
	case d < 24*time.Hour:
		n := int(d / time.Hour)
		return l.Count(MsgHoursN, n)
	default:
		n := int(d / (24 * time.Hour))
		return l.Count(MsgDaysN, n)
	}
}

// ago is age phrased as a moment in the past: "3 dagen geleden".
func ago(l Lang, now, t time.Time) string {
	if now.Sub(t) < time.Hour {
		return l.Msg(MsgAgoJustNow)
	}
	return age(l, now, t) + l.Msg(MsgAgoSuffix)
}

// bar draws a 0–10 value as a text bar, readable where no chart is shown.
func bar(v int) string {
	v = min(max(v, 0), 10)
	return strings.Repeat("▰", v) + strings.Repeat("▱", 10-v)
}

// ref is how a help request is named in every message about it.
func ref(n int64) string { return fmt.Sprintf("#%d", n) }

// quoteLines indents a multi-line user text under a heading line.
func quoteLines(s, indent string) string {
	return indent + strings.ReplaceAll(s, "\n", "\n"+indent)
}

// nameOr returns name: "verwijderd" for a person erased with /vergeetmij
// (issue 7 promises the author shows as such), a neutral word when empty.
func nameOr(l Lang, name string) string {
	switch name {
	case "":
		return l.Msg(MsgSomeone)
	case ErasedAuthor:
		return l.Msg(MsgErased)
	}
	return name
}
