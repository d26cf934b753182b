package commands

import (
	"context"
	"time"
)

// What the web pages read. Each function gathers one page's data through
// the Store and applies the programme's rules (what counts as answered,
// late, shared); package web only lays it out.

// CollectiveCard is one collective on the programme overview.
type CollectiveCard struct {
	CollectiveSummary
	Panel []Element
	// Before is each element's value four weeks ago, by element ID, as
	// the chat's /mengpaneel chart compares.
	Before map[int64]int
	// Open are the collective's unresolved help requests, oldest first.
	Open []HelpRequest
	// RoundsPosted counts the check-in rounds posted to the collective;
	// RoundsAnswered those with at least one answer.
	RoundsPosted, RoundsAnswered int
	Lessons                      int // lessons recorded, shared or not
	Introductions                int // accepted sparring invitations
}

// AnswerRate is the share of posted check-in rounds that got an answer, in
// percent; ok is false before the first round.
func (c *CollectiveCard) AnswerRate() (pct int, ok bool) {
	if c.RoundsPosted == 0 {
		return 0, false
	}
	return (c.RoundsAnswered*100 + c.RoundsPosted/2) / c.RoundsPosted, true
}

// CollectivePage is everything the page of one collective shows.
type CollectivePage struct {
	Card    CollectiveCard
	Report  *CollectiveReport // its whole record, as the export has it
	Lessons []Lesson          // newest first, shared or not
}

// Programme returns a card per collective, by name.
func (h *Handler) Programme(ctx context.Context) ([]CollectiveCard, error) {
	sums, err := h.Store.Collectives(ctx)
	if err != nil {
		return nil, err
	}
	open, err := h.Store.OpenRequests(ctx)
	if err != nil {
		return nil, err
	}
	cards := make([]CollectiveCard, 0, len(sums))
	for _, s := range sums {
		card, _, err := h.card(ctx, s, open)
		if err != nil {
			return nil, err
		}
		cards = append(cards, *card)
	}
	return cards, nil
}

// Collective returns the page of one collective.
// Returns ENOTFOUND if it does not exist.
func (h *Handler) Collective(ctx context.Context, id int64) (*CollectivePage, error) {
	sums, err := h.Store.Collectives(ctx)
	if err != nil {
		return nil, err
	}
	for _, s := range sums {
		if s.ID != id {
			continue
		}
		open, err := h.Store.OpenRequests(ctx)
		if err != nil {
			return nil, err
		}
		card, report, err := h.card(ctx, s, open)
		if err != nil {
			return nil, err
		}
		lessons, err := h.Store.Lessons(ctx, LessonFilter{Scope: LessonsAll, CollectiveID: id})
		if err != nil {
			return nil, err
		}
		return &CollectivePage{Card: *card, Report: report, Lessons: lessons}, nil
	}
	return nil, Errorf(ENOTFOUND, "collective %d not found", id)
}

// card gathers one collective's card, and the report it counted from.
func (h *Handler) card(ctx context.Context, s CollectiveSummary, open []HelpRequest) (*CollectiveCard, *CollectiveReport, error) {
	rs, ok := h.Store.(ReportStore)
	if !ok {
		return nil, nil, Errorf(EINTERNAL, "store cannot read reports")
	}
	report, err := rs.CollectiveReport(ctx, s.ID)
	if err != nil {
		return nil, nil, err
	}
	card := &CollectiveCard{CollectiveSummary: s, Panel: report.Panel, Open: requestsOf(open, s.ID)}
	if card.Before, err = h.panelBefore(ctx, s.ID, report.Panel); err != nil {
		return nil, nil, err
	}
	answered := map[int64]bool{}
	for _, a := range report.CheckinAnswers {
		answered[a.RoundID] = true
	}
	for _, r := range report.Rounds {
		if r.Status != RoundPosted {
			continue
		}
		card.RoundsPosted++
		if answered[r.ID] {
			card.RoundsAnswered++
		}
	}
	lessons, err := h.Store.Lessons(ctx, LessonFilter{Scope: LessonsAll, CollectiveID: s.ID})
	if err != nil {
		return nil, nil, err
	}
	card.Lessons = len(lessons)
	if card.Introductions, err = h.Store.Introductions(ctx, s.ID); err != nil {
		return nil, nil, err
	}
	return card, report, nil
}

// Queue returns every unresolved help request with its answers, oldest first.
func (h *Handler) Queue(ctx context.Context) ([]HelpRequest, error) {
	open, err := h.Store.OpenRequests(ctx)
	if err != nil {
		return nil, err
	}
	for i := range open {
		full, err := h.Store.Request(ctx, open[i].Number)
		if err != nil {
			return nil, err
		}
		open[i] = *full
	}
	return open, nil
}

// SLA says whether a help request waits longer than the programme allows:
// Unclaimed for nobody taking it, Unanswered for a taken one without an
// answer (the scheduler raises both in the staff chat; the queue page
// shows them).
type SLA struct {
	Unclaimed, Unanswered time.Duration
}

// SLA states of a help request.
const (
	SLAOK         = "ok"
	SLAUnclaimed  = "unclaimed" // open for longer than SLA.Unclaimed
	SLAUnanswered = "unanswered"
)

// DefaultSLA is the scheduler's default alert periods.
var DefaultSLA = SLA{Unclaimed: 24 * time.Hour, Unanswered: 72 * time.Hour}

// State is the request's SLA state at now.
func (s SLA) State(r *HelpRequest, now time.Time) string {
	unclaimed, unanswered := s.Unclaimed, s.Unanswered
	if unclaimed <= 0 {
		unclaimed = DefaultSLA.Unclaimed
	}
	if unanswered <= 0 {
		unanswered = DefaultSLA.Unanswered
	}
	switch {
	case r.Status == StatusOpen && !now.Before(r.CreatedAt.Add(unclaimed)):
		return SLAUnclaimed
	case r.Status == StatusClaimed && !r.ClaimedAt.IsZero() && !now.Before(r.ClaimedAt.Add(unanswered)):
		return SLAUnanswered
	}
	return SLAOK
}

// StaffLessons returns every lesson, shared or not, matching the query
// (words and #themes; "" lists all, newest first).
func (h *Handler) StaffLessons(ctx context.Context, query string) ([]Lesson, error) {
	return h.Store.Lessons(ctx, LessonFilter{Scope: LessonsAll, Query: query})
}

// PublicLessons returns the lessons shared with the network, newest first
// (or by relevance for a query), with no person's name: the public pages
// and the feed name the collective only.
func (h *Handler) PublicLessons(ctx context.Context, query string, limit int) ([]Lesson, error) {
	list, err := h.Store.Lessons(ctx, LessonFilter{Scope: LessonsShared, Query: query, Limit: limit})
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].Author, list[i].Source = "", ""
	}
	return list, nil
}

// UpcomingMeetings returns the meetings still to come, soonest first, with
// their answers (as /bijeenkomsten lists them).
func (h *Handler) UpcomingMeetings(ctx context.Context) ([]Meeting, error) {
	return h.Store.Meetings(ctx, h.now())
}

// Zone is the programme time zone pages show times in.
func (h *Handler) Zone() *time.Location { return h.loc() }

// Time is the handler's time now (tests inject it through Now).
func (h *Handler) Time() time.Time { return h.now() }
