package telegram

import "sync"

// pollHealth remembers how the last long poll went, for /healthz. A long
// poll may wait 30 s for an answer, so "no answer yet" is not a failure:
// New already checked the token with getMe.
type pollHealth struct {
	mu   sync.Mutex
	last error
}

func (p *pollHealth) record(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last = err
}

// Health returns nil while polling works, and the error of the last
// getUpdates while it fails (network down, token revoked, another poller).
func (b *Bot) Health() error {
	b.health.mu.Lock()
	defer b.health.mu.Unlock()
	return b.health.last
}
