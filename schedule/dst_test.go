package schedule

import (
	"testing"
	"time"
	_ "time/tzdata" // the zones below also where the system has no tzdata
)

// TestDSTAtMidnight (16.13): in zones whose clocks change at midnight
// (Santiago, Havana, Beirut, Asunción: 00:00 → 01:00 in spring, 00:00 →
// 23:00 the day before in autumn), a daily schedule used to fire twice on
// one day. Over two years, every schedule below fires at most once per
// local day, and the daily ones on every day.
func TestDSTAtMidnight(t *testing.T) {
	zones := []string{"America/Santiago", "America/Havana", "Asia/Beirut", "America/Asuncion", "Europe/Amsterdam",
		"America/Sao_Paulo", "Asia/Tehran", "America/Godthab", "Australia/Lord_Howe", "Pacific/Chatham", "America/New_York"}
	specs := []struct {
		spec  string
		daily bool
	}{
		{"0 0 * * *", true}, {"30 0 * * *", true}, {"@daily", true}, {"0 23 * * *", true}, {"30 23 * * *", true},
		{"59 23 * * *", true}, {"0 1 * * *", true}, {"0 10 * * *", true}, {"0 10 * * MON", false}, {"@weekly", false},
		{"0 0 * * SUN", false}, {"0 0 1 * *", false},
	}
	for _, zone := range zones {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		for _, sp := range specs {
			s, err := Parse(sp.spec, loc)
			if err != nil {
				t.Fatal(err)
			}
			from := time.Date(2025, 1, 1, 0, 0, 0, 0, loc).Add(-time.Minute)
			until := time.Date(2027, 1, 1, 0, 0, 0, 0, loc)
			perDay := map[string]int{}
			days := 0
			for at := s.Next(from); !at.IsZero() && at.Before(until); at = s.Next(at) {
				day := at.In(loc).Format("2006-01-02")
				if perDay[day]++; perDay[day] == 2 {
					t.Errorf("%s %q: two rounds on %s (second at %s)", zone, sp.spec, day, at.In(loc).Format("15:04 MST"))
				}
				days++
				if days > 800 {
					t.Fatalf("%s %q: runaway", zone, sp.spec)
				}
			}
			if sp.daily {
				for d := time.Date(2025, 1, 1, 12, 0, 0, 0, loc); d.Before(until); d = d.AddDate(0, 0, 1) {
					if day := d.Format("2006-01-02"); perDay[day] == 0 {
						t.Errorf("%s %q: no round on %s", zone, sp.spec, day)
					}
				}
			}
		}
	}
}

// BenchmarkPlanMinutely plans a minutely schedule after a five-week outage:
// the worst walk the scheduler asks for (about 50,000 rounds).
func BenchmarkPlanMinutely(b *testing.B) {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		b.Fatal(err)
	}
	s, err := Parse("* * * * *", loc)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, loc)
	for i := 0; i < b.N; i++ {
		if p := s.Plan(now.AddDate(0, 0, -40), now, 24*time.Hour, time.Time{}); p.Post.IsZero() {
			b.Fatal("nothing to post")
		}
	}
}
