package console

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/wijkbv/wijkbot/commands"
)

// directive runs a ":name argument" line; it reports whether to quit.
func (c *Console) directive(ctx context.Context, line string) (quit bool) {
	name, arg, _ := strings.Cut(strings.TrimPrefix(line, ":"), " ")
	arg = strings.TrimSpace(arg)
	l := c.Lang
	// Directives are matched as written, colon included: they are the
	// console's own, not commands of the table.
	switch ":" + strings.ToLower(name) {
	case ":chat":
		c.switchTo(&c.chat, arg, ":chat noord")
	case ":staf", ":staff":
		c.switchTo(&c.chat, StaffChat, "")
	case ":prive", ":privé", ":private":
		c.private(arg)
	case ":user", ":gebruiker":
		c.switchTo(&c.user, arg, ":user bram")
	case ":klok", ":clock":
		c.moveClock(ctx, arg)
	case ":help", ":hulp":
		c.printf("%s", c.help())
	case ":quit", ":stop", ":exit":
		return true
	default:
		c.printf("%s\n", l.Msg(commands.MsgConsoleUnknownDirective, name))
	}
	return false
}

// switchTo makes name (as chatID reads it) the current chat or user that
// field points to; an empty name gets the example in the usage.
func (c *Console) switchTo(field *string, name, example string) {
	id := chatID(name)
	if id == "" {
		c.printf("%s\n", c.Lang.Msg(commands.MsgConsoleGiveName, example))
		return
	}
	c.mu.Lock()
	*field = id
	c.mu.Unlock()
}

// privatePrefix starts the id of a console chat that plays a person's
// private chat with the bot (Telegram private chat, Discord DM).
const privatePrefix = "prive:"

// private handles ":prive NAAM": continue as user NAAM in NAAM's private
// chat with the bot, where experts work.
func (c *Console) private(name string) {
	id := chatID(name)
	if id == "" {
		c.printf("%s\n", c.Lang.Msg(commands.MsgConsoleGivePrivateName))
		return
	}
	c.mu.Lock()
	c.chat, c.user = privatePrefix+id, id
	c.mu.Unlock()
}

// isPrivate says whether the console chat plays a private chat.
func isPrivate(chat string) bool { return strings.HasPrefix(chat, privatePrefix) }

// chatID turns a typed chat or user name into its console id: lower case,
// inner spaces as "-", so ":chat Noord" and ":chat noord" are one chat.
func chatID(name string) string {
	return strings.Join(strings.Fields(strings.ToLower(name)), "-")
}

func (c *Console) help() string {
	return c.Lang.Msg(commands.MsgConsoleHelp, FirstUser)
}

// moveClock handles ":klok ARG": it moves the clock, shows the new time and
// runs what the scheduler has due.
func (c *Console) moveClock(ctx context.Context, arg string) {
	l := c.Lang
	now := c.Clock.Now()
	if arg == "" {
		c.printf("%s\n", l.Msg(commands.MsgConsoleItIsNow)+formatTime(l, now.In(c.loc())))
		return
	}
	to, err := parseClock(arg, now, c.loc())
	if errors.Is(err, errTooFar) {
		c.printf("%s\n", l.Msg(commands.MsgConsoleClockTooFar))
		return
	}
	// "-3d" is understood, as a move back: refused below like a past date.
	backwards := false
	if back, ok := strings.CutPrefix(arg, "-"); ok && err != nil {
		_, berr := parseMove(back)
		backwards = berr == nil
	}
	if err != nil && !backwards {
		c.printf("%s\n", l.Msg(commands.MsgConsoleClockBadTime, arg))
		return
	}
	if backwards || to.Before(now) {
		// The scheduler keeps what it already posted; time running backwards
		// would only confuse it (and a newcomer).
		c.printf("%s\n", l.Msg(commands.MsgConsoleClockBackward)+formatTime(l, now.In(c.loc())))
		return
	}
	c.advance(ctx, to.Sub(now))
	c.printf("%s\n", l.Msg(commands.MsgConsoleItIsNow)+formatTime(l, c.Clock.Now().In(c.loc())))
}

// maxTicks bounds the scheduler runs of one :klok move.
const maxTicks = 500

// advance moves the clock forward by d in steps of an hour (longer for
// moves of more than about three weeks) and runs the scheduler after every
// step, as if the bot had been running all that time: a check-in falls due
// and is posted on the way, rather than being found days late and recorded
// as missed the way it would be after real downtime.
func (c *Console) advance(ctx context.Context, d time.Duration) {
	if c.Tick == nil {
		c.Clock.Advance(d)
		return
	}
	step := max(time.Hour, d/maxTicks)
	for d > 0 {
		s := min(step, d)
		c.Clock.Advance(s)
		d -= s
		err := c.Tick(ctx)
		c.Runtime.Wait() // what the scheduler sent is printed in order
		if err != nil {
			c.logger().Error("scheduler run failed", "err", err)
			c.printf("%s\n", c.Lang.Msg(commands.MsgConsoleSchedulerError))
			c.Clock.Advance(d)
			return
		}
	}
}

// maxMove keeps :klok arithmetic far from overflowing a time.Duration.
const maxMove = 10 * 366 * 24 * time.Hour

var (
	errClock  = errors.New("not a time")
	errTooFar = errors.New("move too far")
)

// parseClock reads a :klok argument: a move forward ("+3d", "+2h", "+1d12h",
// "+1w"; the "+" may be left out) or a moment in loc ("2026-12-07T10:00",
// "2026-12-07 10:00", "2026-12-07").
func parseClock(s string, now time.Time, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			if t.Sub(now) > maxMove {
				// The same bound as a move (the fuzzer found "2070-01-01"
				// slipping past it): a date is a move too.
				return time.Time{}, errTooFar
			}
			return t, nil
		}
	}
	d, err := parseMove(strings.TrimPrefix(s, "+"))
	if err != nil {
		return time.Time{}, err
	}
	return now.Add(d), nil
}

// parseMove reads "3d", "2h", "1d12h", "30m", "1w" into a duration.
func parseMove(s string) (time.Duration, error) {
	units := map[rune]time.Duration{'w': 7 * 24 * time.Hour, 'd': 24 * time.Hour, 'h': time.Hour, 'm': time.Minute}
	if s == "" {
		return 0, errClock
	}
	var total time.Duration
	for s != "" {
		i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) })
		if i <= 0 {
			return 0, errClock // no number, or a number without unit
		}
		n, err := strconv.Atoi(s[:i])
		if err != nil {
			return 0, errClock
		}
		unit, ok := units[unicode.ToLower(rune(s[i]))]
		if !ok {
			return 0, errClock
		}
		if time.Duration(n) > maxMove/unit {
			return 0, errTooFar
		}
		total += time.Duration(n) * unit
		if total > maxMove {
			return 0, errTooFar
		}
		s = s[i+1:]
	}
	return total, nil
}

// formatTime shows a moment as "maandag 7 december 2026 10:00" in the
// chat's language (the names come from its catalogue).
func formatTime(l commands.Lang, t time.Time) string {
	return fmt.Sprintf("%s %d %s %d %s", l.Weekday(t.Weekday()), t.Day(), l.Month(t.Month()), t.Year(), t.Format("15:04"))
}
