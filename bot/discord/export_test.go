package discord

import "time"

// SetDeferAfter changes how long a command may run before it is deferred.
func SetDeferAfter(d time.Duration) func(*Bot) {
	return func(b *Bot) { b.deferAfter = d }
}

// OnHandled calls f after each interaction has been answered (or ignored
// as a re-delivery).
func OnHandled(f func(id string, duplicate bool)) func(*Bot) {
	return func(b *Bot) { b.handled = f }
}
