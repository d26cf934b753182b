package commands

import (
	"context"
	"fmt"
	"time"
)

// The programme's network (DESIGN.md "Lessons", "Sparring", "Meetings"):
// domain types and the store interfaces the commands, the scheduler and
// the web pages use.

// Sharing states of a lesson. A new lesson stays with the programme team
// until someone in its collective chooses.
const (
	SharingPending = "pending" // nobody chose yet: the programme team only
	SharingNetwork = "network" // shared with the network (and the public pages)
	SharingTeam    = "team"    // chosen: the programme team only
)

// Lesson is a lesson a collective learned, numbered L1, L2, … programme-wide.
type Lesson struct {
	Number         int64
	CollectiveID   int64
	CollectiveName string
	Text           string
	Themes         []string // from #words, lower-case, without '#'
	Sharing        string   // SharingPending, SharingNetwork or SharingTeam
	Author         string   // display name; ErasedAuthor after /vergeetmij
	Source         string   // platform the lesson came from
	CreatedAt      time.Time
	SharingAt      time.Time // when the sharing choice was last made; zero while pending
	// Excerpt is set by a search: a short piece of the text around the
	// match ("…" where it was cut).
	Excerpt string
}

// Shared reports whether the network (and the public) may read the lesson.
func (l *Lesson) Shared() bool { return l.Sharing == SharingNetwork }

// LessonScope says which lessons a reader may see.
type LessonScope int

// Lesson scopes, from narrow to wide.
const (
	// LessonsShared are the lessons shared with the network: what another
	// collective, the public pages and the feed see.
	LessonsShared LessonScope = iota
	// LessonsSharedAndOwn are the shared lessons plus every lesson of
	// LessonFilter.CollectiveID, shared or not (a collective's /lessen).
	LessonsSharedAndOwn
	// LessonsAll is every lesson (the programme team); with a
	// LessonFilter.CollectiveID only that collective's.
	LessonsAll
)

// LessonFilter selects lessons for LessonStore.Lessons.
type LessonFilter struct {
	Scope        LessonScope
	CollectiveID int64
	// Query is what a user typed: words and #themes. Every word must occur
	// (as a word, case- and accent-insensitively); results are ranked by
	// relevance. Empty lists newest first. Any text is safe here.
	Query string
	// Since, when set, keeps lessons recorded at or after it (the digest).
	Since time.Time
	// Limit caps the result; 0 means no cap.
	Limit int
	// Offset skips that many of the result first (a page of a listing).
	Offset int
}

// LessonStore keeps lessons. Sharing is per lesson; only its own collective
// changes it.
type LessonStore interface {
	// AddLesson stores l with the next programme-wide number (Number,
	// Sharing (pending), Author and CreatedAt are set).
	// Returns ENOTFOUND if the collective does not exist.
	AddLesson(ctx context.Context, ev string, l *Lesson, by UserRef) error
	// Lesson returns the lesson. Returns ENOTFOUND.
	Lesson(ctx context.Context, number int64) (*Lesson, error)
	// SetLessonSharing sets a lesson of the collective to SharingNetwork or
	// SharingTeam. Returns ENOTFOUND if the collective has no such lesson
	// (also when it is another collective's), EINVALID for another state.
	SetLessonSharing(ctx context.Context, ev string, collectiveID, number int64, sharing string, by UserRef) (*Lesson, error)
	// Lessons returns the lessons the filter selects: ranked by relevance
	// when it has a query, else newest first.
	Lessons(ctx context.Context, f LessonFilter) ([]Lesson, error)
}

// Sparring invitation states.
const (
	InvitationOpen     = "open"
	InvitationAccepted = "accepted"
	InvitationDeclined = "declined"
	InvitationExpired  = "expired"
)

// Answers to the check-back after an introduction.
const (
	TalkedYes = "ja"
	TalkedNo  = "nog niet"
)

// InvitationTTL is how long a sparring invitation stays open.
const InvitationTTL = 14 * 24 * time.Hour

// CheckbackAfter is how long after an introduction both chats are asked
// whether they spoke.
const CheckbackAfter = 14 * 24 * time.Hour

// Invitation is one collective's invitation to another to spar about a
// theme (double opt-in: nothing about the asker reaches the invited
// collective before it says yes).
type Invitation struct {
	ID       int64
	FromID   int64 // the asking collective
	FromName string
	ToID     int64 // the invited collective
	ToName   string
	Theme    string
	Status   string // InvitationOpen, …Accepted, …Declined, …Expired
	// AskedBy and AnsweredBy are display names; the contacts say how to
	// reach them (a Telegram @username, a Discord mention; "" when the
	// platform gives none).
	AskedBy, AskedByContact       string
	AnsweredBy, AnsweredByContact string
	// Asker and Answerer are the people as their platform knows them
	// (Platform and ID; empty once erased), for mentions in introductions.
	Asker, Answerer UserRef
	CreatedAt       time.Time
	ExpiresAt       time.Time
	AnsweredAt      time.Time
	Talked          string // "", TalkedYes or TalkedNo (the check-back's answer)
}

// SparSuggestion is a collective with evidence of experience in a theme.
type SparSuggestion struct {
	Collective   Collective
	Entries      int // progress entries (not milestones) with the theme
	Milestones   int // milestones with the theme
	Lessons      int // shared lessons with the theme
	LastActivity time.Time
	Score        float64
}

// NetworkCounts are the figures /overzicht shows about sparring.
type NetworkCounts struct {
	Invitations   int // ever made
	Introductions int // accepted invitations
	Conversations int // introductions whose check-back was answered "ja"
}

// SparringStore keeps sparring invitations.
type SparringStore interface {
	// SparSuggestions returns up to limit collectives other than
	// collectiveID with evidence of the theme (entries, milestones,
	// shared lessons), best first; recent activity breaks ties.
	SparSuggestions(ctx context.Context, collectiveID int64, theme string, limit int) ([]SparSuggestion, error)
	// CreateInvitation stores an open invitation from one collective to
	// another (ID, Status, CreatedAt, ExpiresAt, names are set).
	// Returns EINVALID when both are the same collective, ENOTFOUND for
	// an unknown collective, ECONFLICT (with the open invitation) when the
	// pair already has an open one, in either direction.
	CreateInvitation(ctx context.Context, ev string, inv *Invitation, by UserRef, contact string) error
	// Invitation returns the invitation. Returns ENOTFOUND.
	Invitation(ctx context.Context, id int64) (*Invitation, error)
	// AnswerInvitation accepts or declines an open invitation to the
	// collective toID. Returns ENOTFOUND if it is not that collective's,
	// ECONFLICT (with the invitation as it is) when it was answered or expired.
	AnswerInvitation(ctx context.Context, ev string, id, toID int64, accept bool, by UserRef, contact string) (*Invitation, error)
	// SetTalked records the check-back's answer of one of the two
	// collectives. Returns ENOTFOUND if the introduction is not theirs.
	SetTalked(ctx context.Context, ev string, id, collectiveID int64, talked string, by UserRef) (*Invitation, error)
	// CheckbacksDue returns the introductions accepted at or before until
	// whose check-back was not claimed yet (see SchedulerStore.ClaimSend).
	CheckbacksDue(ctx context.Context, until time.Time) ([]Invitation, error)
	// NetworkCounts counts invitations, introductions and conversations.
	NetworkCounts(ctx context.Context) (*NetworkCounts, error)
}

// Meeting answers.
const (
	RSVPYes   = "ja"
	RSVPMaybe = "misschien"
	RSVPNo    = "nee"
)

// ReminderBefore is how long before a meeting its reminder goes out.
const ReminderBefore = 24 * time.Hour

// Meeting is a meeting (bijeenkomst) of the network, numbered B1, B2, ….
type Meeting struct {
	Number    int64
	Title     string
	Place     string
	StartsAt  time.Time
	CreatedBy string
	CreatedAt time.Time
	RSVPs     []RSVP // filled by Meetings and Meeting, by chat then name
}

// RSVP is one person's answer to a meeting, given in one chat.
type RSVP struct {
	Meeting        int64
	Name           string
	CollectiveID   int64 // 0 when answered from a chat of no collective
	CollectiveName string
	Chat           ChatRef
	Answer         string // RSVPYes, RSVPMaybe or RSVPNo
	UpdatedAt      time.Time
}

// MeetingStore keeps meetings and the answers to them.
type MeetingStore interface {
	// CreateMeeting stores m with the next number (Number, CreatedBy and
	// CreatedAt are set).
	CreateMeeting(ctx context.Context, ev string, m *Meeting, by UserRef) error
	// Meeting returns the meeting with its answers. Returns ENOTFOUND.
	Meeting(ctx context.Context, number int64) (*Meeting, error)
	// Meetings returns the meetings starting at or after from, soonest
	// first, with their answers.
	Meetings(ctx context.Context, from time.Time) ([]Meeting, error)
	// SetRSVP records (or changes) by's answer to the meeting, given in
	// chat. Returns ENOTFOUND for an unknown meeting, EINVALID for an
	// unknown answer.
	SetRSVP(ctx context.Context, ev string, number int64, chat ChatRef, answer string, by UserRef) (*Meeting, error)
	// ReminderChats returns the chats with at least one "ja" or
	// "misschien" for the meeting, each once.
	ReminderChats(ctx context.Context, number int64) ([]Chat, error)
	// MeetingRemindersDue returns the meetings starting from from up to
	// and including until whose reminder (MeetingReminderKey) was not
	// claimed yet (see SchedulerStore.ClaimSend), soonest first, without
	// their answers: the scheduler asks it every minute, and neither past
	// meetings nor those not due yet are read.
	MeetingRemindersDue(ctx context.Context, from, until time.Time) ([]Meeting, error)
}

// Kinds of the network's scheduled sends (see SchedulerStore.ClaimSend),
// also used as Message.Kind.
const (
	SendCheckback       = "checkback"        // "Hebben jullie gesproken?", key "checkback:<invitation id>"
	SendMeetingReminder = "meeting-reminder" // key "meeting-reminder:<number>"
)

// CheckbackKey is the send key of an introduction's check-back.
func CheckbackKey(invitationID int64) string {
	return fmt.Sprintf("%s:%d", SendCheckback, invitationID)
}

// MeetingReminderKey is the send key of a meeting's reminder.
func MeetingReminderKey(number int64) string {
	return fmt.Sprintf("%s:%d", SendMeetingReminder, number)
}

// InvitationError is the ECONFLICT of CreateInvitation (Invitation is the
// pair's open invitation) and of AnswerInvitation (Invitation as it
// stands: answered or expired).
type InvitationError struct {
	Err        *Error
	Invitation *Invitation
}

func (e *InvitationError) Error() string { return e.Err.Error() }

// Unwrap gives the domain error, so ErrorCode sees its code.
func (e *InvitationError) Unwrap() error { return e.Err }

// CalendarEvent is a meeting as a platform's own calendar shows it.
type CalendarEvent struct {
	Key      string // stable per meeting ("B1"), so a platform makes it once
	Title    string
	Place    string
	Start    time.Time
	Duration time.Duration // platforms that need an end; meetings have none of their own
}
