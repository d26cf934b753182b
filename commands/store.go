package commands

import (
	"context"
	"time"
)

// Chat kinds. An unlinked chat has Kind "".
const (
	ChatCollective = "collective"
	ChatStaff      = "staff"
	// ChatPrivate and ChatExpert are a person's one-to-one chat with the
	// bot (Request.PrivateChat), an expert's when it is the chat their
	// invite was redeemed in. They are not stored as chats: the Handler
	// gives a private chat its kind when a command arrives.
	ChatPrivate = "private"
	ChatExpert  = "expert"
)

// Help request states, in the order a request normally moves through them.
const (
	StatusOpen     = "open"
	StatusClaimed  = "claimed"
	StatusAnswered = "answered"
	StatusResolved = "resolved"
)

// Check-in round states.
const (
	RoundClaimed = "claimed" // claimed for posting; posting may not have finished
	RoundPosted  = "posted"
	RoundMissed  = "missed" // fell due while the bot was down too long; not posted
)

// ErasedAuthor replaces the author of kept records after /vergeetmij.
const ErasedAuthor = "verwijderd"

// Collective is a resident collective in the programme.
type Collective struct {
	ID          int64
	Name        string
	Code        string    // link code, 8 characters from CodeAlphabet
	Schedule    string    // check-in schedule; "" means the programme default
	PausedUntil time.Time // zero when not paused; check-ins resume on this date
	CreatedAt   time.Time
}

// Chat is a chat the bot knows: a collective's group, a staff chat, or an
// unlinked chat (Kind "").
type Chat struct {
	Ref          ChatRef
	Title        string
	Kind         string
	CollectiveID int64 // set when Kind is ChatCollective
	Lang         Lang  // "" means the programme default
	Active       bool  // false after the bot was removed from the chat
	ExpertID     int64 // set when Kind is ChatExpert
	// Owner is the user id of the person whose one-to-one chat with the
	// bot this is, recorded where the chat's id is not theirs (a Discord
	// DM, the console's prive: chat): /vergeetmij deletes the chat by it.
	// "" for every other chat, and for a stored DM whose owner is not
	// known yet (one whose language was set before migration 082).
	Owner string
	// Stored says the store keeps a row for the chat (a link, a title, a
	// language); false for a chat it never kept.
	Stored bool
}

// Entry is one logged piece of progress or a milestone.
type Entry struct {
	ID           int64
	CollectiveID int64
	Text         string
	Themes       []string // from #words, lower-case, without '#'
	Milestone    bool
	Author       string // display name; ErasedAuthor after /vergeetmij
	Source       string // platform the entry came from
	CreatedAt    time.Time
}

// HelpRequest is a request for expert help, numbered across the programme.
type HelpRequest struct {
	Number         int64
	CollectiveID   int64
	CollectiveName string
	Expertise      string
	Question       string
	Status         string
	AskedBy        string
	ClaimedBy      string // "" when unclaimed
	Feedback       string // "", "ja" or "nee" (the collective's verdict)
	CreatedAt      time.Time
	ClaimedAt      time.Time
	AnsweredAt     time.Time
	ResolvedAt     time.Time
	Answers        []Answer

	// OfferedTo names the experts the request was offered to, in the order
	// offered (set by Request, not by lists).
	OfferedTo []string
	// ClaimedByExpert is the expert who took it, 0 when staff did (or
	// nobody): the capacity the collective is told about.
	ClaimedByExpert int64
}

// Answer is an answer to a help request, by staff or an expert.
type Answer struct {
	Text      string
	Author    string
	CreatedAt time.Time
	ExpertID  int64 // the expert who wrote it, 0 for staff
	// Number and CollectiveName say which request it answers; they are
	// filled where the answer is listed apart from its request
	// (PersonalData).
	Number         int64
	CollectiveName string
}

// Element is one slider of a collective's mengpaneel.
type Element struct {
	ID           int64
	CollectiveID int64 // 0 for the programme's default elements
	Name         string
	Description  string
	Value        int
	IsSet        bool // false until the collective first positions it
	UpdatedAt    time.Time
}

// SliderChange records one move of a slider: who, when, why, and from what.
type SliderChange struct {
	ID           int64
	CollectiveID int64
	ElementID    int64
	ElementName  string
	Value        int
	Previous     int
	HadPrevious  bool
	Who          string
	Why          string
	At           time.Time
}

// Round is one check-in round of a collective, identified by its scheduled time.
type Round struct {
	ID           int64
	CollectiveID int64
	ScheduledAt  time.Time
	Status       string
	PostedAt     time.Time
}

// CheckinAnswer is one member's answer to a check-in round.
type CheckinAnswer struct {
	RoundID   int64
	Text      string
	Author    string
	CreatedAt time.Time
}

// CollectiveSummary is a line of /collectieven.
type CollectiveSummary struct {
	Collective
	Chats        []Chat
	LastActivity time.Time // zero when nothing happened yet
}

// PersonalData is everything stored about one person, for /mijngegevens.
// Storage's list of personal columns (storage.Personal) names, for each
// column, the field of the /mijngegevens file that shows it.
type PersonalData struct {
	Platform, UserID, Name  string
	KnownSince, NameUpdated time.Time // zero for an unknown person
	// PrivateChat is the person's own chat with the bot as stored (its
	// title and language); nil when none is.
	PrivateChat             *Chat
	Entries                 []Entry
	HelpRequests            []HelpRequest // asked by the person
	Claimed                 []HelpRequest // taken by the person as staff
	Answers                 []Answer      // written by the person as staff, with Number and CollectiveName
	SliderChanges           []SliderChange
	CheckinAnswers          []CheckinAnswer
	InvitedExperts          []InvitedExpert // experts the person invited as staff
	Lessons                 []Lesson        // written by the person
	SparAsked, SparAnswered []Invitation    // sparring invitations the person made or answered
	Meetings                []Meeting       // created by the person as staff (RSVPs not filled)
	RSVPs                   []RSVP          // the person's answers to meetings
}

// InvitedExpert is an expert a staff member invited (/expert): the
// expert's name, the staff member's name as stored with it, and when.
type InvitedExpert struct {
	Expert, By string
	At         time.Time
}

// Every write below takes the event id of the chat event that caused it (see
// Request.EventID) and records it in the same transaction. A write whose
// event was already recorded changes nothing and returns ErrDuplicate. An
// empty event id is not recorded. The user passed as "by" is created or
// renamed as needed.

// ChatStore keeps chats and their links.
type ChatStore interface {
	// Chat returns the chat; an unknown chat is returned with Kind "" and no error.
	Chat(ctx context.Context, ref ChatRef) (*Chat, error)
	// LinkChat links the chat to the collective with the code.
	// Returns ENOTFOUND for an unknown code, ECONFLICT for a staff chat.
	LinkChat(ctx context.Context, ev string, ref ChatRef, title, code string, by UserRef) (*Collective, error)
	// UnlinkChat takes the chat's link to its collective away; the chat is
	// kept, as an unlinked chat. Returns ENOTFOUND if it is not linked.
	UnlinkChat(ctx context.Context, ev string, ref ChatRef, by UserRef) error
	// AddStaffChat makes the chat a staff chat.
	// Returns ECONFLICT if the chat is linked to a collective.
	AddStaffChat(ctx context.Context, ev string, ref ChatRef, title string, by UserRef) error
	// StaffChats returns the active staff chats.
	StaffChats(ctx context.Context) ([]Chat, error)
	// CollectiveChats returns the collective's active chats.
	CollectiveChats(ctx context.Context, collectiveID int64) ([]Chat, error)
	// SetChatLang sets the chat's language.
	SetChatLang(ctx context.Context, ev string, ref ChatRef, lang Lang) error
	// SetPrivateChatLang sets the language of the owner's one-to-one chat
	// with the bot (Request.PrivateChat) and records it as theirs, so that
	// /mijngegevens shows it and /vergeetmij erases it.
	SetPrivateChatLang(ctx context.Context, ev string, ref ChatRef, lang Lang, owner UserRef) error
	// SetPrivateChatOwner records owner as the person whose one-to-one chat
	// with the bot the stored chat is, if it has no owner yet; a chat it
	// does not keep, or whose id is the owner's own, is left alone.
	SetPrivateChatOwner(ctx context.Context, ref ChatRef, owner UserRef) error
}

// CollectiveStore keeps collectives.
type CollectiveStore interface {
	// CreateCollective stores c (ID and CreatedAt are set).
	// Returns ECONFLICT if the name (case-insensitively) or code is taken.
	CreateCollective(ctx context.Context, ev string, c *Collective, by UserRef) error
	// Collective returns the collective. Returns ENOTFOUND if it does not exist.
	Collective(ctx context.Context, id int64) (*Collective, error)
	// CollectiveByName finds a collective case-insensitively.
	// Returns ENOTFOUND if none has that name.
	CollectiveByName(ctx context.Context, name string) (*Collective, error)
	// Collectives returns every collective with its chats and last activity, by name.
	Collectives(ctx context.Context) ([]CollectiveSummary, error)
	// CollectiveNames returns the names of at most limit collectives for
	// autocompleting partial (compared as NormalizeName compares): the
	// names that start with it, then those with a later word that starts
	// with it, then (3 characters or more) those that contain it
	// elsewhere, each by name, no name twice. except (0 for none) is left
	// out. It reads about what it returns, never every collective.
	CollectiveNames(ctx context.Context, partial string, except int64, limit int) ([]string, error)
	// RenewCode gives the collective a new link code; the old one stops
	// working, linked chats stay linked. Returns ENOTFOUND if the
	// collective does not exist, ECONFLICT if another has the code.
	RenewCode(ctx context.Context, ev string, collectiveID int64, code string, by UserRef) error
	// SetSchedule sets the check-in schedule ("" for the default).
	// Returns ENOTFOUND if the collective does not exist.
	SetSchedule(ctx context.Context, ev string, collectiveID int64, schedule string, by UserRef) error
	// SetPause pauses check-ins until the date (zero time ends a pause).
	SetPause(ctx context.Context, ev string, collectiveID int64, until time.Time, by UserRef) error
}

// ProgressStore keeps progress entries.
type ProgressStore interface {
	// AddEntry stores e (ID and CreatedAt are set).
	AddEntry(ctx context.Context, ev string, e *Entry, by UserRef) error
	// Entries returns the collective's latest entries, newest first.
	Entries(ctx context.Context, collectiveID int64, limit int) ([]Entry, error)
}

// HelpStore keeps help requests. State changes are checked and applied in one
// transaction, so two staff pressing a button at once cannot both succeed.
type HelpStore interface {
	// CreateRequest stores r with the next programme-wide number (Number,
	// Status, CreatedAt are set). With maxWaiting > 0 it refuses with
	// ErrTooManyWaiting, storing nothing, when the collective already has
	// that many requests without an answer: counted in the same
	// transaction as the insert, so concurrent requests cannot pass it
	// together.
	CreateRequest(ctx context.Context, ev string, r *HelpRequest, by UserRef, maxWaiting int) error
	// Request returns the request with its answers. Returns ENOTFOUND.
	Request(ctx context.Context, number int64) (*HelpRequest, error)
	// Requests returns the collective's requests, newest first.
	Requests(ctx context.Context, collectiveID int64) ([]HelpRequest, error)
	// OpenRequests returns every unresolved request, oldest first.
	OpenRequests(ctx context.Context) ([]HelpRequest, error)
	// ClaimRequest assigns the request to by. Returns ENOTFOUND, or ECONFLICT
	// if it is resolved or claimed by someone else (claiming twice is fine).
	ClaimRequest(ctx context.Context, ev string, number int64, by UserRef) (*HelpRequest, error)
	// AnswerRequest adds an answer and marks the request answered (claiming it
	// for by when unclaimed). Returns ENOTFOUND, or ECONFLICT if resolved.
	AnswerRequest(ctx context.Context, ev string, number int64, text string, by UserRef) (*HelpRequest, error)
	// ResolveRequest closes the request. Returns ENOTFOUND, or ECONFLICT if
	// it was already resolved.
	ResolveRequest(ctx context.Context, ev string, number int64, by UserRef) (*HelpRequest, error)
	// SetFeedback stores the collective's verdict ("ja"/"nee") on a resolved
	// request of that collective. Returns ENOTFOUND, or ECONFLICT if a verdict
	// was already given.
	SetFeedback(ctx context.Context, ev string, collectiveID, number int64, verdict string, by UserRef) error
}

// PanelStore keeps mengpaneel elements and slider history.
type PanelStore interface {
	// Panel returns the collective's elements (defaults first, then its own,
	// each in the order added) with their current values.
	Panel(ctx context.Context, collectiveID int64) ([]Element, error)
	// AddElement adds an element of the collective's own.
	// Returns ECONFLICT if an element with that name exists (case- and accent-insensitively).
	AddElement(ctx context.Context, ev string, collectiveID int64, name, description string, by UserRef) (*Element, error)
	// SetSlider moves a slider and records the change.
	// Returns ENOTFOUND if the element is not on the collective's panel.
	SetSlider(ctx context.Context, ev string, collectiveID, elementID int64, value int, why string, by UserRef) (*SliderChange, error)
	// SliderChanges returns the collective's slider changes since a time,
	// oldest first; elementID 0 means every element.
	SliderChanges(ctx context.Context, collectiveID, elementID int64, since time.Time) ([]SliderChange, error)
}

// CheckinStore keeps check-in rounds and their answers.
type CheckinStore interface {
	// ClaimRound records the round as claimed for posting. claimed is false
	// if the round already exists (another process or an earlier run has it).
	ClaimRound(ctx context.Context, collectiveID int64, scheduledAt time.Time) (r *Round, claimed bool, err error)
	// MarkRoundPosted marks a claimed round as posted.
	MarkRoundPosted(ctx context.Context, roundID int64) error
	// MarkRoundMissed records a round that is too late to post.
	MarkRoundMissed(ctx context.Context, collectiveID int64, scheduledAt time.Time) error
	// LatestRound returns the collective's latest posted round.
	// Returns ENOTFOUND if none was posted yet.
	LatestRound(ctx context.Context, collectiveID int64) (*Round, error)
	// AddCheckinAnswer stores an answer to the round.
	AddCheckinAnswer(ctx context.Context, ev string, roundID int64, text string, by UserRef) error
	// CheckinAnswers returns the answers to a round, oldest first.
	CheckinAnswers(ctx context.Context, roundID int64) ([]CheckinAnswer, error)
	// PostedRounds returns, for every collective that has one, the latest
	// round posted with a scheduled time in [from, to), with its number of
	// answers; in no particular order.
	PostedRounds(ctx context.Context, from, to time.Time) ([]RoundTally, error)
}

// RoundMark is where a collective's check-ins stand, as the scheduler's
// tick reads them for every collective at once.
type RoundMark struct {
	Last   time.Time // the scheduled time of the latest round of any status
	Posted *Round    // the latest posted round, nil when none
	// Settled says that Posted, scheduled at or before the time RoundMarks
	// was asked about, needs no reminder any more: it has an answer or its
	// reminder (NudgeKey) was claimed. False for a round posted later (not
	// asked), and false does not mean a reminder is wanted: the scheduler
	// asks again before it claims one.
	Settled bool
}

// RoundTally is a posted round and how many answered it.
type RoundTally struct {
	Round
	Answers int
}

// PrivacyStore serves the AVG rights.
type PrivacyStore interface {
	// PersonalData returns everything stored about the person.
	PersonalData(ctx context.Context, user UserRef) (*PersonalData, error)
	// ForgetPerson erases the person's name and ids; records the collective
	// needs are kept with ErasedAuthor as author.
	ForgetPerson(ctx context.Context, ev string, user UserRef) error
}

// Store is everything the commands need from storage.
type Store interface {
	ChatStore
	CollectiveStore
	ProgressStore
	HelpStore
	PanelStore
	CheckinStore
	PrivacyStore
	ExpertStore
	LessonStore
	SparringStore
	MeetingStore
	WebStore
	// EventSeen reports whether a write for the event was already stored.
	EventSeen(ctx context.Context, ev string) (bool, error)
	// EventsSeen returns those of evs whose write was already stored: the
	// events of a platform's batch looked up at once.
	EventsSeen(ctx context.Context, evs []string) (map[string]bool, error)
}
