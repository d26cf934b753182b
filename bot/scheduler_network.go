package bot

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// The network's scheduled messages (issue 13) use the claim pattern of the
// digest and alerts: a scheduler_sends row per message (its key is the
// lock), a delivery row per chat. So the check-back after an introduction
// and a meeting's reminder go out once per chat, across restarts and
// processes, and one that fell due while the bot was down goes out at the
// start-up run.

// runNetwork claims the check-backs and meeting reminders that are due.
func (s *Scheduler) runNetwork(ctx context.Context, now time.Time) error {
	var errs []error
	due, err := s.Store.CheckbacksDue(ctx, now.Add(-commands.CheckbackAfter))
	if err != nil {
		errs = append(errs, err)
	}
	for _, inv := range due {
		errs = append(errs, s.claimSend(ctx, now, commands.Send{
			Key: commands.CheckbackKey(inv.ID), Kind: commands.SendCheckback, ScheduledAt: inv.AnsweredAt.Add(commands.CheckbackAfter)}))
	}
	// A meeting is due for its reminder from ReminderBefore its start, or
	// at once when it was created later than that, until it starts. Only
	// those meetings are read, without their answers, and only those whose
	// reminder nobody claimed yet (a claimed one is resume's): every minute,
	// past meetings and those far ahead cost nothing.
	meetings, err := s.Store.MeetingRemindersDue(ctx, now, now.Add(commands.ReminderBefore))
	if err != nil {
		errs = append(errs, err)
	}
	for _, m := range meetings {
		errs = append(errs, s.claimSend(ctx, now, commands.Send{Key: commands.MeetingReminderKey(m.Number),
			Kind: commands.SendMeetingReminder, ScheduledAt: m.StartsAt.Add(-commands.ReminderBefore)}))
	}
	return errors.Join(errs...)
}

// finishNetworkSend delivers a claimed check-back or reminder.
//
// A check-back goes to the chats of both collectives and is then posted.
// A reminder goes to every chat with a "ja" or "misschien" and stays
// claimed until the meeting starts: resume (every tick) then reaches a
// chat that answers yes later, for instance to a meeting created less
// than a day ahead, while the delivery rows keep it to once per chat.
func (s *Scheduler) finishNetworkSend(ctx context.Context, now time.Time, send commands.Send) error {
	ids := keyIDs(send.Key)
	if len(ids) != 1 {
		return s.Store.FinishSend(ctx, send.Key, commands.RoundMissed)
	}
	var msgs []commands.Message
	switch send.Kind {
	case commands.SendCheckback:
		inv, err := s.Store.Invitation(ctx, ids[0])
		if err != nil {
			return err
		}
		if inv.Status != commands.InvitationAccepted {
			return s.Store.FinishSend(ctx, send.Key, commands.RoundMissed)
		}
		for _, id := range []int64{inv.FromID, inv.ToID} {
			chats, err := s.Store.CollectiveChats(ctx, id)
			if err != nil {
				return err
			}
			for _, chat := range chats {
				msgs = append(msgs, s.Handler.CheckbackMessage(inv, chat))
			}
		}
	case commands.SendMeetingReminder:
		// Every minute of the day before the meeting: the meeting's
		// answers are read, and deliveries begun (a write each), only
		// when a chat is still waiting for its reminder.
		m, err := s.Store.MeetingInfo(ctx, ids[0])
		if err != nil {
			return err
		}
		if !now.Before(m.StartsAt) {
			begun, _, err := s.Store.DeliveryCounts(ctx, send.Key, MaxDeliveryFailures)
			if err != nil {
				return err
			}
			status := commands.RoundPosted
			if begun == 0 {
				status = commands.RoundMissed // down from a day before until the start
			}
			return s.Store.FinishSend(ctx, send.Key, status)
		}
		chats, err := s.Store.ReminderChats(ctx, m.Number)
		if err != nil {
			return err
		}
		done, err := s.Store.DoneDeliveries(ctx, send.Key, MaxDeliveryFailures)
		if err != nil {
			return err
		}
		chats = slices.DeleteFunc(chats, func(c commands.Chat) bool { return done[c.Ref] })
		if len(chats) == 0 {
			return nil // stays claimed: see above
		}
		if m, err = s.Store.Meeting(ctx, m.Number); err != nil { // with the answers the reminders name
			return err
		}
		for _, chat := range chats {
			msgs = append(msgs, s.Handler.MeetingReminderMessage(m, chat))
		}
	}
	sent, retry, err := s.deliverOnce(ctx, send.Key, 0, msgs)
	if err != nil {
		return err
	}
	if sent > 0 {
		s.logger().Info("scheduled message sent", "kind", send.Kind, "key", send.Key, "chats", sent)
	}
	if send.Kind == commands.SendMeetingReminder || retry > 0 {
		return nil // stays claimed: see above
	}
	return s.Store.FinishSend(context.WithoutCancel(ctx), send.Key, commands.RoundPosted)
}
