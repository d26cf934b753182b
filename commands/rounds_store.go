package commands

import (
	"fmt"
	"time"
)

// Kinds of one-off scheduled sends (see bot.SchedulerStore.ClaimSend), also used
// as Message.Kind.
const (
	SendDigest          = "digest"
	SendNudge           = "nudge"
	SendAlertUnclaimed  = "alert-unclaimed"
	SendAlertUnanswered = "alert-unanswered"
	KindCheckin         = "checkin"
)

// NudgeKey is the send key of the reminder (nudge) of a collective's round.
func NudgeKey(collectiveID, roundID int64) string {
	return fmt.Sprintf("%s:%d:%d", SendNudge, collectiveID, roundID)
}

// Delivery states of one scheduled message to one chat.
const (
	DeliverySending = "sending" // claimed; if it stays so, a crash hit mid-send
	DeliverySent    = "sent"
	DeliveryFailed  = "failed" // the platform refused; retried a few times
)

// Send is a one-off scheduled message (a digest, a nudge, an alert), recorded
// so it goes out once, also across restarts and processes.
type Send struct {
	Key         string // unique, e.g. "nudge:12", "alert-unclaimed:7", "digest:2026-11-27T15:00:00Z"
	Kind        string
	ScheduledAt time.Time
	Status      string // RoundClaimed, RoundPosted (sent) or RoundMissed
}
