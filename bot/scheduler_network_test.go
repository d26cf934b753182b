package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

const reminderMark = "Herinnering: B"

// rsvp answers a meeting as a person in a chat.
func rsvp(t *testing.T, e *schedEnv, n int64, chat string, id, answer string) {
	t.Helper()
	by := commands.UserRef{Platform: commands.Console, ID: id, Name: "P" + id}
	if _, err := e.db.SetRSVP(context.Background(), "", n, commands.ChatRef{Platform: commands.Console, ID: chat}, answer, by); err != nil {
		t.Fatal(err)
	}
}

// The reminder 24 hours before a meeting goes once to each chat with a yes
// or maybe, also when the bot restarts (at every crash point) just before
// it, and a chat that says yes after the reminder went out gets its own.
func TestMeetingReminderOnce(t *testing.T) {
	for _, point := range []string{"", "BeginDelivery", "FinishDelivery"} {
		t.Run("crash at "+point, func(t *testing.T) {
			ctx := context.Background()
			created := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
			f := newSchedFixture(t, created)
			first := f.process()
			f.collective(first.db, "Noord", 2)
			f.collective(first.db, "Zuid", 1)
			f.collective(first.db, "Oost", 1)
			m := &commands.Meeting{Title: "Netwerkavond", StartsAt: f.local(2026, 12, 10, 19, 30)}
			if err := first.db.CreateMeeting(ctx, "", m, user); err != nil {
				t.Fatal(err)
			}
			rsvp(t, first, m.Number, "Noord-1", "11", commands.RSVPYes)
			rsvp(t, first, m.Number, "Noord-1", "12", commands.RSVPMaybe)
			rsvp(t, first, m.Number, "Zuid-1", "13", commands.RSVPMaybe)
			rsvp(t, first, m.Number, "Oost-1", "14", commands.RSVPNo)

			due := m.StartsAt.Add(-commands.ReminderBefore)
			f.run(first, due.Add(-time.Minute))
			if got := f.sender.find("", reminderMark); len(got) != 0 {
				t.Fatalf("reminder before it was due: %+v", got)
			}
			// The process that is due crashes (or just runs); the restarted
			// one runs its start-up pass and then ticks on.
			if point != "" {
				first.sched.Store = crashStore{SchedulerStore: first.db, at: point}
				f.clock.Freeze(due)
				if err := first.sched.RunDue(ctx); err == nil {
					t.Fatalf("RunDue with a crash at %s: no error", point)
				}
			} else {
				f.run(first, due)
			}
			second := f.process()
			for i := 1; i <= 3; i++ {
				f.run(second, due.Add(time.Duration(i)*time.Minute))
			}
			for chat, want := range map[string]int{"Noord-1": 1, "Zuid-1": 1, "Noord-2": 0, "Oost-1": 0} {
				if got := len(f.sender.find(chat, reminderMark)); got != want {
					t.Errorf("%s got %d reminders, want %d", chat, got, want)
				}
			}
			if got := f.sender.find("Noord-1", reminderMark); len(got) == 1 {
				for _, want := range []string{"B1 Netwerkavond", "do 10 dec 2026 19:30", "ja: P11", "misschien: P12"} {
					if !strings.Contains(got[0].Text, want) {
						t.Errorf("reminder %q lacks %q", got[0].Text, want)
					}
				}
			}
			// A yes after the reminder: that chat gets one too, once.
			rsvp(t, second, m.Number, "Oost-1", "14", commands.RSVPYes)
			f.run(second, due.Add(time.Hour))
			f.run(second, due.Add(2*time.Hour))
			if got := len(f.sender.find("Oost-1", reminderMark)); got != 1 {
				t.Errorf("Oost-1 got %d reminders after its yes, want 1", got)
			}
			// After the start the send is settled; nothing more goes out.
			f.run(second, m.StartsAt.Add(time.Minute))
			if status, err := second.db.SendStatus(ctx, commands.MeetingReminderKey(m.Number)); err != nil || status != commands.RoundPosted {
				t.Errorf("reminder send status %q (%v), want posted", status, err)
			}
			if got := len(f.sender.find("", reminderMark)); got != 3 {
				t.Errorf("%d reminders in all, want 3", got)
			}
		})
	}
}

// A meeting created less than 24 hours ahead is reminded at once (as soon
// as a chat said yes); one whose reminder fell due while the bot was down
// goes out at the first run after start-up.
func TestMeetingReminderLateAndAfterDowntime(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	f := newSchedFixture(t, now)
	e := f.process()
	f.collective(e.db, "Noord", 1)
	soon := &commands.Meeting{Title: "Spoedoverleg", StartsAt: now.Add(5 * time.Hour)}
	later := &commands.Meeting{Title: "Lessendag", StartsAt: now.Add(72 * time.Hour)}
	for _, m := range []*commands.Meeting{soon, later} {
		if err := e.db.CreateMeeting(ctx, "", m, user); err != nil {
			t.Fatal(err)
		}
		rsvp(t, e, m.Number, "Noord-1", "11", commands.RSVPYes)
	}
	f.run(e, now.Add(time.Minute))
	if got := f.sender.find("Noord-1", "B1 Spoedoverleg"); len(got) != 1 {
		t.Fatalf("%d reminders of the meeting 5 hours ahead, want 1 at once", len(got))
	}
	// Down from before B2's reminder was due until well after: the first
	// run of the restarted process sends it.
	restarted := f.process()
	f.run(restarted, later.StartsAt.Add(-20*time.Hour))
	if got := f.sender.find("Noord-1", "B2 Lessendag"); len(got) != 1 {
		t.Fatalf("%d reminders of B2 after the downtime, want 1", len(got))
	}
}

// The check-back goes to both collectives' chats once, 14 days after the
// introduction, also across a restart.
func TestCheckbackOnce(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	f := newSchedFixture(t, now)
	e := f.process()
	noord := f.collective(e.db, "Noord", 2)
	zuid := f.collective(e.db, "Zuid", 1)
	inv := &commands.Invitation{FromID: noord.ID, ToID: zuid.ID, Theme: "energie"}
	if err := e.db.CreateInvitation(ctx, "", inv, user, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.AnswerInvitation(ctx, "", inv.ID, zuid.ID, true, user, ""); err != nil {
		t.Fatal(err)
	}
	f.run(e, now.Add(commands.CheckbackAfter-time.Minute))
	if got := f.sender.find("", "Hebben jullie gesproken?"); len(got) != 0 {
		t.Fatalf("check-back too early: %+v", got)
	}
	e.sched.Store = crashStore{SchedulerStore: e.db, at: "FinishDelivery"}
	f.clock.Freeze(now.Add(commands.CheckbackAfter))
	if err := e.sched.RunDue(ctx); err == nil {
		t.Fatal("RunDue with a crash: no error")
	}
	second := f.process()
	for i := 1; i <= 3; i++ {
		f.run(second, now.Add(commands.CheckbackAfter+time.Duration(i)*time.Hour))
	}
	for chat, other := range map[string]string{"Noord-1": "Zuid", "Noord-2": "Zuid", "Zuid-1": "Noord"} {
		got := f.sender.find(chat, "Hebben jullie gesproken?")
		if len(got) != 1 {
			t.Errorf("%s got %d check-backs, want 1", chat, len(got))
		} else if !strings.Contains(got[0].Text, "aan "+other+" om te sparren over #energie") {
			t.Errorf("%s check-back %q does not name %s", chat, got[0].Text, other)
		}
	}
}
