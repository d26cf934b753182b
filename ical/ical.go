// Package ical writes meetings as an iCalendar file (RFC 5545), so chat
// members can add them to their calendar.
//
// It writes the file itself: the few properties a meeting needs, TEXT
// escaping (RFC 5545 3.3.11) and folding of lines longer than 75 octets
// (3.1). A general iCalendar library cost the binary 0.10 MiB (issue 15's
// size budget); the tests parse every file back with one,
// github.com/arran4/golang-ical.
package ical

import (
	"strings"
	"time"
	"unicode/utf8"
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

// prodID names the program that made the file (RFC 5545 3.7.3).
const prodID = "-//WijkBV//wijkbot//NL"

// Write returns an iCalendar file with the events. stamp is DTSTAMP (when
// the file was made). zone names the programme time zone for calendars that
// show it (X-WR-TIMEZONE); DTSTART is in UTC, which every calendar reads
// without a VTIMEZONE block and which shows the right local time in any zone.
func Write(events []Event, stamp time.Time, zone string) []byte {
	var w writer
	w.line("BEGIN", "VCALENDAR")
	w.line("VERSION", "2.0")
	w.line("PRODID", text(prodID))
	w.line("METHOD", "PUBLISH")
	if zone != "" {
		w.line("X-WR-TIMEZONE", text(zone))
	}
	for _, e := range events {
		w.line("BEGIN", "VEVENT")
		w.line("UID", text(e.UID))
		w.line("DTSTAMP", utc(stamp))
		w.line("DTSTART", utc(e.Start))
		w.line("SUMMARY", text(e.Summary))
		if e.Location != "" {
			w.line("LOCATION", text(e.Location))
		}
		if e.URL != "" {
			w.line("URL", e.URL) // a URI, not TEXT: no escaping
		}
		w.line("END", "VEVENT")
	}
	w.line("END", "VCALENDAR")
	return []byte(w.b.String())
}

// textEscaper escapes a TEXT value (RFC 5545 3.3.11); a line break of any
// kind becomes \n, as a raw CR or LF would end the content line.
var textEscaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

func text(s string) string { return textEscaper.Replace(s) }

// utc writes t as a UTC date-time, "20261207T183000Z".
func utc(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

type writer struct{ b strings.Builder }

// line writes one content line, folded (RFC 5545 3.1): no line longer than
// 75 octets before its CRLF, a continuation starting with a space, and no
// UTF-8 sequence split.
func (w *writer) line(name, value string) {
	s := name + ":" + value
	max := 75
	for len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.b.WriteString(s[:cut] + "\r\n ")
		s = s[cut:]
		max = 74 // the leading space counts
	}
	w.b.WriteString(s + "\r\n")
}
