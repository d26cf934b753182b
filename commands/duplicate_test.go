package commands_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
)

// countingStore counts the store's event look-ups.
type countingStore struct {
	*storage.DB
	lookups atomic.Int64
}

func (s *countingStore) EventSeen(ctx context.Context, ev string) (bool, error) {
	s.lookups.Add(1)
	return s.DB.EventSeen(ctx, ev)
}

func (s *countingStore) EventsSeen(ctx context.Context, evs []string) (map[string]bool, error) {
	s.lookups.Add(1)
	return s.DB.EventsSeen(ctx, evs)
}

// TestDuplicateEvent delivers the same platform event twice: it is stored
// once, and the second delivery is marked Duplicate so adapters stay silent.
func TestDuplicateEvent(t *testing.T) {
	t.Parallel()
	t.Run("through the runtime", func(t *testing.T) {
		f := newFixture(t)
		noord := f.setup()
		rt := &bot.Runtime{Handler: f.h, Store: f.db}
		req := f.request(noordChat, anna)
		req.Command, req.Args = "voortgang", map[string]string{"tekst": "dakpannen besteld #pand"}
		first := rt.Handle(f.ctx, req)
		second := rt.Handle(f.ctx, req)
		rt.Wait()
		if first.Duplicate || first.Code != "" {
			t.Fatalf("first delivery: %+v", first)
		}
		if !second.Duplicate || second.Text != "" {
			t.Fatalf("second delivery = %+v, want Duplicate without text", second)
		}
		wantEntries(t, f, noord, 1)
	})

	// A platform re-delivering an event (Telegram after a timeout) must not
	// use up the person's allowance nor earn a "slow down" reply: the
	// runtime answers it before its rate limits.
	t.Run("not rate-limited", func(t *testing.T) {
		f := newFixture(t)
		f.setup()
		rt := &bot.Runtime{Handler: f.h, Store: f.db, Limits: &bot.Limits{
			User: bot.Rate{PerMinute: 1, Burst: 1},
			Now:  func() time.Time { return f.now },
		}}
		req := f.request(noordChat, anna)
		req.Command, req.Args = "voortgang", map[string]string{"tekst": "steigers staan"}
		if r := rt.Handle(f.ctx, req); r.Duplicate || r.Code != "" {
			t.Fatalf("first delivery: %+v", r)
		}
		for i := 0; i < 3; i++ {
			if r := rt.Handle(f.ctx, req); !r.Duplicate || r.Text != "" || r.Code != "" {
				t.Fatalf("re-delivery %d = %+v, want a silent Duplicate", i+1, r)
			}
		}
		// The allowance is used up by the one real command, so a new one
		// is refused: the limit is on, it just ignores re-deliveries.
		next := f.request(noordChat, anna)
		next.Command, next.Args = "voortgang", map[string]string{"tekst": "nog een"}
		if r := rt.Handle(f.ctx, next); r.Code != "rate_limited" {
			t.Fatalf("next command = %+v, want rate_limited", r)
		}
		rt.Wait()
	})

	t.Run("directly through the handler", func(t *testing.T) {
		f := newFixture(t)
		noord := f.setup()
		req := f.request(noordChat, anna)
		req.Command, req.Args = "hulpvraag", map[string]string{"expertise": "energie", "vraag": "Zonnepanelen op het buurthuis?"}
		first := f.h.Handle(f.ctx, req)
		second := f.h.Handle(f.ctx, req)
		if first.Duplicate || len(first.Outbox) != 1 {
			t.Fatalf("first delivery: %+v", first)
		}
		if !second.Duplicate || len(second.Outbox) != 0 {
			t.Fatalf("second delivery = %+v, want Duplicate without outbox", second)
		}
		reqs, err := f.db.Requests(f.ctx, noord)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(reqs), 1; got != want {
			t.Fatalf("help requests = %d, want %d", got, want)
		}
	})

	// A re-delivered state change must not be refused by the state it
	// caused itself ("#1 is al afgerond"), nor tell the collective twice.
	t.Run("a state change", func(t *testing.T) {
		f := newFixture(t)
		f.setup()
		f.ok(noordChat, anna, "/hulpvraag juridisch Mag dat?")
		req := f.request(staffChat, sanne)
		req.Command, req.Args = "afronden", map[string]string{"nummer": "1"}
		if r := f.h.Handle(f.ctx, req); r.Duplicate || len(r.Outbox) != 1 {
			t.Fatalf("first delivery: %+v", r)
		}
		if r := f.h.Handle(f.ctx, req); !r.Duplicate || r.Text != "" || len(r.Outbox) != 0 {
			t.Fatalf("second delivery = %+v, want a silent Duplicate", r)
		}
	})

	t.Run("different events are both stored", func(t *testing.T) {
		f := newFixture(t)
		noord := f.setup()
		f.ok(noordChat, anna, "/voortgang hetzelfde")
		f.ok(noordChat, anna, "/voortgang hetzelfde")
		wantEntries(t, f, noord, 2)
	})

	// The runtime's Seen asks the store; Handle, which follows, does not
	// ask again.
	t.Run("one look-up per command", func(t *testing.T) {
		f := newFixture(t)
		noord := f.setup()
		rt, store := countingRuntime(f)
		req := f.request(noordChat, anna)
		req.Command, req.Args = "voortgang", map[string]string{"tekst": "kozijnen gemeten"}
		if r := rt.Handle(f.ctx, req); r.Duplicate || r.Code != "" {
			t.Fatalf("first delivery: %+v", r)
		}
		if got, want := store.lookups.Load(), int64(1); got != want {
			t.Fatalf("%d event look-ups in the store, want %d", got, want)
		}
		if r := rt.Handle(f.ctx, req); !r.Duplicate {
			t.Fatalf("second delivery = %+v, want Duplicate", r)
		}
		rt.Wait()
		wantEntries(t, f, noord, 1)
	})

	// An adapter's batch (Telegram's getUpdates) is looked up at once:
	// then no command of it asks the store again, and one already stored
	// is still a silent duplicate.
	t.Run("one look-up per batch", func(t *testing.T) {
		f := newFixture(t)
		noord := f.setup()
		rt, store := countingRuntime(f)
		var reqs []commands.Request
		var ids []string
		for i, text := range []string{"kozijnen gemeten", "steigers staan", "dak dicht"} {
			req := f.request(noordChat, anna)
			req.EventID = fmt.Sprint("telegram:update:", 500+i)
			req.Command, req.Args = "voortgang", map[string]string{"tekst": text}
			reqs, ids = append(reqs, req), append(ids, req.EventID)
		}
		// The first was stored before the crash whose batch is replayed.
		before := &commands.Handler{Store: f.db, Now: f.h.Now, Location: f.h.Location, DefaultLang: commands.NL, Logger: f.h.Logger}
		if r := before.Handle(f.ctx, reqs[0]); r.Duplicate || r.Code != "" {
			t.Fatalf("first delivery: %+v", r)
		}
		rt.CheckEvents(f.ctx, ids)
		for i, req := range reqs {
			r := rt.Handle(f.ctx, req)
			if got, want := r.Duplicate, i == 0; got != want || r.Code != "" {
				t.Fatalf("command %d of the batch: %+v, want Duplicate %v", i, r, want)
			}
		}
		rt.Wait()
		// The batch, and the stored one again (the batch does not say
		// which process stored it; Seen asks).
		if got, want := store.lookups.Load(), int64(2); got != want {
			t.Fatalf("%d event look-ups in the store, want %d", got, want)
		}
		wantEntries(t, f, noord, 3)
	})

	// Another process stores an event of the batch after the batch was
	// looked up: the write refuses the second store, silently.
	t.Run("stored elsewhere after the batch look-up", func(t *testing.T) {
		f := newFixture(t)
		noord := f.setup()
		other := otherProcess(f)
		req := f.request(noordChat, anna)
		req.Command, req.Args = "voortgang", map[string]string{"tekst": "isolatie besproken"}
		if err := f.h.CheckEvents(f.ctx, []string{req.EventID}); err != nil {
			t.Fatal(err)
		}
		if r := other.Handle(f.ctx, req); r.Duplicate || r.Code != "" {
			t.Fatalf("delivery in the other process: %+v", r)
		}
		if r := f.h.Handle(f.ctx, req); !r.Duplicate || r.Text != "" {
			t.Fatalf("delivery here = %+v, want a silent Duplicate", r)
		}
		wantEntries(t, f, noord, 1)
	})

	// Another process (a second handler on the same file) stores the event
	// between this process's Seen and its Handle: the write refuses the
	// second store, and the reply is a silent Duplicate.
	t.Run("stored elsewhere after Seen", func(t *testing.T) {
		f := newFixture(t)
		noord := f.setup()
		other := otherProcess(f)
		req := f.request(noordChat, anna)
		req.Command, req.Args = "voortgang", map[string]string{"tekst": "isolatie besproken"}
		if seen, err := f.h.Seen(f.ctx, req.EventID); err != nil || seen {
			t.Fatalf("Seen = %v, %v before any delivery", seen, err)
		}
		if r := other.Handle(f.ctx, req); r.Duplicate || r.Code != "" {
			t.Fatalf("delivery in the other process: %+v", r)
		}
		if r := f.h.Handle(f.ctx, req); !r.Duplicate || r.Text != "" {
			t.Fatalf("delivery here = %+v, want a silent Duplicate", r)
		}
		wantEntries(t, f, noord, 1)
	})
}

// wantEntries fails t unless the collective has exactly n entries: a
// delivery stored twice, or not at all, shows here.
func wantEntries(t *testing.T, f *fixture, collective int64, n int) {
	t.Helper()
	entries, err := f.db.Entries(f.ctx, collective, n+10)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != n {
		t.Fatalf("entries = %d, want %d", len(entries), n)
	}
}

// countingRuntime is a runtime over f's handler whose store counts the
// event look-ups it is asked.
func countingRuntime(f *fixture) (*bot.Runtime, *countingStore) {
	store := &countingStore{DB: f.db}
	h := *f.h
	h.Store = store
	return &bot.Runtime{Handler: &h, Store: store}, store
}

// otherProcess is a second handler on f's database, as another process
// delivering the same events would have: its own memory of events.
func otherProcess(f *fixture) *commands.Handler {
	return &commands.Handler{Store: f.db, Now: f.h.Now, Location: f.h.Location, DefaultLang: commands.NL, Logger: f.h.Logger}
}
