package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// A crash while sending the digest, then a restart: the claimed send is
// resumed and the staff chat gets the digest exactly once.
func TestSchedulerDigestRestart(t *testing.T) {
	for _, point := range []string{"BeginDelivery", "FinishDelivery", "FinishSend"} {
		t.Run("crash at "+point, func(t *testing.T) {
			f := newSchedFixture(t, time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC))
			first := f.process()
			f.staffChat(first.db)
			first.sched.Store = crashStore{SchedulerStore: first.db, at: point}
			friday := f.local(2026, 12, 4, 16, 0)
			f.clock.Freeze(friday)
			if err := first.sched.RunDue(context.Background()); err == nil {
				t.Fatalf("RunDue with a crash at %s: no error", point)
			}
			second := f.process()
			f.run(second, friday.Add(time.Minute))
			f.run(second, friday.Add(2*time.Minute))
			if got := len(f.sender.find("staf", digestMark)); got != 1 {
				t.Errorf("%d digests, want 1", got)
			}
			if status, err := second.db.SendStatus(context.Background(), digestKey(friday)); err != nil || status != commands.RoundPosted {
				t.Errorf("digest send status %q (%v), want %q", status, err, commands.RoundPosted)
			}
		})
	}
}

// An alert claimed by a process that crashed before sending it, for a
// request taken meanwhile, is settled as missed on resume: staff are not
// told about a request that is no longer unclaimed.
func TestSchedulerAlertResumeAfterClaim(t *testing.T) {
	ctx := context.Background()
	asked := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	f := newSchedFixture(t, asked)
	first := f.process()
	c := f.collective(first.db, "Noord", 1)
	f.staffChat(first.db)
	if err := first.db.CreateRequest(ctx, "", &commands.HelpRequest{CollectiveID: c.ID, Expertise: "juridisch", Question: "Mag dit?"}, user, 0); err != nil {
		t.Fatal(err)
	}
	first.sched.Store = crashStore{SchedulerStore: first.db, at: "BeginDelivery"}
	f.clock.Freeze(asked.Add(24 * time.Hour))
	if err := first.sched.RunDue(ctx); err == nil {
		t.Fatal("RunDue with a crash at BeginDelivery: no error")
	}
	if _, err := first.db.ClaimRequest(ctx, "", 1, commands.UserRef{Platform: commands.Console, ID: "9", Name: "Bram"}); err != nil {
		t.Fatal(err)
	}
	second := f.process()
	f.run(second, asked.Add(25*time.Hour))
	for _, m := range f.sender.find("staf", "") {
		if strings.Contains(m.Text, "niemand heeft hem opgepakt") {
			t.Errorf("unclaimed alert sent after the request was taken:\n%s", m.Text)
		}
	}
	key := commands.SendAlertUnclaimed + ":1"
	if status, err := second.db.SendStatus(ctx, key); err != nil || status != commands.RoundMissed {
		t.Errorf("alert send status %q (%v), want %q", status, err, commands.RoundMissed)
	}
}

// A nudge claimed by a process that crashed before sending it is not sent
// on resume when the group answered the check-in meanwhile.
func TestSchedulerNudgeResumeAfterAnswer(t *testing.T) {
	ctx := context.Background()
	f := newSchedFixture(t, time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	first := f.process()
	noord := f.collective(first.db, "Noord", 1)
	f.run(first, f.local(2026, 11, 30, 10, 0))
	first.sched.Store = crashStore{SchedulerStore: first.db, at: "BeginDelivery"}
	f.clock.Freeze(f.local(2026, 12, 2, 10, 0))
	if err := first.sched.RunDue(ctx); err == nil {
		t.Fatal("RunDue with a crash at BeginDelivery: no error")
	}
	r, err := first.db.LatestRound(ctx, noord.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.db.AddCheckinAnswer(ctx, "ev1", r.ID, "Pand bezichtigd", user); err != nil {
		t.Fatal(err)
	}
	second := f.process()
	f.run(second, f.local(2026, 12, 2, 10, 1))
	if got := f.sender.find("Noord-1", nudgeMark); len(got) != 0 {
		t.Errorf("nudged after the group answered: %v", got)
	}
	key := fmt.Sprintf("%s:%d:%d", commands.SendNudge, noord.ID, r.ID)
	if status, err := second.db.SendStatus(ctx, key); err != nil || status != commands.RoundMissed {
		t.Errorf("nudge send status %q (%v), want %q", status, err, commands.RoundMissed)
	}
}
