package commands

import (
	"context"
	"errors"
	"time"
)

// Experts from the programme's network (DESIGN.md "Experts"): domain types,
// the errors their store returns, and the ExpertStore contract.

// InviteTTL is how long an expert invite code can be redeemed.
const InviteTTL = 30 * 24 * time.Hour

// Expert is a person from the programme's network who answers help
// requests in their own private chat with the bot.
type Expert struct {
	ID         int64
	Name       string   // the invite's name: what collectives and staff read
	Expertises []string // from Expertises, in that order
	// User and Chat are set once the invite is redeemed: who the expert is
	// and the private chat offers go to. Chat.Platform is "" before.
	User        UserRef
	Chat        ChatRef
	AwayUntil   time.Time // zero when available; offers resume on this date
	Unreachable bool      // the private chat refused a message (blocked)
	Active      bool      // false after /expertweg or /vergeetmij
	CreatedAt   time.Time
	JoinedAt    time.Time // zero until the invite is redeemed
	EndedAt     time.Time
}

// Onboarded says whether the expert has redeemed the invite.
func (e *Expert) Onboarded() bool { return e.Chat.Platform != "" }

// Has says whether the expert has the expertise.
func (e *Expert) Has(expertise string) bool {
	for _, x := range e.Expertises {
		if x == expertise {
			return true
		}
	}
	return false
}

// Away says whether the expert takes no new requests at the time.
func (e *Expert) Away(at time.Time) bool {
	return !e.AwayUntil.IsZero() && at.Before(e.AwayUntil)
}

// ExpertStats is one line of /experts: the expert and what they did.
type ExpertStats struct {
	Expert
	Offered  int // requests offered
	Taken    int // requests claimed
	Answered int // requests with at least one answer of theirs
	// MedianFirstAnswer is the median time from being offered a request to
	// their first answer on it; zero when they answered none.
	MedianFirstAnswer time.Duration
	ThumbsUp          int // 👍 on requests they answered
	ThumbsDown        int // 👎 on requests they answered
}

// ExpertOffer is a request as an expert sees it in /mijnvragen: the
// request (the collective's name and the question, never more) and how it
// reached them.
type ExpertOffer struct {
	Request   HelpRequest
	OfferedAt time.Time
	Assigned  bool // staff offered it to this expert alone (/toewijzen)
	Taken     bool // this expert claimed it
}

// ExpertData is what /mijngegevens adds for a person who is or was an
// expert: the role itself and the requests offered to, taken and answered
// by them.
type ExpertData struct {
	Expert   Expert
	Offers   []ExpertOffer
	Answered []int64 // request numbers they answered
}

// Errors of ExpertStore. They carry a code and a developer's description
// (Err, for logs) but no user text: the handlers answer from the message
// catalogue in the user's language.
var (
	// ErrInviteUnknown: no invite has that code.
	ErrInviteUnknown = &Error{Code: ENOTFOUND, Err: errors.New("unknown invite code")}
	// ErrInviteUsed: the invite was redeemed before (single use).
	ErrInviteUsed = &Error{Code: ECONFLICT, Err: errors.New("invite code already used")}
	// ErrInviteExpired: the invite is older than InviteTTL.
	ErrInviteExpired = &Error{Code: ECONFLICT, Err: errors.New("invite code expired")}
	// ErrAlreadyExpert: the person is an active expert already.
	ErrAlreadyExpert = &Error{Code: ECONFLICT, Err: errors.New("already an expert")}
	// ErrExpertNameTaken: an active expert has that name.
	ErrExpertNameTaken = &Error{Code: ECONFLICT, Err: errors.New("expert name taken")}
	// ErrCodeTaken: the invite code is in use (retry with a fresh one).
	ErrCodeTaken = &Error{Code: ECONFLICT, Err: errors.New("invite code taken")}
	// ErrExpertNotFound: no such (active) expert.
	ErrExpertNotFound = &Error{Code: ENOTFOUND, Err: errors.New("expert not found")}
	// ErrNotOffered: the request was not offered to this expert.
	ErrNotOffered = &Error{Code: EFORBIDDEN, Err: errors.New("request not offered to this expert")}
	// ErrTakenByOther: someone else has claimed the request.
	ErrTakenByOther = &Error{Code: ECONFLICT, Err: errors.New("request claimed by someone else")}
	// ErrResolved: the request is resolved already.
	ErrResolved = &Error{Code: ECONFLICT, Err: errors.New("request resolved")}
)

// ExpertStore keeps experts, their invites and the help requests offered
// to them. Writes take an event id as the other stores do.
type ExpertStore interface {
	// CreateExpert stores e (ID, Active and CreatedAt are set) with an
	// invite code that can be redeemed once until expires.
	// Returns EINVALID for no name or no expertise, ErrExpertNameTaken,
	// ErrCodeTaken.
	CreateExpert(ctx context.Context, ev string, e *Expert, code string, expires time.Time, by UserRef) error
	// RedeemInvite makes by the expert of the invite, working in chat (their
	// private chat). Returns ErrInviteUnknown, ErrInviteUsed,
	// ErrInviteExpired, ErrAlreadyExpert, ErrExpertNotFound (the role was
	// ended before the invite was used).
	RedeemInvite(ctx context.Context, ev string, code string, chat ChatRef, by UserRef) (*Expert, error)
	// Expert returns the expert, also an ended one. Returns ErrExpertNotFound.
	Expert(ctx context.Context, id int64) (*Expert, error)
	// ExpertByUser returns the active expert the person is.
	// Returns ErrExpertNotFound.
	ExpertByUser(ctx context.Context, user UserRef) (*Expert, error)
	// ExpertByChat returns the active expert whose private chat it is.
	// Returns ErrExpertNotFound.
	ExpertByChat(ctx context.Context, chat ChatRef) (*Expert, error)
	// ExpertByName returns the active expert with the name (compared as
	// NormalizeName does). Returns ErrExpertNotFound.
	ExpertByName(ctx context.Context, name string) (*Expert, error)
	// Experts returns every active expert with their figures, by name.
	Experts(ctx context.Context) ([]ExpertStats, error)
	// AvailableExperts returns the active, onboarded, reachable experts with
	// the expertise who are not away at the time, by name.
	AvailableExperts(ctx context.Context, expertise string, at time.Time) ([]Expert, error)
	// OfferRequest records that the request is offered to the experts
	// (assigned: by /toewijzen). Offering again is fine and keeps the first
	// time. Returns ENOTFOUND for an unknown request, ErrExpertNotFound for
	// an expert that is not active, ErrResolved.
	OfferRequest(ctx context.Context, ev string, number int64, expertIDs []int64, assigned bool, by UserRef) error
	// OfferedExperts returns the experts the request was offered to, in
	// the order offered.
	OfferedExperts(ctx context.Context, number int64) ([]Expert, error)
	// ExpertOffers returns the requests offered to the expert, newest first.
	ExpertOffers(ctx context.Context, expertID int64) ([]ExpertOffer, error)
	// ClaimAsExpert assigns the request to the expert. The first claim wins:
	// one conditional UPDATE decides, across processes. Claiming again is
	// fine. Returns ENOTFOUND, ErrNotOffered, ErrTakenByOther, ErrResolved.
	ClaimAsExpert(ctx context.Context, ev string, number, expertID int64, by UserRef) (*HelpRequest, error)
	// AnswerAsExpert adds the expert's answer and marks the request
	// answered, claiming it first when unclaimed. Returns ENOTFOUND,
	// ErrNotOffered, ErrTakenByOther, ErrResolved.
	AnswerAsExpert(ctx context.Context, ev string, number, expertID int64, text string, by UserRef) (*HelpRequest, error)
	// ResolveAsExpert closes a request the expert has taken, claiming it
	// first when unclaimed. Returns ENOTFOUND, ErrNotOffered,
	// ErrTakenByOther (not theirs), ErrResolved.
	ResolveAsExpert(ctx context.Context, ev string, number, expertID int64, by UserRef) (*HelpRequest, error)
	// SetExpertAway stops offers until the date (zero: available again).
	// Returns ErrExpertNotFound.
	SetExpertAway(ctx context.Context, ev string, expertID int64, until time.Time, by UserRef) error
	// SetExpertReachable records whether the expert's private chat takes
	// messages. changed is false when it was already so, so the staff are
	// told once. Returns ErrExpertNotFound.
	SetExpertReachable(ctx context.Context, expertID int64, reachable bool) (changed bool, err error)
	// EndExpert ends the role (/expertweg); past answers keep the name.
	// Returns ErrExpertNotFound if the expert is not active.
	EndExpert(ctx context.Context, ev string, expertID int64, by UserRef) (*Expert, error)
	// ExpertData returns what is stored about the person as an expert, nil
	// when they never were one.
	ExpertData(ctx context.Context, user UserRef) (*ExpertData, error)
}
