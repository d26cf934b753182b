package storage

import (
	"context"
	"path/filepath"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

func TestSchedulerStore(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	c := mustCollective(t, db, "Noord", "NOORD234")
	chat := commands.ChatRef{Platform: commands.Telegram, ID: "-2001"}
	monday := t0.Add(7 * 24 * time.Hour)

	t.Run("last round of any status", func(t *testing.T) {
		if at, err := db.LastRoundAt(ctx, c.ID); err != nil || !at.IsZero() {
			t.Fatalf("LastRoundAt = %v, %v; want zero", at, err)
		}
		if err := db.MarkRoundMissed(ctx, c.ID, t0); err != nil {
			t.Fatal(err)
		}
		if at, err := db.LastRoundAt(ctx, c.ID); err != nil || !at.Equal(t0) {
			t.Fatalf("LastRoundAt = %v, %v; want %v", at, err, t0)
		}
	})

	r, claimed, err := db.ClaimRound(ctx, c.ID, monday)
	if err != nil || !claimed {
		t.Fatalf("ClaimRound = %v, %v", claimed, err)
	}
	owner := "round:test"

	t.Run("claimed rounds", func(t *testing.T) {
		list, err := db.ClaimedRounds(ctx)
		if err != nil || len(list) != 1 || list[0].ID != r.ID {
			t.Fatalf("ClaimedRounds = %v, %v", list, err)
		}
	})

	t.Run("a delivery is begun once, retried only after failures", func(t *testing.T) {
		steps := []struct {
			name       string
			do         func() (bool, error)
			want       bool
			begun, try int
		}{
			{"begin", func() (bool, error) { return db.BeginDelivery(ctx, owner, r.ID, chat, 2) }, true, 1, 0},
			{"begin again while sending", func() (bool, error) { return db.BeginDelivery(ctx, owner, r.ID, chat, 2) }, false, 1, 0},
			{"fail", func() (bool, error) { return false, db.FinishDelivery(ctx, owner, chat, "", true) }, false, 1, 1},
			{"retry", func() (bool, error) { return db.BeginDelivery(ctx, owner, r.ID, chat, 2) }, true, 1, 0},
			{"fail again", func() (bool, error) { return false, db.FinishDelivery(ctx, owner, chat, "", true) }, false, 1, 0},
			{"no third try", func() (bool, error) { return db.BeginDelivery(ctx, owner, r.ID, chat, 2) }, false, 1, 0},
			{"more tries allowed", func() (bool, error) { return db.BeginDelivery(ctx, owner, r.ID, chat, 3) }, true, 1, 0},
			{"sent", func() (bool, error) { return false, db.FinishDelivery(ctx, owner, chat, "77", false) }, false, 1, 0},
			{"never after sent", func() (bool, error) { return db.BeginDelivery(ctx, owner, r.ID, chat, 9) }, false, 1, 0},
		}
		for _, s := range steps {
			got, err := s.do()
			if err != nil || got != s.want {
				t.Fatalf("%s = %v, %v; want %v", s.name, got, err, s.want)
			}
			begun, try, err := db.DeliveryCounts(ctx, owner, 2)
			if err != nil || begun != s.begun || try != s.try {
				t.Fatalf("%s: counts = %d, %d, %v; want %d, %d", s.name, begun, try, err, s.begun, s.try)
			}
		}
	})

	t.Run("round by message", func(t *testing.T) {
		got, err := db.RoundByMessage(ctx, chat, "77")
		if err != nil || got.ID != r.ID || !got.ScheduledAt.Equal(monday) {
			t.Fatalf("RoundByMessage = %+v, %v", got, err)
		}
		_, err = db.RoundByMessage(ctx, commands.ChatRef{Platform: commands.Telegram, ID: "-9"}, "77")
		wantCode(t, err, commands.ENOTFOUND)
	})

	t.Run("sends", func(t *testing.T) {
		if s, err := db.SendStatus(ctx, "digest:x"); err != nil || s != "" {
			t.Fatalf("SendStatus = %q, %v", s, err)
		}
		claimed, status, err := db.ClaimSend(ctx, "digest:x", commands.SendDigest, monday)
		if err != nil || !claimed || status != commands.RoundClaimed {
			t.Fatalf("ClaimSend = %v, %q, %v", claimed, status, err)
		}
		claimed, status, err = db.ClaimSend(ctx, "digest:x", commands.SendDigest, monday)
		if err != nil || claimed || status != commands.RoundClaimed {
			t.Fatalf("second ClaimSend = %v, %q, %v", claimed, status, err)
		}
		if list, err := db.ClaimedSends(ctx); err != nil || len(list) != 1 || list[0].Key != "digest:x" {
			t.Fatalf("ClaimedSends = %v, %v", list, err)
		}
		clk.Add(time.Minute)
		if err := db.FinishSend(ctx, "digest:x", commands.RoundPosted); err != nil {
			t.Fatal(err)
		}
		if list, _ := db.ClaimedSends(ctx); len(list) != 0 {
			t.Fatalf("ClaimedSends after finish = %v", list)
		}
		if at, err := db.LastSendAt(ctx, commands.SendDigest); err != nil || !at.Equal(monday) {
			t.Fatalf("LastSendAt = %v, %v", at, err)
		}
		if err := db.FinishSend(ctx, "digest:x", "bogus"); err == nil {
			t.Fatal("FinishSend with a bad status: no error")
		}
	})

	t.Run("claimed round missed", func(t *testing.T) {
		r2, _, err := db.ClaimRound(ctx, c.ID, monday.Add(7*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if err := db.MarkClaimedRoundMissed(ctx, r2.ID); err != nil {
			t.Fatal(err)
		}
		list, err := db.Rounds(ctx, c.ID, monday, monday.Add(8*24*time.Hour))
		if err != nil || len(list) != 2 || list[1].Status != commands.RoundMissed {
			t.Fatalf("Rounds = %v, %v", list, err)
		}
	})
}

// Many goroutines on two database handles race to begin one delivery: one wins.
func TestBeginDeliveryRace(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "race.db")
	var dbs []*DB
	for i := 0; i < 2; i++ {
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs = append(dbs, db)
	}
	chat := commands.ChatRef{Platform: commands.Console, ID: "x"}
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := dbs[i%2].BeginDelivery(ctx, "digest:race", 0, chat, 3)
			if err != nil {
				t.Error(err)
			}
			if ok {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if got := wins.Load(); got != 1 {
		t.Fatalf("%d winners, want 1", got)
	}
}

// DoneDeliveries names exactly the chats BeginDelivery refuses.
func TestDoneDeliveries(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	const owner, max = "meeting-reminder:1", 2
	chat := func(id string) commands.ChatRef { return commands.ChatRef{Platform: commands.Telegram, ID: id} }
	begin := func(owner string, c commands.ChatRef) {
		t.Helper()
		if ok, err := db.BeginDelivery(ctx, owner, 0, c, max); err != nil || !ok {
			t.Fatalf("begin %s to %s: %v, %v", owner, c, ok, err)
		}
	}
	finish := func(c commands.ChatRef, failed bool) {
		t.Helper()
		if err := db.FinishDelivery(ctx, owner, c, "", failed); err != nil {
			t.Fatal(err)
		}
	}
	begin(owner, chat("sent"))
	finish(chat("sent"), false)
	begin(owner, chat("sending"))
	begin(owner, chat("failed once"))
	finish(chat("failed once"), true)
	for range max {
		begin(owner, chat("given up"))
		finish(chat("given up"), true)
	}
	begin("meeting-reminder:2", chat("other owner"))
	done, err := db.DoneDeliveries(ctx, owner, max)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"sent", "sending", "failed once", "given up", "other owner", "new"} {
		ok, err := db.BeginDelivery(ctx, owner, 0, chat(id), max)
		if err != nil {
			t.Fatal(err)
		}
		if done[chat(id)] == ok {
			t.Errorf("%s: done %v, but BeginDelivery says %v", id, done[chat(id)], ok)
		}
	}
	if len(done) != 3 {
		t.Errorf("done %v, want sent, sending and given up", done)
	}
}

// MeetingInfo is Meeting without the answers.
func TestMeetingInfo(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	m := &commands.Meeting{Title: "Netwerkdag", Place: "Buurthuis", StartsAt: t0.Add(48 * time.Hour)}
	if err := db.CreateMeeting(ctx, "", m, bram); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetRSVP(ctx, "", m.Number, commands.ChatRef{Platform: commands.Telegram, ID: "-1"}, commands.RSVPYes, sanne); err != nil {
		t.Fatal(err)
	}
	full, err := db.Meeting(ctx, m.Number)
	if err != nil {
		t.Fatal(err)
	}
	info, err := db.MeetingInfo(ctx, m.Number)
	if err != nil {
		t.Fatal(err)
	}
	if len(full.RSVPs) != 1 || info.RSVPs != nil {
		t.Fatalf("answers: Meeting %d, MeetingInfo %d, want 1 and none", len(full.RSVPs), len(info.RSVPs))
	}
	full.RSVPs = nil
	if !reflect.DeepEqual(info, full) {
		t.Errorf("MeetingInfo %+v, Meeting %+v", info, full)
	}
	if _, err := db.MeetingInfo(ctx, 99); commands.ErrorCode(err) != commands.ENOTFOUND {
		t.Errorf("unknown meeting: %v, want ENOTFOUND", err)
	}
}
