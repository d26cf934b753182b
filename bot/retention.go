package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"
)

// RetentionStore is what Retention needs from storage.
type RetentionStore interface {
	DeleteCheckinAnswersBefore(ctx context.Context, cutoff time.Time) (int64, error)
	DeleteEventsBefore(ctx context.Context, cutoff time.Time) (int64, error)
	// DeleteExpired deletes questions waiting for a text, login links and
	// web sessions whose time is up.
	DeleteExpired(ctx context.Context, now time.Time) (int64, error)
}

// EventKeep is how long processed event ids are remembered for spotting a
// re-delivery. Telegram keeps unconfirmed updates 24 hours and Discord
// interactions expire after 15 minutes; a week leaves room for a bot that
// was down for days.
const EventKeep = 7 * 24 * time.Hour

// Retention deletes check-in answers older than Keep
// (WIJKBOT_CHECKIN_RETENTION), event ids older than EventKeep, and the
// questions, login links and web sessions whose time is up: at start and
// then once a day. Check-in answers are the most personal texts the bot
// keeps (how the group is doing), and unlike progress they are not the
// collective's record.
type Retention struct {
	Store RetentionStore
	// Keep is how long answers are kept; 0 keeps them forever.
	Keep time.Duration
	// Now is the clock; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// retentionEvery is how often Run prunes.
const retentionEvery = 24 * time.Hour

// Prune deletes the answers older than Keep and returns how many.
func (r *Retention) Prune(ctx context.Context) (int64, error) {
	if r.Keep <= 0 {
		return 0, nil
	}
	return r.Store.DeleteCheckinAnswersBefore(ctx, r.now().Add(-r.Keep))
}

// PruneEvents forgets event ids older than EventKeep and returns how many.
func (r *Retention) PruneEvents(ctx context.Context) (int64, error) {
	return r.Store.DeleteEventsBefore(ctx, r.now().Add(-EventKeep))
}

// PruneExpired deletes the questions waiting for a text, login links and
// web sessions whose time is up, and returns how many.
func (r *Retention) PruneExpired(ctx context.Context) (int64, error) {
	return r.Store.DeleteExpired(ctx, r.now())
}

func (r *Retention) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Run prunes at once and then daily until ctx ends.
func (r *Retention) Run(ctx context.Context) {
	log := r.Logger
	if log == nil {
		log = slog.Default()
	}
	for {
		if n, err := r.Prune(ctx); err != nil {
			if ctx.Err() != nil {
				return // shutting down mid-prune is no failure
			}
			log.Error("deleting old check-in answers failed", "err", err)
		} else if n > 0 {
			log.Info("old check-in answers deleted", "count", n, "keep", r.Keep.String())
		}
		if n, err := r.PruneEvents(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			log.Error("forgetting old event ids failed", "err", err)
		} else if n > 0 {
			log.Debug("old event ids forgotten", "count", n)
		}
		if n, err := r.PruneExpired(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			log.Error("deleting expired questions and logins failed", "err", err)
		} else if n > 0 {
			log.Debug("expired questions and logins deleted", "count", n)
		}
		t := time.NewTimer(retentionEvery)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// ParseRetention reads WIJKBOT_CHECKIN_RETENTION: a number of days ("730d"
// or "730"), a Go duration ("8760h"), or "0" to keep answers forever;
// anything else must lie in RetentionRange.
func ParseRetention(s string) (time.Duration, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "" {
		return 0, nil
	}
	d, err := parseDaysOrDuration(s)
	switch {
	case err == nil && d == 0:
		return 0, nil
	case errors.Is(err, errTooLong) || err == nil && d > RetentionRange.Max:
		return 0, fmt.Errorf("%q is too long; use a period from %s (e.g. 730d), or 0 to keep forever", s, RetentionRange)
	case err != nil || d < 0:
		return 0, fmt.Errorf("%q is not a period; use one from %s (e.g. 730d), or 0 to keep forever", s, RetentionRange)
	case d < RetentionRange.Min:
		return 0, fmt.Errorf("%q is too short; use a period from %s (e.g. 730d), or 0 to keep forever", s, RetentionRange)
	}
	return d, nil
}

// ParsePeriod reads a positive period within r, as the scheduler's settings
// take it: days ("2d", "2") or a Go duration ("36h").
func ParsePeriod(s string, r Range) (time.Duration, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	d, err := parseDaysOrDuration(s)
	switch {
	case errors.Is(err, errTooLong) || err == nil && d > r.Max:
		return 0, fmt.Errorf("%q is too long; use a period from %s", s, r)
	case err != nil || d <= 0:
		return 0, fmt.Errorf("%q is not a period; use days such as 2d or hours such as 36h, from %s", s, r)
	case d < r.Min:
		return 0, fmt.Errorf("%q is too short; use a period from %s", s, r)
	}
	return d, nil
}

// errTooLong is a period beyond what a time.Duration holds (about 292 years).
var errTooLong = errors.New("period too long")

// parseDaysOrDuration reads a number of days ("730d", "730") or a Go
// duration ("8760h"), of any sign. A period too long for a time.Duration is
// errTooLong, never a wrapped-around value.
func parseDaysOrDuration(s string) (time.Duration, error) {
	digits := strings.TrimSuffix(s, "d")
	if n, err := strconv.ParseInt(digits, 10, 64); err == nil {
		if n > math.MaxInt64/int64(day) || n < math.MinInt64/int64(day) {
			return 0, errTooLong
		}
		return time.Duration(n) * day, nil
	} else if errors.Is(err, strconv.ErrRange) {
		return 0, errTooLong
	}
	d, err := time.ParseDuration(s)
	if err != nil && strings.TrimLeft(s, "+-0123456789.") != s && overflows(s) {
		return 0, errTooLong
	}
	return d, err
}

// overflows says whether a Go duration that time.ParseDuration refused is
// well-formed but too long (it refuses both with the same error).
func overflows(s string) bool {
	// Shrink every number by a factor 1e6: a well-formed duration then
	// parses, a malformed one still does not.
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j > i {
			num := s[i:j]
			if len(num) > 6 {
				num = num[:len(num)-6]
			} else {
				num = "0"
			}
			b.WriteString(num)
			i = j
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	_, err := time.ParseDuration(b.String())
	return err == nil
}
