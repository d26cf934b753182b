// Package ical writes meetings as an iCalendar file (RFC 5545), so chat
// members can add them to their calendar. It builds on
// github.com/arran4/golang-ical, which does the RFC's escaping of text and
// its folding of lines longer than 75 octets.
package ical

import (
	"bytes"
	"time"

	ics "github.com/arran4/golang-ical"
)

// Event is one calendar entry.
type Event struct {
	UID      string    // globally unique and stable: the same meeting keeps it
	Start    time.Time // any zone; written in UTC (RFC 5545 form 2, "…Z")
	Summary  string
	Location string // "" leaves LOCATION out
	URL      string // "" leaves URL out
}

// ContentType is the MIME type of the file Write returns.
const ContentType = "text/calendar; charset=utf-8"

// Write returns an iCalendar file with the events. stamp is DTSTAMP (when
// the file was made). zone names the programme time zone for calendars that
// show it (X-WR-TIMEZONE); DTSTART is in UTC, which every calendar reads
// without a VTIMEZONE block and which shows the right local time in any zone.
func Write(events []Event, stamp time.Time, zone string) []byte {
	cal := ics.NewCalendarFor("wijkbot")
	cal.SetMethod(ics.MethodPublish)
	if zone != "" {
		cal.SetXWRTimezone(zone)
	}
	for _, e := range events {
		ev := cal.AddEvent(e.UID)
		ev.SetDtStampTime(stamp)
		ev.SetStartAt(e.Start)
		ev.SetSummary(e.Summary)
		if e.Location != "" {
			ev.SetLocation(e.Location)
		}
		if e.URL != "" {
			ev.SetURL(e.URL)
		}
	}
	var b bytes.Buffer
	// RFC 5545 wants CRLF; the library defaults to the OS line end.
	_ = cal.SerializeTo(&b, ics.WithNewLineWindows) // a bytes.Buffer cannot fail
	return b.Bytes()
}
