package ical

import (
	"bytes"
	"math/rand/v2"
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

// TestWriteRoundTripRandom: texts of every awkward kind (escapes, line
// breaks of every kind, multi-byte runes at the fold, long lines) come
// back from a real iCalendar parser as they went in, with every line
// within 75 octets and no UTF-8 sequence split.
func TestWriteRoundTripRandom(t *testing.T) {
	const runes = "ab Z09 ;,\\:\"'\n\r\té€😀ĳ<>"
	rs := []rune(runes)
	r := rand.New(rand.NewPCG(5, 45))
	random := func(n int) string {
		b := make([]rune, 1+r.IntN(n))
		for i := range b {
			b[i] = rs[r.IntN(len(rs))]
		}
		return string(b)
	}
	// The parser unescapes TEXT values; CRLF and a lone CR were written
	// as \n.
	lines := strings.NewReplacer("\r\n", "\n", "\r", "\n")
	stamp := time.Date(2026, 11, 30, 14, 0, 0, 0, time.UTC)
	for i := range 500 {
		events := make([]Event, 1+r.IntN(3))
		for j := range events {
			events[j] = Event{UID: random(40), Start: stamp.Add(time.Duration(r.IntN(1e6)) * time.Minute), Summary: random(200), Location: random(100)}
		}
		data := Write(events, stamp, "Europe/Amsterdam")
		for _, line := range strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n") {
			if len(line) > 75 || strings.ContainsAny(line, "\r\n") || !utf8.ValidString(line) {
				t.Fatalf("file %d: bad line %q (%d octets)", i, line, len(line))
			}
		}
		// Unfolded, each TEXT value is escaped as the library escapes it.
		unfolded := strings.ReplaceAll(string(data), "\r\n ", "")
		for _, e := range events {
			for _, want := range []string{"\r\nUID:" + ics.ToText(lines.Replace(e.UID)) + "\r\n",
				"\r\nSUMMARY:" + ics.ToText(lines.Replace(e.Summary)) + "\r\n",
				"\r\nLOCATION:" + ics.ToText(lines.Replace(e.Location)) + "\r\n"} {
				if !strings.Contains(unfolded, want) {
					t.Fatalf("file %d lacks %q:\n%s", i, want, unfolded)
				}
			}
		}
		cal, err := ics.ParseCalendar(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("file %d: %v\n%s", i, err, data)
		}
		got := cal.Events()
		if len(got) != len(events) {
			t.Fatalf("file %d: %d events parsed back, want %d", i, len(got), len(events))
		}
		for j, e := range got {
			want := events[j]
			if id := e.GetProperty(ics.ComponentPropertyUniqueId).Value; id != lines.Replace(want.UID) {
				t.Errorf("file %d event %d: UID %q, want %q", i, j, id, want.UID)
			}
			if s := e.GetProperty(ics.ComponentPropertySummary).Value; s != lines.Replace(want.Summary) {
				t.Errorf("file %d event %d: SUMMARY %q, want %q", i, j, s, want.Summary)
			}
			if l := e.GetProperty(ics.ComponentPropertyLocation).Value; l != lines.Replace(want.Location) {
				t.Errorf("file %d event %d: LOCATION %q, want %q", i, j, l, want.Location)
			}
			if at, err := e.GetStartAt(); err != nil || !at.Equal(want.Start) {
				t.Errorf("file %d event %d: DTSTART %v (%v), want %v", i, j, at, err, want.Start)
			}
		}
	}
}
