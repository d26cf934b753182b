package telegramtest

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// HeldSends is the transport of a client of the fake that holds every
// sendMessage request, before it reaches the server, until Release lets
// one go on, and counts the requests under way at once: a test of how
// many messages a bot has under way at once uses it.
type HeldSends struct {
	next    http.RoundTripper
	arrived chan struct{}
	gate    chan struct{}

	mu        sync.Mutex
	now, most int
}

// HoldSends wraps next (http.DefaultTransport when nil).
func HoldSends(next http.RoundTripper) *HeldSends {
	if next == nil {
		next = http.DefaultTransport
	}
	return &HeldSends{next: next, arrived: make(chan struct{}, 1000), gate: make(chan struct{}, 1000)}
}

// RoundTrip implements http.RoundTripper.
func (h *HeldSends) RoundTrip(r *http.Request) (*http.Response, error) {
	if !strings.HasSuffix(r.URL.Path, "/sendMessage") {
		return h.next.RoundTrip(r)
	}
	h.mu.Lock()
	h.now++
	h.most = max(h.most, h.now)
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		h.now--
		h.mu.Unlock()
	}()
	h.arrived <- struct{}{}
	select {
	case <-h.gate:
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	return h.next.RoundTrip(r)
}

// Arrived waits until one more sendMessage request is held, failing t
// after 10 seconds.
func (h *HeldSends) Arrived(t testing.TB) {
	t.Helper()
	select {
	case <-h.arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("no further sendMessage request arrived within 10 s")
	}
}

// Release lets one held request (or the next to arrive) go on.
func (h *HeldSends) Release() { h.gate <- struct{}{} }

// Most is the largest number of sendMessage requests that were under way
// at once: held, or released and not yet answered.
func (h *HeldSends) Most() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.most
}

// Flow holds n sendMessage requests to at most k under way: it waits for
// k of them to arrive, then releases one for each further arrival, then
// the last k. A bot that keeps to k has Most() == k afterwards; one that
// sends more at once is caught with more of them held.
func (h *HeldSends) Flow(t testing.TB, n, k int) {
	t.Helper()
	for range min(n, k) {
		h.Arrived(t)
	}
	for range n - min(n, k) {
		h.Release()
		h.Arrived(t)
	}
	for range min(n, k) {
		h.Release()
	}
}
