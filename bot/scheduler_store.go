package bot

import (
	"context"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// SchedulerStore is what the scheduler needs beyond commands.Store; it
// belongs here, beside its only user (storage.DB implements it). Its locks are
// rows with unique keys, so two processes on one database never both send.
type SchedulerStore interface {
	commands.Store

	// LastRoundAt returns the scheduled time of the collective's latest
	// round of any status; zero when it has none.
	LastRoundAt(ctx context.Context, collectiveID int64) (time.Time, error)
	// RoundMarks returns LastRoundAt and LatestRound of every collective
	// that has rounds, in one read: the tick asks it of every collective.
	// For a latest posted round scheduled at or before settledBy it also
	// says whether it is settled (answered or reminded; see RoundMark).
	RoundMarks(ctx context.Context, settledBy time.Time) (map[int64]commands.RoundMark, error)
	// Rounds returns the collective's rounds scheduled in [from, to), oldest first.
	Rounds(ctx context.Context, collectiveID int64, from, to time.Time) ([]commands.Round, error)
	// ClaimedRounds returns the rounds claimed but neither posted nor missed
	// (another process is posting them, or one crashed doing so), oldest first.
	ClaimedRounds(ctx context.Context) ([]commands.Round, error)
	// MarkClaimedRoundMissed turns a claimed round into a missed one.
	MarkClaimedRoundMissed(ctx context.Context, roundID int64) error
	// RoundByMessage returns the round whose check-in was that message.
	// Returns ENOTFOUND if the message was not a check-in.
	RoundByMessage(ctx context.Context, chat commands.ChatRef, messageID string) (*commands.Round, error)

	// ClaimSend records a one-off send as claimed. claimed is false if it
	// exists already; status is then its current status.
	ClaimSend(ctx context.Context, key, kind string, scheduledAt time.Time) (claimed bool, status string, err error)
	// SendStatus returns the status of a send, "" when it was never claimed.
	SendStatus(ctx context.Context, key string) (string, error)
	// FinishSend sets a claimed send's status to commands.RoundPosted or commands.RoundMissed.
	FinishSend(ctx context.Context, key, status string) error
	// ClaimedSends returns the sends claimed but not finished, oldest first.
	ClaimedSends(ctx context.Context) ([]commands.Send, error)
	// LastSendAt returns the scheduled time of the latest send of the kind; zero when none.
	LastSendAt(ctx context.Context, kind string) (time.Time, error)

	// BeginDelivery claims the delivery of owner's message (a round "round:ID"
	// or a send key) to one chat. ok is false when it was sent, is being sent
	// or failed maxFailures times already; only the caller that gets true sends.
	BeginDelivery(ctx context.Context, owner string, roundID int64, chat commands.ChatRef, maxFailures int) (ok bool, err error)
	// FinishDelivery records the outcome of a delivery begun with BeginDelivery.
	FinishDelivery(ctx context.Context, owner string, chat commands.ChatRef, messageID string, failed bool) error
	// DeliveryCounts counts owner's deliveries: begun at all, and failed
	// ones that may still be retried (fewer than maxFailures failures).
	DeliveryCounts(ctx context.Context, owner string, maxFailures int) (begun, retryable int, err error)
	// DoneDeliveries returns the chats BeginDelivery would refuse for
	// owner (reached, being sent to, or failed maxFailures times), in one
	// read.
	DoneDeliveries(ctx context.Context, owner string, maxFailures int) (map[commands.ChatRef]bool, error)

	// MeetingInfo returns the meeting without its answers. Returns
	// ENOTFOUND.
	MeetingInfo(ctx context.Context, number int64) (*commands.Meeting, error)
}
