package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/schedule"
)

// roundOwner is the delivery owner of a round's check-in messages.
func roundOwner(id int64) string { return "round:" + strconv.FormatInt(id, 10) }

// runRounds records and posts each collective's due rounds, from where
// marks says its rounds stand; it notes in recorded the collectives whose
// rounds it records. A schedule shared by many collectives is parsed once.
func (s *Scheduler) runRounds(ctx context.Context, now time.Time, sums []commands.CollectiveSummary, marks map[int64]commands.RoundMark, recorded map[int64]bool) error {
	parsed := map[string]*schedule.Schedule{}
	var errs []error
	for i := range sums {
		if err := s.collectiveRounds(ctx, now, &sums[i].Collective, marks[sums[i].ID].Last, parsed, recorded); err != nil {
			errs = append(errs, fmt.Errorf("collective %d: %w", sums[i].ID, err))
		}
	}
	return errors.Join(errs...)
}

// collectiveRounds records and posts c's due rounds; last is its latest
// round's time (zero when none), parsed the schedules parsed so far.
func (s *Scheduler) collectiveRounds(ctx context.Context, now time.Time, c *commands.Collective, last time.Time, parsed map[string]*schedule.Schedule, recorded map[int64]bool) error {
	spec := s.Handler.CheckinSchedule(c)
	sched, ok := parsed[spec]
	if !ok {
		var err error
		if sched, err = schedule.Parse(spec, s.loc()); err != nil {
			sched = nil
		}
		parsed[spec] = sched
	}
	if sched == nil {
		// /schema and the configuration refuse bad schedules, so this is a
		// schedule stored by an older version; say so without failing the run.
		s.logger().Warn("invalid check-in schedule", "collective", c.ID, "schedule", spec)
		return nil
	}
	if last.IsZero() {
		last = c.CreatedAt
	}
	plan := sched.Plan(last, now, orDefault(s.CatchUp, DefaultCatchUp), c.PausedUntil)
	if len(plan.Missed) > 0 || !plan.Post.IsZero() {
		recorded[c.ID] = true
	}
	for _, at := range plan.Missed {
		if err := s.Store.MarkRoundMissed(ctx, c.ID, at); err != nil {
			return err
		}
		s.count(commands.RoundMissed)
		s.logger().Info("check-in round missed", "collective", c.ID, "scheduled", at)
	}
	if plan.Post.IsZero() {
		return nil
	}
	r, claimed, err := s.Store.ClaimRound(ctx, c.ID, plan.Post)
	if err != nil || !claimed {
		return err // not claimed: another process or an earlier run has it
	}
	return s.finishRound(ctx, now, r)
}

// finishRound posts a claimed round to the chats it has not reached yet and
// marks it posted. A claimed round that is too late by now is marked missed
// if nothing was sent, posted if something was.
func (s *Scheduler) finishRound(ctx context.Context, now time.Time, r *commands.Round) error {
	owner := roundOwner(r.ID)
	if now.Sub(r.ScheduledAt) >= orDefault(s.CatchUp, DefaultCatchUp) {
		begun, _, err := s.Store.DeliveryCounts(ctx, owner, MaxDeliveryFailures)
		if err != nil {
			return err
		}
		if begun == 0 {
			s.count(commands.RoundMissed)
			return s.Store.MarkClaimedRoundMissed(ctx, r.ID)
		}
		return s.Store.MarkRoundPosted(ctx, r.ID)
	}
	c, err := s.Store.Collective(ctx, r.CollectiveID)
	if err != nil {
		return err
	}
	var since time.Time
	if prev, err := s.Store.LatestRound(ctx, c.ID); err == nil && prev.ScheduledAt.Before(r.ScheduledAt) {
		since = prev.ScheduledAt
	} else if err != nil && commands.ErrorCode(err) != commands.ENOTFOUND {
		return err
	}
	cc, err := s.Handler.LoadCheckinContext(ctx, c, r.ScheduledAt, since)
	if err != nil {
		return err
	}
	chats, err := s.Store.CollectiveChats(ctx, c.ID)
	if err != nil {
		return err
	}
	var msgs []commands.Message
	for _, chat := range chats {
		msgs = append(msgs, s.Handler.CheckinMessage(cc, chat, s.Runtime.readsReplies(chat.Ref.Platform)))
	}
	sent, retry, err := s.deliverOnce(ctx, owner, r.ID, msgs)
	if err != nil {
		return err
	}
	if retry > 0 {
		return nil // still claimed: a later tick tries the pending chats again
	}
	if err := s.Store.MarkRoundPosted(context.WithoutCancel(ctx), r.ID); err != nil {
		return err
	}
	// Log and count only where the work was done, not in a process that
	// found the chats already reached by another.
	if sent > 0 || len(msgs) == 0 {
		s.count(commands.RoundPosted)
		s.logger().Info("check-in round posted", "collective", c.ID, "scheduled", r.ScheduledAt, "chats", sent)
	}
	return nil
}

// deliverOnce sends each message unless its chat was reached (or is being
// reached) for this owner before, and returns how many it sent and how many
// chats are pending: failed with retries left or, while no chat at all was
// reached, of a platform without an adapter in this process. A pending owner
// stays claimed, so a later tick or another process with the adapter (the
// bot, while someone runs the console on its database) finishes it; after
// the catch-up window it is settled as it stands. Once some chat was
// reached, chats of a platform nobody runs do not hold the round back.
func (s *Scheduler) deliverOnce(ctx context.Context, owner string, roundID int64, msgs []commands.Message) (sent, pending int, err error) {
	for _, m := range msgs {
		if s.Runtime.sender(m.Chat.Platform) == nil {
			s.logger().Debug("no adapter for scheduled message", "kind", m.Kind, "chat", m.Chat.String())
			pending++
			continue
		}
		ok, err := s.Store.BeginDelivery(ctx, owner, roundID, m.Chat, MaxDeliveryFailures)
		if err != nil {
			return sent, 0, err
		}
		if !ok {
			continue
		}
		out, derr := s.Runtime.Deliver(ctx, m)
		id := ""
		if len(out) > 0 {
			id = out[0].MessageID
			sent++
		}
		if derr != nil {
			s.logger().Error("scheduled delivery failed", "kind", m.Kind, "chat", m.Chat.String(), "err", derr)
			if roundID != 0 {
				s.count("failed")
			}
		}
		// Record the outcome even when ctx was cancelled mid-send: the
		// message may be out, and the row is what prevents a second one.
		if err := s.Store.FinishDelivery(context.WithoutCancel(ctx), owner, m.Chat, id, derr != nil && len(out) == 0); err != nil {
			return sent, 0, err
		}
	}
	begun, retryable, err := s.Store.DeliveryCounts(ctx, owner, MaxDeliveryFailures)
	if begun > 0 {
		pending = 0
	}
	return sent, pending + retryable, err
}

// resume finishes rounds and sends left claimed by a crash (or being handled
// by another process right now; the per-chat delivery rows keep that safe).
func (s *Scheduler) resume(ctx context.Context, now time.Time) error {
	rounds, err := s.Store.ClaimedRounds(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for i := range rounds {
		if err := s.finishRound(ctx, now, &rounds[i]); err != nil {
			errs = append(errs, err)
		}
	}
	sends, err := s.Store.ClaimedSends(ctx)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	for _, send := range sends {
		if err := s.finishSend(ctx, now, send); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// runNudges sends one reminder for a collective's latest round when nobody
// answered it after NudgeAfter, unless the collective is paused or a later
// round exists.
func (s *Scheduler) runNudges(ctx context.Context, now time.Time, sums []commands.CollectiveSummary, marks map[int64]commands.RoundMark, recorded map[int64]bool) error {
	after := orDefault(s.NudgeAfter, DefaultNudgeAfter)
	var errs []error
	for _, c := range sums {
		if c.PausedUntil.After(now) {
			continue
		}
		m := marks[c.ID]
		r := m.Posted
		if recorded[c.ID] {
			// A round of this tick: marks was read before it.
			var err error
			r, err = s.Store.LatestRound(ctx, c.ID)
			if commands.ErrorCode(err) == commands.ENOTFOUND {
				continue
			} else if err != nil {
				errs = append(errs, err)
				continue
			}
		} else if r != nil && (m.Settled || m.Last.After(r.ScheduledAt)) {
			// Answered, reminded or followed by a later round when the
			// tick began, which stays so: from NudgeAfter until the next
			// round every tick asked each collective again (three reads
			// each, 30,000 a minute at 10,000 collectives).
			continue
		}
		if r == nil {
			continue
		}
		due := r.ScheduledAt.Add(after)
		if now.Before(due) {
			continue
		}
		key := commands.NudgeKey(c.ID, r.ID)
		if done, err := s.sendDone(ctx, key); done {
			errs = append(errs, err) // nil is dropped by Join
			continue
		}
		// Checked before claiming too: a claim is a write, and most
		// rounds are answered.
		if wanted, err := s.nudgeWanted(ctx, now, &c.Collective, r); !wanted {
			errs = append(errs, err)
			continue
		}
		errs = append(errs, s.claimSend(ctx, now, commands.Send{Key: key, Kind: commands.SendNudge, ScheduledAt: due}))
	}
	return errors.Join(errs...)
}

// nudgeWanted reports whether round r of collective c still calls for its
// nudge at now: c is not paused, no later round exists (missed or paused
// ones count: they make r old news) and nobody answered r. runNudges asks
// before claiming, finishSend again before sending, as a claimed nudge may
// be resumed after a crash, when the group may have answered meanwhile.
func (s *Scheduler) nudgeWanted(ctx context.Context, now time.Time, c *commands.Collective, r *commands.Round) (bool, error) {
	if c.PausedUntil.After(now) {
		return false, nil
	}
	last, err := s.Store.LastRoundAt(ctx, c.ID)
	if err != nil || last.After(r.ScheduledAt) {
		return false, err
	}
	answers, err := s.Store.CheckinAnswers(ctx, r.ID)
	return err == nil && len(answers) == 0, err
}

// keyIDs reads the numbers after the kind in a send key ("nudge:3:12").
func keyIDs(key string) []int64 {
	parts := strings.Split(key, ":")
	var ids []int64
	for _, p := range parts[1:] {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return nil
		}
		ids = append(ids, n)
	}
	return ids
}
