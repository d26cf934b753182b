package commands

import (
	"context"
	"time"
)

// maxPause is how far ahead /pauze may reach; longer is rather a goodbye
// than a holiday, and then the programme team should know.
const maxPause = 366 * 24 * time.Hour

// checkin stores an answer to a check-in: the one the message replies to
// (where the platform passes on replies), else the collective's latest.
func (h *Handler) checkin(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	round, err := h.roundFor(ctx, c)
	if err != nil {
		return Reply{}, err
	}
	if err := h.Store.AddCheckinAnswer(ctx, c.EventID, round.ID, c.args.Text(optCheckinText), c.User); err != nil {
		return Reply{}, err
	}
	when := round.PostedAt
	if when.IsZero() {
		when = round.ScheduledAt
	}
	return Reply{Text: l.Msg(MsgCheckinAnswered, h.formatDate(l, when))}, nil
}

// pause shows the pause, or pauses check-ins until a future date.
func (h *Handler) pause(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	coll, err := h.Store.Collective(ctx, c.chat.CollectiveID)
	if err != nil {
		return Reply{}, err
	}
	now := h.now().In(h.loc())
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, h.loc())
	paused := !coll.PausedUntil.IsZero() && coll.PausedUntil.After(now)
	if c.args.Word(optUntil) == "stop" {
		if !paused {
			return Reply{Text: l.Msg(MsgPauseNone)}, nil
		}
		if err := h.Store.SetPause(ctx, c.EventID, coll.ID, time.Time{}, c.User); err != nil {
			return Reply{}, err
		}
		return Reply{Text: l.Msg(MsgPauseEnded)}, nil
	}
	until, ok := c.args.Date(optUntil)
	if !ok {
		if paused {
			return Reply{Text: l.Msg(MsgPauseActive, h.formatDate(l, coll.PausedUntil))}, nil
		}
		return Reply{Text: l.Msg(MsgPauseRunning)}, nil
	}
	if !until.After(today) {
		return Reply{}, Errorf(EINVALID, "%s", l.Msg(MsgPauseDatePast, h.formatDate(l, today)))
	}
	if until.Sub(today) > maxPause {
		return Reply{}, Errorf(EINVALID, "%s", l.Msg(MsgPauseTooFar))
	}
	if err := h.Store.SetPause(ctx, c.EventID, coll.ID, until, c.User); err != nil {
		return Reply{}, err
	}
	return Reply{Text: l.Msg(MsgPaused, h.formatDate(l, until))}, nil
}
