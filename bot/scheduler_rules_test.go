package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

func TestSchedulerPauseAndNudge(t *testing.T) {
	created := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	ctx := context.Background()

	t.Run("one friendly nudge after two days, none after an answer", func(t *testing.T) {
		f := newSchedFixture(t, created)
		e := f.process()
		noord := f.collective(e.db, "Noord", 1)
		zuid := f.collective(e.db, "Zuid", 1)
		f.run(e, f.local(2026, 11, 30, 10, 0))
		r, err := e.db.LatestRound(ctx, zuid.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.db.AddCheckinAnswer(ctx, "ev1", r.ID, "Pand bezichtigd", user); err != nil {
			t.Fatal(err)
		}
		f.run(e, f.local(2026, 12, 2, 9, 59))
		if got := f.sender.find("", nudgeMark); len(got) != 0 {
			t.Fatalf("nudge before two days: %v", got)
		}
		f.run(e, f.local(2026, 12, 2, 10, 0))
		f.run(e, f.local(2026, 12, 2, 10, 1))
		f.run(e, f.local(2026, 12, 4, 10, 0))
		got := f.sender.find("Noord-1", nudgeMark)
		if len(got) != 1 {
			t.Fatalf("Noord nudges = %d, want 1", len(got))
		}
		if strings.Contains(got[0].Text, "@") || !strings.Contains(got[0].Text, "/checkin") {
			t.Errorf("nudge %q: want no tagging and the way to answer", got[0].Text)
		}
		if got := f.sender.find("Zuid-1", nudgeMark); len(got) != 0 {
			t.Errorf("Zuid answered but got nudged: %v", got)
		}
		_ = noord
	})

	t.Run("no check-in and no nudge during a pause", func(t *testing.T) {
		f := newSchedFixture(t, created)
		e := f.process()
		c := f.collective(e.db, "Noord", 1)
		// Monday 30 Nov is posted; then they pause until Tuesday 8 Dec.
		f.run(e, f.local(2026, 11, 30, 10, 0))
		if err := e.db.SetPause(ctx, "", c.ID, f.local(2026, 12, 8, 0, 0), user); err != nil {
			t.Fatal(err)
		}
		for now := f.local(2026, 11, 30, 11, 0); now.Before(f.local(2026, 12, 8, 0, 0)); now = now.Add(2 * time.Hour) {
			f.run(e, now)
		}
		if got := f.sender.find("", nudgeMark); len(got) != 0 {
			t.Errorf("nudged during the pause: %v", got)
		}
		if got := f.sender.find("", checkinMark); len(got) != 1 {
			t.Errorf("%d check-ins, want only the one before the pause", len(got))
		}
		rounds := f.rounds(e.db, c)
		if m := rounds[commands.RoundMissed]; len(m) != 1 || !m[0].ScheduledAt.Equal(f.local(2026, 12, 7, 10, 0)) {
			t.Errorf("rounds = %v, want 7 Dec recorded missed", rounds)
		}
		// After the pause: the next Monday as usual.
		f.run(e, f.local(2026, 12, 14, 10, 0))
		if got := f.sender.find("", checkinMark); len(got) != 2 {
			t.Errorf("%d check-ins after the pause, want 2", len(got))
		}
	})
}

func TestSchedulerCheckinContent(t *testing.T) {
	ctx := context.Background()
	f := newSchedFixture(t, time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	e := f.process()
	c := f.collective(e.db, "Noord", 1)
	f.staffChat(e.db)
	f.run(e, f.local(2026, 11, 30, 10, 0))

	f.clock.Freeze(f.local(2026, 12, 1, 9, 0))
	for i, text := range []string{"Gesprek met de woningcorporatie", "Pand gekocht!"} {
		if err := e.db.AddEntry(ctx, "", &commands.Entry{CollectiveID: c.ID, Text: text, Milestone: i == 1}, user); err != nil {
			t.Fatal(err)
		}
	}
	panel, err := e.db.Panel(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.SetSlider(ctx, "", c.ID, panel[0].ID, 6, "", user); err != nil {
		t.Fatal(err)
	}
	req := &commands.HelpRequest{CollectiveID: c.ID, Expertise: "juridisch", Question: "Huurcontract?"}
	if err := e.db.CreateRequest(ctx, "", req, user, 0); err != nil {
		t.Fatal(err)
	}
	f.run(e, f.local(2026, 12, 7, 10, 0))

	got := f.sender.find("Noord-1", checkinMark)
	if len(got) != 2 {
		t.Fatalf("%d check-ins, want 2", len(got))
	}
	text := got[1].Text
	for _, want := range []string{"check-in", "ma 7 dec 2026 10:00", "2 voortgangsberichten (waarvan 1 mijlpaal)",
		"1 schuif verplaatst (" + panel[0].Name + " →6)", "#1 juridisch", "Wat hebben jullie bereikt?",
		"Waar lopen jullie vast?", "Hebben jullie hulp nodig?", "/checkin <tekst>"} {
		if !strings.Contains(strings.ToLower(text), strings.ToLower(want)) {
			t.Errorf("check-in lacks %q:\n%s", want, text)
		}
	}

	t.Run("a reply to the check-in message finds its round", func(t *testing.T) {
		r, err := e.db.RoundByMessage(ctx, commands.ChatRef{Platform: commands.Console, ID: "Noord-1"}, got[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := f.local(2026, 11, 30, 10, 0); !r.ScheduledAt.Equal(want) {
			t.Errorf("round of the first check-in = %v, want %v", r.ScheduledAt, want)
		}
		if _, err := e.db.RoundByMessage(ctx, commands.ChatRef{Platform: commands.Console, ID: "Noord-1"}, "nope"); commands.ErrorCode(err) != commands.ENOTFOUND {
			t.Errorf("unknown message: err = %v, want ENOTFOUND", err)
		}
	})
}

func TestSchedulerDigest(t *testing.T) {
	ctx := context.Background()
	f := newSchedFixture(t, time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	e := f.process()
	actief := f.collective(e.db, "Actief", 1)
	stil := f.collective(e.db, "Stil", 1)
	f.staffChat(e.db)
	f.run(e, f.local(2026, 11, 30, 10, 0))

	f.clock.Freeze(f.local(2026, 12, 1, 9, 0))
	r, err := e.db.LatestRound(ctx, actief.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.AddCheckinAnswer(ctx, "a1", r.ID, "Goed bezig", user); err != nil {
		t.Fatal(err)
	}
	if err := e.db.AddEntry(ctx, "", &commands.Entry{CollectiveID: actief.ID, Text: "Energiecoöperatie opgericht", Milestone: true}, user); err != nil {
		t.Fatal(err)
	}
	panel, _ := e.db.Panel(ctx, actief.ID)
	if _, err := e.db.SetSlider(ctx, "", actief.ID, panel[1].ID, 4, "", user); err != nil {
		t.Fatal(err)
	}
	req := &commands.HelpRequest{CollectiveID: stil.ID, Expertise: "vastgoed", Question: "Taxatie?"}
	if err := e.db.CreateRequest(ctx, "", req, user, 0); err != nil {
		t.Fatal(err)
	}

	f.run(e, f.local(2026, 12, 4, 15, 59))
	if got := f.sender.find("staf", digestMark); len(got) != 0 {
		t.Fatalf("digest before Friday 16:00: %v", got)
	}
	f.run(e, f.local(2026, 12, 4, 16, 0))
	f.run(e, f.local(2026, 12, 4, 16, 1))
	got := f.sender.find("staf", digestMark)
	if len(got) != 1 {
		t.Fatalf("%d digests, want 1", len(got))
	}
	text := got[0].Text
	for _, want := range []string{"Stil — ⚠ check-in van ma 30 nov 2026 10:00 niet beantwoord", "#1 vastgoed (3 dagen, nog niet opgepakt)",
		"Actief — check-in beantwoord door Anna", "1 mijlpaal: “Energiecoöperatie opgericht”", panel[1].Name + " →4"} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
	if strings.Index(text, "Stil") > strings.Index(text, "Actief") {
		t.Errorf("the collective that did not answer should stand on top:\n%s", text)
	}
}

func TestSchedulerAlerts(t *testing.T) {
	ctx := context.Background()
	asked := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	f := newSchedFixture(t, asked)
	e := f.process()
	c := f.collective(e.db, "Noord", 1)
	f.staffChat(e.db)
	req := &commands.HelpRequest{CollectiveID: c.ID, Expertise: "juridisch", Question: "Mag dit?"}
	if err := e.db.CreateRequest(ctx, "", req, user, 0); err != nil {
		t.Fatal(err)
	}
	unclaimed := func() []schedMsg { return f.sender.find("staf", "niemand heeft hem opgepakt") }
	unanswered := func() []schedMsg { return f.sender.find("staf", "nog niet beantwoord") }

	f.run(e, asked.Add(23*time.Hour+59*time.Minute))
	if len(unclaimed()) != 0 {
		t.Fatal("alert before 24 hours")
	}
	f.run(e, asked.Add(24*time.Hour))
	f.run(e, asked.Add(25*time.Hour))
	f.run(f.process(), asked.Add(26*time.Hour)) // a restart
	if got := unclaimed(); len(got) != 1 || !strings.Contains(got[0].Text, "#1") || !strings.Contains(got[0].Text, "/"+commands.CmdClaim+" 1") {
		t.Fatalf("unclaimed alerts = %v, want one naming #1 with a claim button", got)
	}

	claimedAt := asked.Add(30 * time.Hour)
	f.clock.Freeze(claimedAt)
	if _, err := e.db.ClaimRequest(ctx, "", 1, commands.UserRef{Platform: commands.Console, ID: "9", Name: "Bram"}); err != nil {
		t.Fatal(err)
	}
	f.run(e, claimedAt.Add(71*time.Hour))
	if len(unanswered()) != 0 {
		t.Fatal("unanswered alert before 72 hours")
	}
	f.run(e, claimedAt.Add(72*time.Hour))
	f.run(f.process(), claimedAt.Add(80*time.Hour))
	if got := unanswered(); len(got) != 1 || !strings.Contains(got[0].Text, "Bram") {
		t.Fatalf("unanswered alerts = %v, want one naming who took it", got)
	}
	if got := unclaimed(); len(got) != 1 {
		t.Errorf("unclaimed alert repeated: %d", len(got))
	}
}

// A schedule inside the skipped hour of spring forward still holds its
// round that week, an hour later on the clock; one in the doubled hour of
// fall back holds it once.
func TestSchedulerDST(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name      string
		from, to  time.Time
		wantLocal []string
	}{
		{"spring forward", time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 6, 0, 0, 0, 0, time.UTC),
			[]string{"2026-03-22 02:30 CET", "2026-03-29 03:30 CEST", "2026-04-05 02:30 CEST"}},
		{"fall back", time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC),
			[]string{"2026-10-18 02:30 CEST", "2026-10-25 02:30 CEST", "2026-11-01 02:30 CET"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newSchedFixture(t, tt.from)
			e := f.process()
			c := f.collective(e.db, "Noord", 1)
			if err := e.db.SetSchedule(ctx, "", c.ID, "30 2 * * SUN", user); err != nil {
				t.Fatal(err)
			}
			for now := tt.from; now.Before(tt.to); now = now.Add(2 * time.Hour) {
				f.run(e, now)
			}
			var got []string
			for _, r := range f.rounds(e.db, c)[commands.RoundPosted] {
				got = append(got, r.ScheduledAt.In(f.ams).Format("2006-01-02 15:04 MST"))
			}
			if strings.Join(got, ", ") != strings.Join(tt.wantLocal, ", ") {
				t.Errorf("rounds = %v, want %v", got, tt.wantLocal)
			}
			if n := len(f.sender.find("Noord-1", checkinMark)); n != len(tt.wantLocal) {
				t.Errorf("%d check-ins, want %d", n, len(tt.wantLocal))
			}
		})
	}
}

// Start posts a round that fell due while the bot was down right away (not
// a minute later), and Stop waits for it.
func TestSchedulerStartStop(t *testing.T) {
	f := newSchedFixture(t, time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	e := f.process()
	f.collective(e.db, "Noord", 1)
	f.clock.Freeze(f.local(2026, 11, 30, 10, 5))
	e.sched.Start(context.Background())
	deadline := time.Now().Add(10 * time.Second)
	for len(f.sender.find("Noord-1", checkinMark)) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond) // waiting for a goroutine, not for a schedule
	}
	e.sched.Stop()
	if got := len(f.sender.find("Noord-1", checkinMark)); got != 1 {
		t.Fatalf("%d check-ins after start-up, want 1", got)
	}
}

// A chat the platform refuses is tried on the next ticks, MaxDeliveryFailures
// times in all; the round is marked posted after that, and the other chats
// get it once.
func TestSchedulerDeliveryFailure(t *testing.T) {
	for _, tt := range []struct {
		fails, want int
	}{{1, 1}, {MaxDeliveryFailures - 1, 1}, {MaxDeliveryFailures, 0}} {
		t.Run(fmt.Sprintf("%d failures", tt.fails), func(t *testing.T) {
			f := newSchedFixture(t, time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
			e := f.process()
			c := f.collective(e.db, "Noord", 2)
			f.sender.fail = map[string]int{"Noord-2": tt.fails}
			monday := f.local(2026, 11, 30, 10, 0)
			for i := 0; i < MaxDeliveryFailures+2; i++ {
				f.run(e, monday.Add(time.Duration(i)*time.Minute))
			}
			if got := len(f.sender.find("Noord-1", checkinMark)); got != 1 {
				t.Errorf("Noord-1: %d check-ins, want 1", got)
			}
			if got := len(f.sender.find("Noord-2", checkinMark)); got != tt.want {
				t.Errorf("Noord-2: %d check-ins, want %d", got, tt.want)
			}
			if r := f.rounds(e.db, c); len(r[commands.RoundPosted]) != 1 {
				t.Errorf("rounds = %v, want one posted", r)
			}
		})
	}
}
