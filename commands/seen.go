package commands

import (
	"context"
	"sync"
)

// recentSize is how many event ids a Handler remembers in memory: enough
// for a platform's quick re-deliveries (a resumed Discord gateway), while
// the store remembers every event that wrote something, across restarts.
const recentSize = 1024

// eventState is what this process knows about an event id.
type eventState uint8

const (
	// eventChecked: Seen asked the store, which did not know the event.
	eventChecked eventState = iota + 1
	// eventHandled: Handle claimed the event; it is handled or being handled.
	eventHandled
)

// recentEvents remembers the last event ids that were checked or handled.
type recentEvents struct {
	mu   sync.Mutex
	set  map[string]eventState
	ring [recentSize]string
	next int
}

// state is what this process knows of id (0: nothing).
func (r *recentEvents) state(id string) eventState {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.set[id]
}

// checked notes that the store did not know id, unless it was claimed
// meanwhile.
func (r *recentEvents) checked(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.set[id] == 0 {
		r.put(id, eventChecked)
	}
}

// claim records id as handled. new reports whether it was not claimed
// before (of two deliveries racing in, exactly one is new); wasChecked
// whether Seen had found it unknown to the store.
func (r *recentEvents) claim(id string) (new, wasChecked bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch r.set[id] {
	case eventHandled:
		return false, false
	case eventChecked:
		r.set[id] = eventHandled // keeps its place in the ring
		return true, true
	}
	r.put(id, eventHandled)
	return true, false
}

// put adds id, forgetting the oldest id when the ring is full.
func (r *recentEvents) put(id string, s eventState) {
	if r.set == nil {
		r.set = map[string]eventState{}
	}
	if old := r.ring[r.next]; old != "" {
		delete(r.set, old)
	}
	r.ring[r.next] = id
	r.next = (r.next + 1) % len(r.ring)
	r.set[id] = s
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
	ev := h.events()
	switch ev.state(eventID) {
	case eventHandled:
		return true, nil
	case eventChecked:
		// The store did not know it a moment ago (CheckEvents, or an
		// earlier Seen), and in this process only a claim stores it.
		// Another process storing it meanwhile is caught by the write
		// (ErrDuplicate), as between Seen and Handle.
		return false, nil
	}
	seen, err := h.Store.EventSeen(ctx, eventID)
	if err == nil && !seen {
		// Handle, which follows at once, need not ask the store again.
		ev.checked(eventID)
	}
	return seen, err
}

// CheckEvents looks up a platform's batch of events in the store at once,
// before they are handled one by one: Seen then need not ask the store for
// each (the look-up was the last read of a /voortgang). Events this
// process knows already are left out. A failed look-up only means that
// Seen asks for each.
func (h *Handler) CheckEvents(ctx context.Context, eventIDs []string) error {
	ev := h.events()
	var ask []string
	for _, id := range eventIDs {
		if id != "" && ev.state(id) == 0 {
			ask = append(ask, id)
		}
	}
	if len(ask) == 0 {
		return nil
	}
	seen, err := h.Store.EventsSeen(ctx, ask)
	if err != nil {
		return err
	}
	for _, id := range ask {
		if !seen[id] {
			ev.checked(id)
		}
	}
	return nil
}

// claimEvent is Seen that also records the event as handled by this
// process. It asks the store only when Seen has not just done so: every
// command through the runtime is looked up by Seen first (bot.Runtime
// asks before its rate limits), and asking twice was one of the three
// reads of every command. Between the two, only a delivery of the same
// event can store it: in this process that delivery claims it here first,
// in another one its write makes this write fail (ErrDuplicate).
func (h *Handler) claimEvent(ctx context.Context, eventID string) (bool, error) {
	if eventID == "" {
		return false, nil
	}
	isNew, wasChecked := h.events().claim(eventID)
	if !isNew {
		return true, nil
	}
	if wasChecked {
		return false, nil
	}
	return h.Store.EventSeen(ctx, eventID)
}
