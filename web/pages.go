package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/export"
)

// page is what every template gets.
type page struct {
	Lang  commands.Lang
	Title string
	// Nav is the menu entry of this page; "" for pages outside the menu.
	Nav string
	// Visit is set on staff pages: the menu, the logout form, CSRF tokens.
	Visit *visit
	// Path is this page's path (for the language switch).
	Path string
	Data any
}

// CSRF is the token the page's forms carry.
func (p *page) CSRF() string {
	if p.Visit == nil {
		return ""
	}
	return p.Visit.csrf()
}

// Other is the same page in the other language.
func (p *page) Other() string {
	if p.Lang != commands.EN {
		return withLang(commands.EN, p.Path)
	}
	u, err := url.Parse(p.Path)
	if err != nil {
		return "/"
	}
	q := u.Query()
	q.Del("lang")
	u.RawQuery = q.Encode()
	return u.String()
}

func (s *Server) staffPage(r *http.Request, v *visit, nav, title string, data any) *page {
	path := r.URL.Path
	// The language switch keeps the search and the page.
	q := url.Values{}
	for _, k := range []string{"zoek", "pagina"} {
		if x := r.URL.Query().Get(k); x != "" {
			q.Set(k, x)
		}
	}
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	return &page{Lang: v.lang, Title: title, Nav: nav, Visit: v, Path: withLang(v.lang, path), Data: data}
}

// render writes the named page; a template error is logged and answered
// with a plain 500 (the half-written page is not sent).
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	if p.Path == "" {
		p.Path = withLang(p.Lang, r.URL.Path)
	}
	tmpl := s.pages[name]
	var buf bytes.Buffer
	if tmpl == nil {
		s.logger().Error("no template", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if err := tmpl.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.logger().Error("render page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// overview is the programme: its totals, then a page of cards in
// attention order, with a name filter and page links.
func (s *Server) overview(w http.ResponseWriter, r *http.Request, v *visit) {
	q := query(r)
	n, asked, ok := pageNumber(r)
	pp, err := s.App.Programme(r.Context(), commands.ProgrammeQuery{Name: q, Page: n, SLA: s.SLA})
	if err != nil {
		s.failed(w, r, err)
		return
	}
	type card struct {
		commands.CollectiveCard
		Chart template.HTML
		Rate  string
		// Attention is why the card comes first: "open" (unresolved
		// help requests), "quiet" (no activity for four weeks), or "".
		Attention string
	}
	now := s.now()
	list := make([]card, len(pp.Cards))
	for i := range pp.Cards {
		c := card{CollectiveCard: pp.Cards[i], Chart: s.chart(v.lang, &pp.Cards[i])}
		if pct, ok := pp.Cards[i].AnswerRate(); ok {
			c.Rate = fmt.Sprintf("%d%% (%d/%d)", pct, pp.Cards[i].RoundsAnswered, pp.Cards[i].RoundsPosted)
		}
		switch {
		case len(c.Open) > 0:
			c.Attention = "open"
		case c.Quiet(now):
			c.Attention = "quiet"
		}
		list[i] = c
	}
	s.render(w, r, http.StatusOK, "overview", s.staffPage(r, v, "overview", t(v.lang, "nav.overview"), map[string]any{
		"Cards": list, "Totals": pp.Totals, "Query": q, "Action": "/",
		"Matching": pp.Matching, "First": pp.First, "Last": pp.First + len(list) - 1,
		"Page": pp.Page, "Pages": pp.Pages, "Missing": pp.Missing || !ok, "Asked": asked,
		"Pager": newPager(v.lang, "/", q, pp.Page, pp.Pages, false),
	}))
}

// query is the page's search or filter text (?zoek=), trimmed and at most
// 200 characters.
func query(r *http.Request) string {
	q := strings.TrimSpace(r.URL.Query().Get("zoek"))
	if len([]rune(q)) > 200 {
		q = string([]rune(q)[:200])
	}
	return q
}

// maxPage bounds the page asked for, so its offset cannot overflow; a page
// past the last shows the last.
const maxPage = 1_000_000

// pageNumber reads ?pagina=: the page (1 without one), the text asked
// (for the message when it does not exist, at most 20 characters) and
// false when it is not a page number at all.
func pageNumber(r *http.Request) (n int, asked string, ok bool) {
	asked = strings.TrimSpace(r.URL.Query().Get("pagina"))
	if asked == "" {
		return 1, "", true
	}
	if len([]rune(asked)) > 20 {
		asked = string([]rune(asked)[:20]) + "…"
	}
	n, err := strconv.Atoi(asked)
	var ne *strconv.NumError
	switch {
	case err == nil && n >= 1:
		return min(n, maxPage), asked, true
	case errors.As(err, &ne) && ne.Err == strconv.ErrRange && !strings.HasPrefix(asked, "-"):
		return maxPage, asked, true
	}
	return 1, asked, false
}

// pager is the links to a listing's other pages.
type pager struct {
	Prev, Next string // "" at the ends
	Links      []pageLink
}

// pageLink is a numbered page link; Gap stands for the pages left out.
type pageLink struct {
	N       int
	Href    string
	Current bool
	Gap     bool
}

// newPager links the pages of path (keeping the query and the language):
// the first, the last and two either side of page. With pages 0 (unknown)
// it links the previous page and, with more, the next one only.
func newPager(l commands.Lang, path, q string, page, pages int, more bool) *pager {
	href := func(n int) string {
		v := url.Values{}
		if q != "" {
			v.Set("zoek", q)
		}
		if n > 1 {
			v.Set("pagina", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return withLang(l, path)
		}
		return withLang(l, path+"?"+v.Encode())
	}
	p := &pager{}
	if page > 1 {
		p.Prev = href(page - 1)
	}
	if (pages > 0 && page < pages) || (pages == 0 && more) {
		p.Next = href(page + 1)
	}
	if pages <= 1 {
		if p.Prev == "" && p.Next == "" {
			return nil
		}
		return p
	}
	last := 0
	for n := 1; n <= pages; n++ {
		if n != 1 && n != pages && (n < page-2 || n > page+2) {
			continue
		}
		if last != 0 && n > last+1 {
			p.Links = append(p.Links, pageLink{Gap: true})
		}
		p.Links = append(p.Links, pageLink{N: n, Href: href(n), Current: n == page})
		last = n
	}
	return p
}

// chart is the collective's panel as inline SVG, its words in the page's
// language l; "" when it cannot be drawn (the values are listed beside it
// anyway).
func (s *Server) chart(l commands.Lang, c *commands.CollectiveCard) template.HTML {
	if s.Charts == nil || len(c.Panel) == 0 {
		return ""
	}
	svg, err := s.Charts.PanelSVG(l, c.Name, c.Panel, c.Before)
	if err != nil {
		s.logger().Warn("panel chart failed", "collective", c.ID, "err", err)
		return ""
	}
	// The chart package escapes every text it draws (names are user text).
	return template.HTML(svg)
}

// collective is one collective's page.
func (s *Server) collective(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.notFound(w, r)
		return
	}
	cp, err := s.App.Collective(r.Context(), id)
	if commands.ErrorCode(err) == commands.ENOTFOUND {
		s.notFound(w, r)
		return
	} else if err != nil {
		s.failed(w, r, err)
		return
	}
	rep := cp.Report
	// Each element's history, in panel order; newest first.
	type history struct {
		Element commands.Element
		Changes []commands.SliderChange
	}
	byElem := map[int64][]commands.SliderChange{}
	for _, ch := range rep.SliderChanges {
		byElem[ch.ElementID] = append([]commands.SliderChange{ch}, byElem[ch.ElementID]...)
	}
	var hist []history
	for _, e := range rep.Panel {
		hist = append(hist, history{Element: e, Changes: byElem[e.ID]})
	}
	// Check-in rounds newest first, each with its answers.
	type round struct {
		Round   commands.Round
		Answers []commands.CheckinAnswer
	}
	answers := map[int64][]commands.CheckinAnswer{}
	for _, a := range rep.CheckinAnswers {
		answers[a.RoundID] = append(answers[a.RoundID], a)
	}
	var rounds []round
	for i := len(rep.Rounds) - 1; i >= 0; i-- {
		rounds = append(rounds, round{Round: rep.Rounds[i], Answers: answers[rep.Rounds[i].ID]})
	}
	entries := append([]commands.Entry(nil), rep.Entries...)
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].CreatedAt.After(entries[j].CreatedAt) })
	requests := append([]commands.HelpRequest(nil), rep.Requests...)
	sort.SliceStable(requests, func(i, j int) bool { return requests[i].Number > requests[j].Number })

	rate := ""
	if pct, ok := cp.Card.AnswerRate(); ok {
		rate = fmt.Sprintf("%d%% (%d/%d)", pct, cp.Card.RoundsAnswered, cp.Card.RoundsPosted)
	}
	s.render(w, r, http.StatusOK, "collective", s.staffPage(r, v, "overview", cp.Card.Name, map[string]any{
		"Card":     cp.Card,
		"Chart":    s.chart(v.lang, &cp.Card),
		"Rate":     rate,
		"History":  hist,
		"Entries":  entries,
		"Requests": requests,
		"Rounds":   rounds,
		"Lessons":  cp.Lessons,
		// The case report as the Markdown file reads rendered; every
		// user text in it is escaped (export.ReportHTML).
		"Report":   template.HTML(export.ReportHTML(rep, s.now(), s.App.Zone())),
		"Markdown": export.ReportName(rep.Collective.Name),
	}))
}

// queueItem is one help request on the queue page.
type queueItem struct {
	commands.HelpRequest
	SLA   string
	Event string // the answer form's event id
}

// queue is the help requests waiting, oldest first, with their forms.
func (s *Server) queue(w http.ResponseWriter, r *http.Request, v *visit) {
	s.renderQueue(w, r, v, http.StatusOK, "", "")
}

func (s *Server) renderQueue(w http.ResponseWriter, r *http.Request, v *visit, status int, notice, noticeKind string) {
	n, asked, ok := pageNumber(r)
	qp, err := s.App.Queue(r.Context(), n)
	if err != nil {
		s.failed(w, r, err)
		return
	}
	now := s.now()
	items := make([]queueItem, len(qp.Requests))
	for i := range qp.Requests {
		items[i] = queueItem{HelpRequest: qp.Requests[i], SLA: s.SLA.State(&qp.Requests[i], now), Event: newEventID()}
	}
	// The forms come back to this page: an answer sent from page 2 shows
	// page 2 with the notice.
	pageQuery := ""
	if qp.Page > 1 {
		pageQuery = fmt.Sprintf("?pagina=%d", qp.Page)
	}
	// After a form, a page that is gone was emptied by the form itself
	// (its last request resolved): the nearest page is no error then.
	missing := (qp.Missing || !ok) && r.Method == http.MethodGet
	p := s.staffPage(r, v, "queue", t(v.lang, "nav.queue"), map[string]any{
		"Items": items, "Notice": notice, "NoticeKind": noticeKind, "PageQuery": pageQuery,
		"Total": qp.Total, "First": qp.First, "Last": qp.First + len(items) - 1,
		"Page": qp.Page, "Pages": qp.Pages, "Missing": missing, "Asked": asked,
		"Pager": newPager(v.lang, "/hulpvragen", "", qp.Page, qp.Pages, false),
	})
	p.Path = withLang(v.lang, "/hulpvragen"+pageQuery)
	s.render(w, r, status, "queue", p)
}

// actions are the queue's forms and the chat commands they run.
var actions = map[string]string{"oppakken": "oppakken", "antwoord": "antwoord", "afronden": "afronden"}

// act runs a queue form as the chat command, from the staff chat the login
// came from: the same checks, the same storage, the same messages to the
// collective's chats.
func (s *Server) act(w http.ResponseWriter, r *http.Request, v *visit) {
	command, ok := actions[r.PathValue("action")]
	number, err := strconv.ParseInt(r.PathValue("number"), 10, 64)
	if !ok || err != nil || number <= 0 {
		s.notFound(w, r)
		return
	}
	event := r.PostFormValue("event")
	if !eventPattern.MatchString(event) {
		s.renderQueue(w, r, v, http.StatusBadRequest, t(v.lang, "queue.stale"), "error")
		return
	}
	args := map[string]string{"nummer": strconv.FormatInt(number, 10)}
	if command == "antwoord" {
		args["tekst"] = r.PostFormValue("tekst")
	}
	reply := s.Runner.Handle(r.Context(), commands.Request{
		EventID: "web:" + event,
		Chat:    v.session.Chat,
		User:    v.session.User,
		Command: command,
		Args:    args,
		Lang:    v.lang,
	})
	switch {
	case reply.Duplicate:
		s.renderQueue(w, r, v, http.StatusOK, t(v.lang, "queue.duplicate"), "info")
	case reply.Code != "":
		status := http.StatusUnprocessableEntity
		if reply.Code == commands.EFORBIDDEN {
			status = http.StatusForbidden
		} else if reply.Code == commands.EINTERNAL {
			status = http.StatusInternalServerError
		} else if reply.Code == "rate_limited" {
			status = http.StatusTooManyRequests
		}
		s.renderQueue(w, r, v, status, reply.Text, "error")
	default:
		s.renderQueue(w, r, v, http.StatusOK, reply.Text, "ok")
	}
}

// lessons is every lesson, searchable, a page at a time.
func (s *Server) lessons(w http.ResponseWriter, r *http.Request, v *visit) {
	q := query(r)
	n, asked, ok := pageNumber(r)
	list, more, err := s.App.StaffLessons(r.Context(), q, n)
	if err != nil {
		s.failed(w, r, err)
		return
	}
	// The lessons are not counted, so a page past the last shows none,
	// with a link back to the first page of the same search; a page that
	// is not a number shows the first page.
	firstPage := "/lessen"
	if q != "" {
		firstPage += "?" + url.Values{"zoek": {q}}.Encode()
	}
	s.render(w, r, http.StatusOK, "lessons", s.staffPage(r, v, "lessons", t(v.lang, "nav.lessons"),
		map[string]any{"Lessons": list, "Query": q, "Action": "/lessen", "Page": n,
			"NotNumber": !ok, "Missing": ok && n > 1 && len(list) == 0, "Asked": asked,
			"FirstPage": withLang(v.lang, firstPage),
			"Pager":     newPager(v.lang, "/lessen", q, n, 0, more)}))
}

// meetings are the upcoming meetings with their answers.
func (s *Server) meetings(w http.ResponseWriter, r *http.Request, v *visit) {
	list, err := s.App.UpcomingMeetings(r.Context())
	if err != nil {
		s.failed(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "meetings", s.staffPage(r, v, "meetings", t(v.lang, "nav.meetings"),
		map[string]any{"Meetings": list}))
}

// publicLessons is the public page of the lessons shared with the network.
func (s *Server) publicLessons(w http.ResponseWriter, r *http.Request) {
	l := lang(r)
	q := strings.TrimSpace(r.URL.Query().Get("zoek"))
	if len([]rune(q)) > 200 {
		q = string([]rune(q)[:200])
	}
	list, err := s.App.PublicLessons(r.Context(), q, 200)
	if err != nil {
		s.failed(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	s.render(w, r, http.StatusOK, "public", &page{Lang: l, Title: t(l, "public.title"), Data: map[string]any{
		"Lessons": list, "Query": q, "Action": "/openbaar/lessen", "Feed": withLang(l, "/openbaar/lessen.atom"),
	}})
}

// failed answers an error of the application: a page for the user, the
// cause in the log.
func (s *Server) failed(w http.ResponseWriter, r *http.Request, err error) {
	s.logger().Error("web page", "path", r.URL.Path, "err", err)
	s.serverError(w, r)
}

// formatDate writes a date in the page's language and the programme zone.
func (s *Server) formatDate(l commands.Lang, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(s.App.Zone())
	if l == commands.EN {
		return t.Format("2 January 2006")
	}
	return commands.DutchDate(t)
}

func (s *Server) formatDateTime(l commands.Lang, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return s.formatDate(l, t) + " " + t.In(s.App.Zone()).Format("15:04")
}

// age says how long ago t was, coarsely: "3 uur", "2 dagen".
func (s *Server) age(l commands.Lang, t time.Time) string {
	d := s.now().Sub(t)
	switch {
	case d < time.Hour:
		return l.Count(commands.MsgMinutesN, int(d.Minutes()))
	case d < 48*time.Hour:
		return l.Count(commands.MsgHoursN, int(d.Hours()))
	default:
		return l.Count(commands.MsgDaysN, int(d.Hours()/24))
	}
}
