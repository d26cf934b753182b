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

// WebPageStore is what the web pages read beyond the chat commands: a
// page of the programme at a time, never all of it.
type WebPageStore interface {
	// ProgrammeTotals counts the whole programme with aggregate queries:
	// Quiet are the collectives without activity since quietSince, Late
	// the requests open (unclaimed) since before lateSince.
	ProgrammeTotals(ctx context.Context, quietSince, lateSince time.Time) (ProgrammeTotals, error)
	// CollectivesByAttention returns at most limit collectives whose name
	// contains name ("" for all; case- and accent-insensitive), skipping
	// offset: those with unresolved help requests first, then those
	// without activity since quietSince (never active first, then the
	// longest quiet), then the rest, by name within each group; and how
	// many match.
	CollectivesByAttention(ctx context.Context, name string, quietSince time.Time, offset, limit int) ([]CollectiveSummary, int, error)
	// CollectiveSummary returns one collective with its active chats and
	// last activity. Returns ENOTFOUND if it does not exist.
	CollectiveSummary(ctx context.Context, id int64) (*CollectiveSummary, error)
	// CollectiveCounts counts one collective's check-in rounds, lessons
	// and introductions.
	CollectiveCounts(ctx context.Context, id int64) (CollectiveCounts, error)
	// OpenRequestsOf returns one collective's unresolved help requests,
	// oldest first, without answers.
	OpenRequestsOf(ctx context.Context, collectiveID int64) ([]HelpRequest, error)
	// OpenRequestsPage returns at most limit unresolved help requests,
	// oldest first, skipping offset, without answers; and how many are
	// unresolved.
	OpenRequestsPage(ctx context.Context, offset, limit int) ([]HelpRequest, int, error)
	// MeetingTallies returns the meetings starting at or after from,
	// soonest first, each with the number of each answer and the first
	// named answers (by collective, chat and name).
	MeetingTallies(ctx context.Context, from time.Time, named int) ([]MeetingTally, error)
}

// MeetingTally is a meeting with how many gave each answer; its RSVPs are
// the first few only.
type MeetingTally struct {
	Meeting
	Yes, Maybe, No int
}

// More is how many answers RSVPs leaves out.
func (t *MeetingTally) More() int { return t.Yes + t.Maybe + t.No - len(t.RSVPs) }

// CollectiveCounts are the counts on a collective's card.
type CollectiveCounts struct {
	// RoundsPosted counts the check-in rounds posted to the collective;
	// RoundsAnswered those with at least one answer.
	RoundsPosted, RoundsAnswered int
	Lessons                      int // lessons recorded, shared or not
	Introductions                int // accepted sparring invitations
}

// ProgrammeTotals are the whole programme's figures at the top of the
// overview.
type ProgrammeTotals struct {
	Collectives int
	// Quiet counts the collectives without activity for QuietAfter (or
	// none ever).
	Quiet int
	// OpenRequests counts the unresolved help requests; WithOpen the
	// collectives that have one; Late the open ones nobody took within
	// the SLA's Unclaimed.
	OpenRequests, WithOpen, Late int
	Lessons, SharedLessons       int
	Introductions                int
}

// OverviewPageSize is the number of collective cards on a page of the
// overview: what a person can take in, and a page's work that does not
// grow with the programme.
const OverviewPageSize = 24

// QuietAfter is how long without any activity makes a collective "quiet":
// it comes first on the overview, after those waiting for help.
const QuietAfter = 28 * 24 * time.Hour

// ProgrammeQuery asks for one page of the overview.
type ProgrammeQuery struct {
	// Name keeps the collectives whose name contains it (case- and
	// accent-insensitive); "" keeps all.
	Name string
	// Page is the page wanted, from 1; past the last page the last page
	// is given (ProgrammePage.Missing says so).
	Page int
	// SLA says when an open help request counts as late.
	SLA SLA
}

// ProgrammePage is one page of the overview: the programme's totals and
// at most OverviewPageSize cards in attention order.
type ProgrammePage struct {
	Totals ProgrammeTotals
	Cards  []CollectiveCard
	// Matching counts the collectives the query keeps.
	Matching int
	Paging
}

// Paging places a page among all: Page and Pages are this page and how
// many there are (at least 1), First the position (from 1) of its first
// item, 0 when it has none. Missing is set when the page asked for does
// not exist (below 1, past the last, or not a page number); Page is then
// the nearest one.
type Paging struct {
	Page, Pages, First int
	Missing            bool
}

// fetchPage reads page (from 1) of size items through fetch, which
// returns the items at offset and how many there are in all; a page that
// does not exist gives the nearest one (Paging.Missing).
func fetchPage[T any](page, size int, fetch func(offset, limit int) ([]T, int, error)) ([]T, int, Paging, error) {
	p := Paging{Page: page}
	if p.Page < 1 {
		p.Page, p.Missing = 1, true
	}
	list, total, err := fetch((p.Page-1)*size, size)
	if err != nil {
		return nil, 0, p, err
	}
	p.Pages = max(1, (total+size-1)/size)
	if p.Page > p.Pages {
		p.Page, p.Missing = p.Pages, true
		if list, total, err = fetch((p.Page-1)*size, size); err != nil {
			return nil, 0, p, err
		}
	}
	if len(list) > 0 {
		p.First = (p.Page-1)*size + 1
	}
	return list, total, p, nil
}

// pageStore is the store's WebPageStore side; a store without it cannot
// serve the web pages (cmd/wijkbot wires one that has it).
func (h *Handler) pageStore() (WebPageStore, error) {
	ps, ok := h.Store.(WebPageStore)
	if !ok {
		return nil, Errorf(EINTERNAL, "store cannot read web pages")
	}
	return ps, nil
}

// Programme returns one page of the overview: the totals of the whole
// programme, then the cards of the page's collectives in attention order
// (see WebPageStore.CollectivesByAttention). Its work is the page's cards
// and aggregate counts, not every collective.
func (h *Handler) Programme(ctx context.Context, q ProgrammeQuery) (*ProgrammePage, error) {
	ps, err := h.pageStore()
	if err != nil {
		return nil, err
	}
	now := h.now()
	sla := q.SLA
	if sla.Unclaimed <= 0 {
		sla.Unclaimed = DefaultSLA.Unclaimed
	}
	quiet := now.Add(-QuietAfter)
	p := &ProgrammePage{}
	if p.Totals, err = ps.ProgrammeTotals(ctx, quiet, now.Add(-sla.Unclaimed)); err != nil {
		return nil, err
	}
	list, matching, paging, err := fetchPage(q.Page, OverviewPageSize, func(offset, limit int) ([]CollectiveSummary, int, error) {
		return ps.CollectivesByAttention(ctx, q.Name, quiet, offset, limit)
	})
	if err != nil {
		return nil, err
	}
	p.Matching, p.Paging = matching, paging
	for _, s := range list {
		card, err := h.pageCard(ctx, ps, s)
		if err != nil {
			return nil, err
		}
		p.Cards = append(p.Cards, *card)
	}
	return p, nil
}

// pageCard gathers one collective's card from its own rows: panel, the
// panel four weeks ago, unresolved requests and counts.
func (h *Handler) pageCard(ctx context.Context, ps WebPageStore, s CollectiveSummary) (*CollectiveCard, error) {
	panel, err := h.Store.Panel(ctx, s.ID)
	if err != nil {
		return nil, err
	}
	card := &CollectiveCard{CollectiveSummary: s, Panel: panel}
	if card.Before, err = h.panelBefore(ctx, s.ID, panel); err != nil {
		return nil, err
	}
	if card.Open, err = ps.OpenRequestsOf(ctx, s.ID); err != nil {
		return nil, err
	}
	n, err := ps.CollectiveCounts(ctx, s.ID)
	if err != nil {
		return nil, err
	}
	card.RoundsPosted, card.RoundsAnswered, card.Lessons, card.Introductions = n.RoundsPosted, n.RoundsAnswered, n.Lessons, n.Introductions
	return card, nil
}

// Quiet says whether the collective counts as quiet at now: no activity
// for QuietAfter, or none ever.
func (c *CollectiveCard) Quiet(now time.Time) bool {
	return c.LastActivity.IsZero() || c.LastActivity.Before(now.Add(-QuietAfter))
}

// Collective returns the page of one collective.
// Returns ENOTFOUND if it does not exist.
func (h *Handler) Collective(ctx context.Context, id int64) (*CollectivePage, error) {
	ps, err := h.pageStore()
	if err != nil {
		return nil, err
	}
	s, err := ps.CollectiveSummary(ctx, id)
	if err != nil {
		return nil, err
	}
	open, err := ps.OpenRequestsOf(ctx, id)
	if err != nil {
		return nil, err
	}
	card, report, err := h.card(ctx, *s, open)
	if err != nil {
		return nil, err
	}
	lessons, err := h.Store.Lessons(ctx, LessonFilter{Scope: LessonsAll, CollectiveID: id})
	if err != nil {
		return nil, err
	}
	return &CollectivePage{Card: *card, Report: report, Lessons: lessons}, nil
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

// QueuePageSize is the number of help requests on a page of the queue.
const QueuePageSize = 25

// QueuePage is one page of the unresolved help requests, oldest first,
// each with its answers.
type QueuePage struct {
	Requests []HelpRequest
	// Total counts the unresolved requests.
	Total int
	Paging
}

// Queue returns a page of the unresolved help requests with their
// answers, oldest first; past the last page, the last page.
func (h *Handler) Queue(ctx context.Context, page int) (*QueuePage, error) {
	ps, err := h.pageStore()
	if err != nil {
		return nil, err
	}
	list, total, paging, err := fetchPage(page, QueuePageSize, func(offset, limit int) ([]HelpRequest, int, error) {
		return ps.OpenRequestsPage(ctx, offset, limit)
	})
	if err != nil {
		return nil, err
	}
	q := &QueuePage{Total: total, Paging: paging}
	for i := range list {
		full, err := h.Store.Request(ctx, list[i].Number)
		if err != nil {
			return nil, err
		}
		list[i] = *full
	}
	q.Requests = list
	return q, nil
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

// LessonsPageSize is the number of lessons on a page of the staff's list.
const LessonsPageSize = 50

// StaffLessons returns a page (from 1) of every lesson, shared or not,
// matching the query (words and #themes; "" lists all, newest first), and
// whether a next page has more.
func (h *Handler) StaffLessons(ctx context.Context, query string, page int) ([]Lesson, bool, error) {
	page = max(1, page)
	list, err := h.Store.Lessons(ctx, LessonFilter{Scope: LessonsAll, Query: query,
		Offset: (page - 1) * LessonsPageSize, Limit: LessonsPageSize + 1})
	if err != nil {
		return nil, false, err
	}
	if len(list) > LessonsPageSize {
		return list[:LessonsPageSize], true, nil
	}
	return list, false, nil
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

// MeetingNamesShown is how many answers a meeting on the meetings page
// names; it counts them all.
const MeetingNamesShown = 50

// UpcomingMeetings returns the meetings still to come, soonest first, with
// the number of each answer and the first MeetingNamesShown answers (as
// /bijeenkomsten orders them).
func (h *Handler) UpcomingMeetings(ctx context.Context) ([]MeetingTally, error) {
	ps, err := h.pageStore()
	if err != nil {
		return nil, err
	}
	return ps.MeetingTallies(ctx, h.now(), MeetingNamesShown)
}

// Zone is the programme time zone pages show times in.
func (h *Handler) Zone() *time.Location { return h.loc() }

// Time is the handler's time now (tests inject it through Now).
func (h *Handler) Time() time.Time { return h.now() }
