package schedule

import (
	"testing"
	"time"
)

func amsterdam(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// The DST behaviour documented on Next, in Europe/Amsterdam 2026:
// clocks go forward on 29 March (02:00 → 03:00) and back on 25 October
// (03:00 → 02:00).
func TestNextDST(t *testing.T) {
	ams := amsterdam(t)
	tests := []struct {
		name, spec string
		from       time.Time
		want       []string // successive rounds, local time with zone
	}{
		{"daily 02:30 across spring forward", "30 2 * * *", time.Date(2026, 3, 27, 12, 0, 0, 0, ams),
			[]string{"2026-03-28 02:30 CET", "2026-03-29 03:30 CEST", "2026-03-30 02:30 CEST"}},
		{"weekly Sunday 02:30 across spring forward", "30 2 * * SUN", time.Date(2026, 3, 20, 0, 0, 0, 0, ams),
			[]string{"2026-03-22 02:30 CET", "2026-03-29 03:30 CEST", "2026-04-05 02:30 CEST"}},
		{"daily 02:30 across fall back", "30 2 * * *", time.Date(2026, 10, 23, 12, 0, 0, 0, ams),
			[]string{"2026-10-24 02:30 CEST", "2026-10-25 02:30 CEST", "2026-10-26 02:30 CET"}},
		{"Monday 10:00 around both changes", "0 10 * * MON", time.Date(2026, 3, 20, 0, 0, 0, 0, ams),
			[]string{"2026-03-23 10:00 CET", "2026-03-30 10:00 CEST", "2026-04-06 10:00 CEST"}},
		{"Monday 10:00 after fall back", "0 10 * * MON", time.Date(2026, 10, 20, 0, 0, 0, 0, ams),
			[]string{"2026-10-26 10:00 CET", "2026-11-02 10:00 CET"}},
		{"daily 03:00 on spring forward exists", "0 3 * * *", time.Date(2026, 3, 28, 12, 0, 0, 0, ams),
			[]string{"2026-03-29 03:00 CEST", "2026-03-30 03:00 CEST"}},
		{"hourly through fall back fires once per wall hour", "0 * * * *", time.Date(2026, 10, 25, 0, 30, 0, 0, ams),
			[]string{"2026-10-25 01:00 CEST", "2026-10-25 02:00 CEST", "2026-10-25 03:00 CET"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(tt.spec, ams)
			if err != nil {
				t.Fatal(err)
			}
			at := tt.from
			for i, want := range tt.want {
				at = s.Next(at)
				if got := at.In(ams).Format("2006-01-02 15:04 MST"); got != want {
					t.Fatalf("round %d = %s, want %s", i, got, want)
				}
			}
		})
	}
}

// A year of the default schedule, looked at every 13 minutes (a step that
// drifts through every hour of the day): 52 or 53 rounds, all on Monday at
// 10:00 Amsterdam time, none twice, none missed.
func TestPlanYear(t *testing.T) {
	ams := amsterdam(t)
	s, err := Parse("0 10 * * MON", ams)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, ams)
	last := start
	const step = 13 * time.Minute
	var posted []time.Time
	for now := start; now.Before(start.AddDate(1, 0, 0)); now = now.Add(step) {
		p := s.Plan(last, now, 24*time.Hour, time.Time{})
		if len(p.Missed) > 0 {
			t.Fatalf("at %v: missed %v with a %v tick", now, p.Missed, step)
		}
		if !p.Post.IsZero() {
			if now.Sub(p.Post) >= step {
				t.Fatalf("round %v posted at %v, more than a step late", p.Post, now)
			}
			posted = append(posted, p.Post)
			last = p.Post
		}
	}
	if n := len(posted); n != 52 && n != 53 {
		t.Fatalf("posted %d rounds in a year, want 52 or 53", n)
	}
	for _, r := range posted {
		if l := r.In(ams); l.Weekday() != time.Monday || l.Hour() != 10 || l.Minute() != 0 {
			t.Errorf("round at %v, want Monday 10:00 local", l)
		}
	}
}

func TestPlan(t *testing.T) {
	ams := amsterdam(t)
	weekly, _ := Parse("0 10 * * MON", ams)
	every, _ := Parse("@every 3s", ams)
	mon := time.Date(2026, 11, 30, 10, 0, 0, 0, ams) // a Monday
	tests := []struct {
		name        string
		s           any
		last, now   time.Time
		paused      time.Time
		post        time.Time
		missed      int
		firstMissed time.Time
	}{
		{name: "not due yet", last: mon.AddDate(0, 0, -7), now: mon.Add(-time.Second)},
		{name: "due now", last: mon.AddDate(0, 0, -7), now: mon, post: mon},
		{name: "3 hours late is posted", last: mon.AddDate(0, 0, -7), now: mon.Add(3 * time.Hour), post: mon},
		{name: "3 days late is missed", last: mon.AddDate(0, 0, -7), now: mon.Add(72 * time.Hour), missed: 1, firstMissed: mon},
		{name: "two weeks down: older missed, latest posted", last: mon.AddDate(0, 0, -14), now: mon.Add(time.Hour), post: mon, missed: 1, firstMissed: mon.AddDate(0, 0, -7)},
		{name: "paused: recorded missed", last: mon.AddDate(0, 0, -7), now: mon, paused: mon.AddDate(0, 0, 3), missed: 1, firstMissed: mon},
		{name: "pause ends on the day: posted", last: mon.AddDate(0, 0, -7), now: mon, paused: time.Date(2026, 11, 30, 0, 0, 0, 0, ams), post: mon},
		{name: "already recorded", last: mon, now: mon.Add(time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := weekly.Plan(tt.last, tt.now, 24*time.Hour, tt.paused)
			if !p.Post.Equal(tt.post) {
				t.Errorf("Post = %v, want %v", p.Post, tt.post)
			}
			if len(p.Missed) != tt.missed {
				t.Fatalf("Missed = %v, want %d", p.Missed, tt.missed)
			}
			if tt.missed > 0 && !p.Missed[0].Equal(tt.firstMissed) {
				t.Errorf("Missed[0] = %v, want %v", p.Missed[0], tt.firstMissed)
			}
		})
	}
	t.Run("fast schedule after a day down is bounded", func(t *testing.T) {
		last := mon
		p := every.Plan(last, last.Add(24*time.Hour), 24*time.Hour, time.Time{})
		if p.Post.IsZero() || len(p.Missed) != MaxMissed {
			t.Fatalf("Post=%v, %d missed; want a post and %d missed", p.Post, len(p.Missed), MaxMissed)
		}
		if !p.Post.Equal(last.Add(24 * time.Hour)) {
			t.Errorf("Post = %v, want the latest round", p.Post)
		}
	})
}
