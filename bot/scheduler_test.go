package bot

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// A year of the default schedule in Europe/Amsterdam, looked at every 17
// hours (a step that drifts through every hour of the day and across both
// DST changes, and stays within the 24-hour catch-up; the minute-by-minute
// schedule math is TestPlanYear in schedule): every collective gets 52 or 53 check-ins, each scheduled on
// a Monday at 10:00 local time, each posted once to each of its chats.
func TestSchedulerYear(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f := newSchedFixture(t, start)
	e := f.process()
	noord := f.collective(e.db, "Noord", 2)
	zuid := f.collective(e.db, "Zuid", 1)
	f.staffChat(e.db)
	end := start.AddDate(1, 0, 0)
	for now := start; now.Before(end); now = now.Add(17 * time.Hour) {
		f.run(e, now)
	}
	for _, tc := range []struct {
		c     *commands.Collective
		chats []string
	}{{noord, []string{"Noord-1", "Noord-2"}}, {zuid, []string{"Zuid-1"}}} {
		rounds := f.rounds(e.db, tc.c)
		posted := rounds[commands.RoundPosted]
		if n := len(posted); n != 52 && n != 53 {
			t.Errorf("%s: %d rounds posted, want 52 or 53 (all: %v)", tc.c.Name, n, rounds)
		}
		if len(rounds[commands.RoundMissed])+len(rounds[commands.RoundClaimed]) > 0 {
			t.Errorf("%s: rounds not posted: %v", tc.c.Name, rounds)
		}
		for _, r := range posted {
			if l := r.ScheduledAt.In(f.ams); l.Weekday() != time.Monday || l.Hour() != 10 || l.Minute() != 0 {
				t.Errorf("%s: round at %v, want Monday 10:00 local", tc.c.Name, l)
			}
		}
		for _, chat := range tc.chats {
			if got := len(f.sender.find(chat, checkinMark)); got != len(posted) {
				t.Errorf("%s: %d check-ins, want %d", chat, got, len(posted))
			}
			// Nobody answers, so every round gets exactly one nudge.
			if got := len(f.sender.find(chat, nudgeMark)); got != len(posted) {
				t.Errorf("%s: %d nudges, want %d", chat, got, len(posted))
			}
		}
	}
	// Spring forward is 29 March, fall back 25 October: the Mondays after
	// both are there, at 10:00 local (09:00 and 10:00 UTC respectively).
	for _, want := range []string{"ma 30 mrt 2026 10:00", "ma 26 okt 2026 10:00"} {
		if got := f.sender.find("Zuid-1", checkinMark+" "+want); len(got) != 1 {
			t.Errorf("check-ins of %s: %d, want 1", want, len(got))
		}
	}
	if n := len(f.sender.find("staf", digestMark)); n != 52 && n != 53 {
		t.Errorf("%d digests in a year, want 52 or 53", n)
	}
}

// A crash at each point of posting a round, then a restart (a new process
// on the same file): each chat gets the check-in exactly once.
func TestSchedulerRestart(t *testing.T) {
	points := []string{"ClaimRound", "BeginDelivery", "FinishDelivery", "MarkRoundPosted", "none"}
	for _, point := range points {
		t.Run("crash at "+point, func(t *testing.T) {
			f := newSchedFixture(t, time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
			first := f.process()
			c := f.collective(first.db, "Noord", 2)
			first.sched.Store = crashStore{SchedulerStore: first.db, at: point}
			monday := f.local(2026, 11, 30, 10, 0)
			f.clock.Freeze(monday)
			err := first.sched.RunDue(context.Background())
			if point != "none" && err == nil {
				t.Fatalf("RunDue with a crash at %s: no error", point)
			}
			// The restarted process, a minute later.
			second := f.process()
			f.run(second, monday.Add(time.Minute))
			f.run(second, monday.Add(2*time.Minute))
			for _, chat := range []string{"Noord-1", "Noord-2"} {
				if got := len(f.sender.find(chat, checkinMark)); got != 1 {
					t.Errorf("%s got %d check-ins, want 1", chat, got)
				}
			}
			rounds := f.rounds(second.db, c)
			if len(rounds[commands.RoundPosted]) != 1 || len(rounds) != 1 {
				t.Errorf("rounds = %v, want one posted", rounds)
			}
		})
	}
}

func TestSchedulerCatchUp(t *testing.T) {
	created := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) // a Wednesday
	t.Run("3 hours late is posted once", func(t *testing.T) {
		f := newSchedFixture(t, created)
		e := f.process()
		c := f.collective(e.db, "Noord", 1)
		f.run(e, f.local(2026, 11, 30, 13, 0)) // the bot comes back at 13:00
		f.run(e, f.local(2026, 11, 30, 13, 1))
		got := f.sender.find("Noord-1", checkinMark)
		if len(got) != 1 || !strings.Contains(got[0].Text, "ma 30 nov 2026 10:00") {
			t.Fatalf("check-ins = %v, want one of Monday 10:00", got)
		}
		if r := f.rounds(e.db, c); len(r[commands.RoundPosted]) != 1 {
			t.Errorf("rounds = %v", r)
		}
	})
	t.Run("3 days late is recorded missed", func(t *testing.T) {
		f := newSchedFixture(t, created)
		e := f.process()
		c := f.collective(e.db, "Noord", 1)
		f.run(e, f.local(2026, 12, 3, 10, 0))
		if got := f.sender.find("Noord-1", checkinMark); len(got) != 0 {
			t.Fatalf("check-ins = %v, want none", got)
		}
		r := f.rounds(e.db, c)
		if len(r[commands.RoundMissed]) != 1 || !r[commands.RoundMissed][0].ScheduledAt.Equal(f.local(2026, 11, 30, 10, 0)) {
			t.Fatalf("rounds = %v, want Monday's missed", r)
		}
		// The next Monday is posted as usual.
		f.run(e, f.local(2026, 12, 7, 10, 0))
		if got := f.sender.find("Noord-1", checkinMark); len(got) != 1 {
			t.Errorf("check-ins = %v, want the next Monday's", got)
		}
	})
	t.Run("claimed by a crashed process 3 days ago is missed, not posted", func(t *testing.T) {
		f := newSchedFixture(t, created)
		e := f.process()
		c := f.collective(e.db, "Noord", 1)
		if _, _, err := e.db.ClaimRound(context.Background(), c.ID, f.local(2026, 11, 30, 10, 0)); err != nil {
			t.Fatal(err)
		}
		f.run(e, f.local(2026, 12, 3, 10, 0))
		if got := f.sender.find("Noord-1", checkinMark); len(got) != 0 {
			t.Fatalf("check-ins = %v, want none", got)
		}
		if r := f.rounds(e.db, c); len(r[commands.RoundMissed]) != 1 {
			t.Errorf("rounds = %v, want one missed", r)
		}
	})
}

// Two processes with their own database handles on one file, running at the
// same moments: each round reaches each chat once.
func TestSchedulerTwoProcesses(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	f := newSchedFixture(t, start)
	a, b := f.process(), f.process()
	f.collective(a.db, "Noord", 2)
	f.collective(a.db, "Zuid", 1)
	f.staffChat(a.db)
	weeks := 6
	for now := start; now.Before(start.AddDate(0, 0, 7*weeks)); now = now.Add(7 * time.Hour) {
		f.clock.Freeze(now)
		var wg sync.WaitGroup
		for _, e := range []*schedEnv{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := e.sched.RunDue(context.Background()); err != nil {
					t.Errorf("RunDue: %v", err)
				}
			}()
		}
		wg.Wait()
	}
	for _, chat := range []string{"Noord-1", "Noord-2", "Zuid-1"} {
		if got := len(f.sender.find(chat, checkinMark)); got != weeks {
			t.Errorf("%s: %d check-ins, want %d", chat, got, weeks)
		}
		if got := len(f.sender.find(chat, nudgeMark)); got != weeks {
			t.Errorf("%s: %d nudges, want %d", chat, got, weeks)
		}
	}
	if got := len(f.sender.find("staf", digestMark)); got != weeks {
		t.Errorf("%d digests, want %d", got, weeks)
	}
}

// A process without the chat's adapter (the console opened on the bot's
// database) claims a round but cannot post it; it stays claimed and the
// process that has the adapter posts it on its next tick.
func TestSchedulerOtherPlatform(t *testing.T) {
	f := newSchedFixture(t, time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	running := f.process()
	c := f.collective(running.db, "Noord", 1)
	console := f.process()
	console.sched.Runtime = &Runtime{Handler: console.sched.Handler, Store: console.db} // no adapters
	monday := f.local(2026, 11, 30, 10, 0)
	f.run(console, monday)
	if r := f.rounds(console.db, c); len(r[commands.RoundClaimed]) != 1 {
		t.Fatalf("rounds = %v, want one left claimed", r)
	}
	f.run(running, monday.Add(time.Minute))
	if got := len(f.sender.find("Noord-1", checkinMark)); got != 1 {
		t.Fatalf("%d check-ins, want 1", got)
	}
	if r := f.rounds(running.db, c); len(r[commands.RoundPosted]) != 1 {
		t.Errorf("rounds = %v, want one posted", r)
	}
}
