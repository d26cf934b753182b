package discord

import "errors"

// Health returns nil while the gateway connection is up and READY was
// received (discordgo resumes or reconnects by itself when it drops).
func (b *Bot) Health() error {
	b.session.RLock()
	defer b.session.RUnlock()
	if !b.session.DataReady {
		return errors.New("discord: gateway not connected")
	}
	return nil
}
