package ical

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
)

func TestWriteRoundTrip(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 12, 7, 19, 30, 0, 0, ams)
	stamp := time.Date(2026, 11, 30, 14, 0, 0, 0, time.UTC)
	long := "Netwerkbijeenkomst; energie, zorg en wonen — met de coöperaties uit Noord\\Zuid en een heel lange titel die over de 75 octetten gaat"
	data := Write([]Event{
		{UID: "b1-1764500000@wijkbot", Start: start, Summary: long, Location: "Buurthuis \"De Pijp\", zaal 2"},
		{UID: "b2-1764500001@wijkbot", Start: start.AddDate(0, 1, 0), Summary: "Lunch"},
	}, stamp, "Europe/Amsterdam")

	text := string(data)
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "VERSION:2.0\r\n", "PRODID:", "BEGIN:VEVENT\r\n",
		"UID:b1-1764500000@wijkbot\r\n", "DTSTAMP:20261130T140000Z\r\n", "DTSTART:20261207T183000Z\r\n",
		`LOCATION:Buurthuis "De Pijp"\, zaal 2`, "X-WR-TIMEZONE:Europe/Amsterdam\r\n", "END:VCALENDAR\r\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in\n%s", want, text)
		}
	}
	// RFC 5545 3.1: lines end in CRLF and are at most 75 octets, folded
	// without splitting a UTF-8 sequence.
	for _, line := range strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n") {
		if len(line) > 75 || strings.Contains(line, "\n") || !utf8.ValidString(line) {
			t.Errorf("bad line %q (%d octets)", line, len(line))
		}
	}

	cal, err := ics.ParseCalendar(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	events := cal.Events()
	if len(events) != 2 {
		t.Fatalf("%d events parsed back", len(events))
	}
	e := events[0]
	if got := e.Id(); got != "b1-1764500000@wijkbot" {
		t.Errorf("UID %q", got)
	}
	if got, err := e.GetStartAt(); err != nil || !got.Equal(start) {
		t.Errorf("DTSTART %v (%v), want %v", got, err, start)
	}
	if got := ics.FromText(e.GetProperty(ics.ComponentPropertySummary).Value); got != long {
		t.Errorf("SUMMARY %q, want %q", got, long)
	}
	if got := ics.FromText(e.GetProperty(ics.ComponentPropertyLocation).Value); got != `Buurthuis "De Pijp", zaal 2` {
		t.Errorf("LOCATION %q", got)
	}
	if p := events[1].GetProperty(ics.ComponentPropertyLocation); p != nil {
		t.Errorf("empty location written: %q", p.Value)
	}
}
