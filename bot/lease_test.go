package bot_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/storage"
)

// Two processes on one database (two handles on one file), one clock: the
// first holds the lease, the second is a standby until the first releases
// it or stops renewing it; the first notices it lost the lease before the
// standby can take it over (issue 16, item 12).
func TestLeaseStandbyTakesOver(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wijkbot.db")
	clock := &bot.Clock{}
	clock.Freeze(time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC))
	open := func() *storage.DB {
		db, err := storage.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		db.Now = clock.Now
		t.Cleanup(func() { db.Close() })
		return db
	}
	const ttl = 15 * time.Second
	a := &bot.Lease{Store: open(), Holder: "a", TTL: ttl, Now: clock.Now}
	b := &bot.Lease{Store: open(), Holder: "b", TTL: ttl, Now: clock.Now}
	try := func(l *bot.Lease) (bool, string) {
		t.Helper()
		held, current, err := l.TryAcquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return held, current
	}

	if held, _ := try(a); !held {
		t.Fatal("a did not get a free lease")
	}
	if held, current := try(b); held || current != "a" {
		t.Fatalf("b: held=%v current=%q while a holds the lease", held, current)
	}
	// a renews every ttl/3; b keeps trying and keeps being refused.
	for range 10 {
		clock.Advance(a.Every())
		if err := a.Renew(ctx); err != nil {
			t.Fatalf("a's renewal: %v", err)
		}
		if held, _ := try(b); held {
			t.Fatal("b took a lease a keeps renewing")
		}
	}

	t.Run("a dies: b takes over after the ttl, not before", func(t *testing.T) {
		clock.Advance(ttl - time.Second)
		if held, _ := try(b); held {
			t.Fatal("b took the lease before it expired")
		}
		if a.Valid() {
			t.Fatal("a still thinks it is active a second before its lease expires")
		}
		clock.Advance(time.Second)
		if held, _ := try(b); !held {
			t.Fatal("b did not take over the expired lease")
		}
		// a comes back (it had stalled, not died): it learns it lost.
		if err := a.Renew(ctx); !errors.Is(err, bot.ErrLeaseLost) {
			t.Fatalf("a's renewal after the takeover: %v, want ErrLeaseLost", err)
		}
	})
	t.Run("b stops: a takes over at once", func(t *testing.T) {
		if err := b.Release(ctx); err != nil {
			t.Fatal(err)
		}
		if b.Valid() {
			t.Error("b still valid after releasing")
		}
		if held, _ := try(a); !held {
			t.Fatal("a did not take the released lease")
		}
		// A release by someone not holding it changes nothing.
		if err := b.Release(ctx); err != nil {
			t.Fatal(err)
		}
		if held, current := try(b); held || current != "a" {
			t.Fatalf("b: held=%v current=%q after a stray release", held, current)
		}
	})
	t.Run("worst case takeover within 30 s", func(t *testing.T) {
		// b tries every Every(); a dies right after renewing.
		if got := ttl + b.Every(); got > 30*time.Second {
			t.Fatalf("worst-case takeover %v, want at most 30 s", got)
		}
		if bot.DefaultLeaseTTL+bot.DefaultLeaseTTL/3 > 30*time.Second {
			t.Fatalf("default ttl %v allows a takeover later than 30 s", bot.DefaultLeaseTTL)
		}
	})
}

// A holder known to be dead (a crashed process of this machine) is taken
// over at once, not after its lease expires; one not known dead is waited
// for.
func TestLeaseDeadHolderTakenAtOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wijkbot.db")
	clock := &bot.Clock{}
	clock.Freeze(time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC))
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Now = clock.Now
	dead := map[string]bool{"gestorven": true}
	isDead := func(h string) bool { return dead[h] }
	for _, tc := range []struct {
		first string
		taken bool
	}{{"levend", false}, {"gestorven", true}} {
		first := &bot.Lease{Store: db, Holder: tc.first, Now: clock.Now, Dead: isDead}
		if held, _, err := first.TryAcquire(ctx); err != nil || !held {
			t.Fatalf("%s: %v %v", tc.first, held, err)
		}
		next := &bot.Lease{Store: db, Holder: "opvolger", Now: clock.Now, Dead: isDead}
		held, current, err := next.TryAcquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if held != tc.taken {
			t.Errorf("after %s: held=%v (current %q), want %v", tc.first, held, current, tc.taken)
		}
		if tc.taken {
			if err := first.Renew(ctx); !errors.Is(err, bot.ErrLeaseLost) {
				t.Errorf("the dead holder's renewal: %v, want ErrLeaseLost", err)
			}
		}
		next.Release(ctx)
		first.Release(ctx)
	}
}
