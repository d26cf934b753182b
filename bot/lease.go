package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"
)

// DefaultLeaseTTL is how long the active process's lease lasts without a
// renewal. It renews every third of that and a standby tries as often, so
// a standby takes over at most TTL + TTL/3 (20 s) after the active process
// died, and within TTL/3 after it stopped (it releases the lease) or died on
// the same machine (Lease.Dead).
const DefaultLeaseTTL = 15 * time.Second

// LeaseName is the lease `wijkbot run` holds while it runs the platforms
// and the scheduler.
const LeaseName = "run"

// ErrLeaseLost is what Hold returns when another process took the lease:
// this one must stop running the platforms and the scheduler at once.
var ErrLeaseLost = errors.New("lease lost: another wijkbot process runs this database now")

// LeaseStore keeps the lease (storage.DB). AcquireLease takes or renews it
// for ttl from the store's clock; held is false, with the current holder,
// while someone else's lease is valid.
type LeaseStore interface {
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (held bool, current string, err error)
	ReleaseLease(ctx context.Context, name, holder string) error
	// StealLease gives the lease to holder if from still holds it.
	StealLease(ctx context.Context, name, from, holder string, ttl time.Duration) (bool, error)
}

// Lease makes one process of several on one database the active one: it
// polls the platforms and runs the scheduler; the others wait as hot
// standbys. (Rounds are exactly-once through their claims anyway; the lease
// keeps two processes from both polling Telegram, and each chat's messages
// from depending on which process happens to have its platform.)
type Lease struct {
	Store  LeaseStore
	Name   string        // "" is LeaseName
	Holder string        // "" is NewHolder()
	TTL    time.Duration // 0 is DefaultLeaseTTL
	// Now is the clock the renewals are judged by (the store has its own,
	// normally the same). Nil is time.Now.
	Now func() time.Time
	// Dead reports whether a holder is known to be dead (nil: a process of
	// this machine that no longer exists), so a restart after a crash
	// takes over at once instead of waiting for the dead lease to expire.
	Dead   func(holder string) bool
	Logger *slog.Logger

	lastOK time.Time // when the last successful renewal began
}

// NewHolder names this process: host, pid and a random part, so a
// restarted process with the same pid is a new holder.
func NewHolder() string {
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

func (l *Lease) init() {
	if l.Name == "" {
		l.Name = LeaseName
	}
	if l.Holder == "" {
		l.Holder = NewHolder()
	}
	if l.TTL <= 0 {
		l.TTL = DefaultLeaseTTL
	}
	if l.Now == nil {
		l.Now = time.Now
	}
	if l.Dead == nil {
		l.Dead = localDead
	}
	if l.Logger == nil {
		l.Logger = slog.Default()
	}
}

// Every is how often Wait tries and Hold renews: a third of the TTL.
func (l *Lease) Every() time.Duration {
	l.init()
	return l.TTL / 3
}

// TryAcquire takes or renews the lease once; it reports whether this
// process holds it now, and who does otherwise.
func (l *Lease) TryAcquire(ctx context.Context) (held bool, current string, err error) {
	l.init()
	began := l.Now()
	held, current, err = l.Store.AcquireLease(ctx, l.Name, l.Holder, l.TTL)
	if err == nil && !held && current != "" && l.Dead(current) {
		if held, err = l.Store.StealLease(ctx, l.Name, current, l.Holder, l.TTL); err == nil && held {
			l.Logger.Info("lease: the active process is gone; taking over", "was", current)
			current = l.Holder
		}
	}
	if err == nil && held {
		l.lastOK = began
	}
	return held, current, err
}

// Valid reports whether this process may still act as the active one: its
// last successful renewal began less than TTL minus one renewal period ago,
// so it stops before any standby can see the lease expired.
func (l *Lease) Valid() bool {
	l.init()
	return !l.lastOK.IsZero() && l.Now().Sub(l.lastOK) < l.TTL-l.Every()
}

// Wait returns once this process holds the lease, trying every Every();
// it returns ctx's error when ctx ends first.
func (l *Lease) Wait(ctx context.Context) error {
	l.init()
	logged := false
	for {
		held, current, err := l.TryAcquire(ctx)
		switch {
		case err != nil && ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			l.Logger.Error("lease: try failed", "err", err)
		case held:
			if logged {
				l.Logger.Info("lease: taken over; this process is now active", "holder", l.Holder)
			}
			return nil
		case !logged:
			l.Logger.Info("lease: another process is active; waiting as hot standby", "active", current)
			logged = true
		}
		t := time.NewTimer(l.Every())
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Hold renews the lease every Every() until ctx ends (then it returns nil)
// or the lease is lost: another process holds it, or renewals failed for
// so long that one may (ErrLeaseLost).
func (l *Lease) Hold(ctx context.Context) error {
	l.init()
	t := time.NewTicker(l.Every())
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		if err := l.Renew(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, ErrLeaseLost) {
				return err
			}
			l.Logger.Error("lease: renewal failed", "err", err)
		}
	}
}

// Renew renews the lease once. It returns ErrLeaseLost when another process
// holds it or when this one can no longer be sure it does (Valid), and the
// store's error when a renewal failed but the lease is still valid.
func (l *Lease) Renew(ctx context.Context) error {
	held, current, err := l.TryAcquire(ctx)
	switch {
	case err == nil && !held:
		return fmt.Errorf("%w (%s)", ErrLeaseLost, current)
	case err == nil:
		return nil
	case !l.Valid():
		return fmt.Errorf("%w: renewals failed: %v", ErrLeaseLost, err)
	}
	return err
}

// Release gives the lease up, so a standby takes over at its next try.
func (l *Lease) Release(ctx context.Context) error {
	l.init()
	l.lastOK = time.Time{}
	return l.Store.ReleaseLease(ctx, l.Name, l.Holder)
}
