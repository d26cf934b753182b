package commands

import (
	"context"
	"sync"
)

// recentSize is how many event ids a Handler remembers in memory: enough
// for a platform's quick re-deliveries (a resumed Discord gateway), while
// the store remembers every event that wrote something, across restarts.
const recentSize = 1024

// recentEvents remembers the last event ids that were handled.
type recentEvents struct {
	mu   sync.Mutex
	set  map[string]bool
	ring [recentSize]string
	next int
}

// has reports whether id was added.
func (r *recentEvents) has(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.set[id]
}

// add records id and reports whether it was new; of two deliveries racing
// in, exactly one is new.
func (r *recentEvents) add(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.set == nil {
		r.set = map[string]bool{}
	}
	if r.set[id] {
		return false
	}
	delete(r.set, r.ring[r.next])
	r.ring[r.next] = id
	r.next = (r.next + 1) % len(r.ring)
	r.set[id] = true
	return true
}

// recentMu guards the lazy creation of Handler.recent: handlers are made
// as struct literals (and copied by value in tests), so the ring is held
// by pointer and made on first use.
var recentMu sync.Mutex

func (h *Handler) events() *recentEvents {
	recentMu.Lock()
	defer recentMu.Unlock()
	if h.recent == nil {
		h.recent = &recentEvents{}
	}
	return h.recent
}

// Seen is the one place that decides whether an event was handled before:
// by this process (also commands that store nothing, such as a second
// /mijngegevens), or by any process that stored what it wrote. It only
// looks; Handle records. An empty id is never seen. The runtime asks before
// its rate limits, Discord before acknowledging an interaction.
func (h *Handler) Seen(ctx context.Context, eventID string) (bool, error) {
	if eventID == "" {
		return false, nil
	}
	if h.events().has(eventID) {
		return true, nil
	}
	return h.Store.EventSeen(ctx, eventID)
}

// claimEvent is Seen that also records the event as handled by this process.
func (h *Handler) claimEvent(ctx context.Context, eventID string) (bool, error) {
	if eventID == "" {
		return false, nil
	}
	if !h.events().add(eventID) {
		return true, nil
	}
	return h.Store.EventSeen(ctx, eventID)
}
