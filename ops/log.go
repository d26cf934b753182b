package ops

import (
	"fmt"
	"io"
	"log/slog"
)

// NewLogger returns the bot's logger for WIJKBOT_LOG_FORMAT: "text" (or "")
// for a person at a terminal, "json" for a log collector.
func NewLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "", "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("WIJKBOT_LOG_FORMAT: %q is not text or json", format)
}
