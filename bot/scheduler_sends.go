package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/schedule"
)

// digestKey is the send key of the digest scheduled at t.
func digestKey(t time.Time) string {
	return commands.SendDigest + ":" + t.UTC().Format(time.RFC3339)
}

// runDigest posts the staff digest when its schedule falls due. The first
// digest a new database sees is one that fell due within the catch-up window.
func (s *Scheduler) runDigest(ctx context.Context, now time.Time) error {
	sched, err := s.digestSchedule()
	if err != nil {
		return err
	}
	catchUp := orDefault(s.CatchUp, DefaultCatchUp)
	last, err := s.Store.LastSendAt(ctx, commands.SendDigest)
	if err != nil {
		return err
	}
	if last.IsZero() {
		last = now.Add(-catchUp)
	}
	plan := sched.Plan(last, now, catchUp, time.Time{})
	for _, at := range plan.Missed {
		claimed, _, err := s.Store.ClaimSend(ctx, digestKey(at), commands.SendDigest, at)
		if err != nil {
			return err
		}
		if claimed {
			if err := s.Store.FinishSend(ctx, digestKey(at), commands.RoundMissed); err != nil {
				return err
			}
		}
	}
	if plan.Post.IsZero() {
		return nil
	}
	return s.claimSend(ctx, now, commands.Send{Key: digestKey(plan.Post), Kind: commands.SendDigest, ScheduledAt: plan.Post})
}

// digestSchedule is the staff digest's schedule (DigestSchedule, or
// commands.DefaultDigestSchedule when unset).
func (s *Scheduler) digestSchedule() (*schedule.Schedule, error) {
	spec := s.DigestSchedule
	if spec == "" {
		spec = commands.DefaultDigestSchedule
	}
	return schedule.Parse(spec, s.loc())
}

// sendDone reports whether key was claimed before (posted, missed or being
// sent). It is a read, so the frequent "already done" case of every tick
// costs no write (an fsync) per collective or request.
func (s *Scheduler) sendDone(ctx context.Context, key string) (bool, error) {
	status, err := s.Store.SendStatus(ctx, key)
	return err != nil || status != "", err
}

// claimSend claims send and, when this process got it, delivers it. Not
// claimed means another process or an earlier run has it.
func (s *Scheduler) claimSend(ctx context.Context, now time.Time, send commands.Send) error {
	claimed, _, err := s.Store.ClaimSend(ctx, send.Key, send.Kind, send.ScheduledAt)
	if err != nil || !claimed {
		return err
	}
	return s.finishSend(ctx, now, send)
}

// runAlerts raises, once each, help requests that wait too long: unclaimed
// for UnclaimedAlert, or claimed and unanswered for UnansweredAlert.
func (s *Scheduler) runAlerts(ctx context.Context, now time.Time) error {
	open, err := s.Store.OpenRequests(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, r := range open {
		var kind string
		var due time.Time
		switch {
		case r.Status == commands.StatusOpen:
			kind, due = commands.SendAlertUnclaimed, r.CreatedAt.Add(orDefault(s.UnclaimedAlert, DefaultUnclaimedAlert))
		case r.Status == commands.StatusClaimed && !r.ClaimedAt.IsZero():
			kind, due = commands.SendAlertUnanswered, r.ClaimedAt.Add(orDefault(s.UnansweredAlert, DefaultUnansweredAlert))
		default:
			continue
		}
		if now.Before(due) {
			continue
		}
		send := commands.Send{Key: fmt.Sprintf("%s:%d", kind, r.Number), Kind: kind, ScheduledAt: due}
		if done, err := s.sendDone(ctx, send.Key); done {
			errs = append(errs, err) // raised before (or being raised); nil is dropped by Join
			continue
		}
		errs = append(errs, s.claimSend(ctx, now, send))
	}
	return errors.Join(errs...)
}

// finishSend delivers a claimed send to the chats it has not reached and
// marks it posted; a send that became pointless (a newer round, a request
// taken meanwhile) or, for digests and nudges, too late is marked missed.
func (s *Scheduler) finishSend(ctx context.Context, now time.Time, send commands.Send) error {
	catchUp := orDefault(s.CatchUp, DefaultCatchUp)
	missed := func() error { return s.Store.FinishSend(ctx, send.Key, commands.RoundMissed) }
	var msgs []commands.Message
	switch send.Kind {
	case commands.SendCheckback, commands.SendMeetingReminder:
		return s.finishNetworkSend(ctx, now, send)
	case commands.SendDigest, commands.SendNudge:
		if now.Sub(send.ScheduledAt) >= catchUp {
			if begun, _, err := s.Store.DeliveryCounts(ctx, send.Key, MaxDeliveryFailures); err != nil {
				return err
			} else if begun == 0 {
				return missed()
			}
		}
	}
	switch send.Kind {
	case commands.SendDigest:
		d, err := s.loadDigest(ctx, send.ScheduledAt)
		if err != nil {
			return err
		}
		chats, err := s.Store.StaffChats(ctx)
		if err != nil {
			return err
		}
		for _, chat := range chats {
			msgs = append(msgs, s.Handler.DigestMessage(d, chat))
		}
	case commands.SendNudge:
		ids := keyIDs(send.Key)
		if len(ids) != 2 {
			return missed()
		}
		c, err := s.Store.Collective(ctx, ids[0])
		if err != nil {
			return err
		}
		r, err := s.Store.LatestRound(ctx, c.ID)
		if err != nil || r.ID != ids[1] {
			return missed()
		}
		if wanted, err := s.nudgeWanted(ctx, now, c, r); err != nil {
			return err
		} else if !wanted {
			return missed()
		}
		chats, err := s.Store.CollectiveChats(ctx, c.ID)
		if err != nil {
			return err
		}
		for _, chat := range chats {
			msgs = append(msgs, s.Handler.NudgeMessage(c, r, chat))
		}
	case commands.SendAlertUnclaimed, commands.SendAlertUnanswered:
		ids := keyIDs(send.Key)
		if len(ids) != 1 {
			return missed()
		}
		r, err := s.Store.Request(ctx, ids[0])
		if err != nil {
			return err
		}
		if (send.Kind == commands.SendAlertUnclaimed && r.Status != commands.StatusOpen) ||
			(send.Kind == commands.SendAlertUnanswered && r.Status != commands.StatusClaimed) {
			return missed()
		}
		chats, err := s.Store.StaffChats(ctx)
		if err != nil {
			return err
		}
		for _, chat := range chats {
			msgs = append(msgs, s.Handler.AlertMessage(r, send.Kind, now, chat))
		}
	default:
		return missed()
	}
	sent, retry, err := s.deliverOnce(ctx, send.Key, 0, msgs)
	if err != nil || retry > 0 {
		return err
	}
	if sent > 0 {
		s.logger().Info("scheduled message sent", "kind", send.Kind, "key", send.Key, "chats", sent)
	}
	return s.Store.FinishSend(context.WithoutCancel(ctx), send.Key, commands.RoundPosted)
}

// loadDigest gathers the digest scheduled at t: the period since the
// previous occurrence of the digest schedule (a week by default).
func (s *Scheduler) loadDigest(ctx context.Context, t time.Time) (*commands.Digest, error) {
	since := t.AddDate(0, 0, -7)
	if sched, err := s.digestSchedule(); err == nil {
		if next := sched.Next(t); !next.IsZero() {
			since = t.Add(-next.Sub(t))
		}
	}
	return s.Handler.LoadDigest(ctx, since, t)
}
