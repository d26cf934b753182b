package ops

import (
	"fmt"
	"io"
	"log/slog"
)

// NewLogger returns the bot's logger for WIJKBOT_LOG_FORMAT: "text" (or "")
// for a person at a terminal, "json" for a log collector. level may be nil
// (info); a *slog.LevelVar lets the caller quieten it later, as the
// console does.
func NewLogger(format string, w io.Writer, level slog.Leveler) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: level}
	switch format {
	case "", "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("WIJKBOT_LOG_FORMAT: %q is not text or json", format)
}
