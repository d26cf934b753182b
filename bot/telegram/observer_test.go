package telegram_test

import "sync"

// countObserver counts the 429s the adapter reports (the ops metrics).
type countObserver struct {
	mu      sync.Mutex
	limited map[string]int
}

func (o *countObserver) CommandHandled(command, outcome string) {}
func (o *countObserver) Delivered(platform, outcome string)     {}
func (o *countObserver) RateLimited(platform string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.limited == nil {
		o.limited = map[string]int{}
	}
	o.limited[platform]++
}

func (o *countObserver) count(platform string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.limited[platform]
}
