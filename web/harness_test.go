package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/chart"
	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/export"
	"github.com/wijkbv/wijkbot/storage"
	"github.com/wijkbv/wijkbot/web"
)

// The people and chats of the tests.
var (
	staffUser  = commands.UserRef{Platform: commands.Telegram, ID: "1", Name: "Sanne Staf"}
	otherStaff = commands.UserRef{Platform: commands.Telegram, ID: "2", Name: "Piet Staf"}
	resident   = commands.UserRef{Platform: commands.Telegram, ID: "10", Name: "Ana Bewoner"}
	staffChat  = commands.ChatRef{Platform: commands.Telegram, ID: "-100"}
	groupChat  = commands.ChatRef{Platform: commands.Telegram, ID: "-200"}
)

// recorder is a platform that keeps what the bot sends to other chats.
type recorder struct {
	mu   sync.Mutex
	sent []sentMessage
}

type sentMessage struct{ Chat, Text string }

func (r *recorder) Platform() string { return commands.Telegram }

func (r *recorder) SendText(ctx context.Context, chatID, text string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, sentMessage{chatID, text})
	return fmt.Sprint(len(r.sent)), nil
}

func (r *recorder) to(chat string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, m := range r.sent {
		if m.Chat == chat {
			out = append(out, m.Text)
		}
	}
	return out
}

// env is a running bot with its web pages on an httptest server.
type env struct {
	t       *testing.T
	db      *storage.DB
	path    string
	clock   *bot.Clock
	runtime *bot.Runtime
	sent    *recorder
	srv     *httptest.Server
	pages   *web.Server
	events  int
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wijkbot.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	clock := &bot.Clock{}
	clock.Freeze(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	db.Now = clock.Now
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	charts := &chart.Renderer{Now: clock.Now, Location: loc}
	h := &commands.Handler{Store: db, Now: clock.Now, Location: loc, Charts: charts, Exporter: export.Files{}}
	rt := &bot.Runtime{Handler: h, Store: db, Admins: map[string]bool{staffUser.String(): true}}
	rec := &recorder{}
	rt.Register(rec)
	e := &env{t: t, db: db, path: path, clock: clock, runtime: rt, sent: rec}
	e.pages = &web.Server{App: h, Runner: rt, Charts: charts, SLA: commands.DefaultSLA}
	e.srv = httptest.NewServer(e.pages.Handler())
	e.pages.BaseURL = e.srv.URL
	h.WebURL = e.srv.URL
	t.Cleanup(func() {
		e.srv.Close()
		rt.Wait()
		db.Close()
	})
	return e
}

// do runs a command as typed in a chat and waits for its deliveries.
func (e *env) do(chat commands.ChatRef, user commands.UserRef, command string, args map[string]string) commands.Reply {
	e.t.Helper()
	e.events++
	req := commands.Request{EventID: fmt.Sprintf("test:%d", e.events), Chat: chat, User: user, Command: command, Args: args, ChatTitle: "chat " + chat.ID}
	if chat == groupChat {
		req.IsChatAdmin = true
	}
	reply := e.runtime.Handle(context.Background(), req)
	e.runtime.Wait()
	return reply
}

// seed sets up a staff chat, a collective with a linked group, progress
// with a script in it, a help request, a check-in with an answer, a moved
// slider and two lessons (one shared).
func (e *env) seed() {
	e.t.Helper()
	ctx := context.Background()
	must := func(r commands.Reply) commands.Reply {
		e.t.Helper()
		if r.Code != "" {
			e.t.Fatalf("seed: %s", r.Text)
		}
		return r
	}
	must(e.do(staffChat, staffUser, "stafkanaal", nil))
	must(e.do(staffChat, otherStaff, "hulp", nil))
	reply := must(e.do(staffChat, staffUser, "collectief", map[string]string{"naam": "Bewonersbedrijf Noord"}))
	code := regexp.MustCompile(`[A-Z2-9]{8}`).FindString(reply.Text)
	must(e.do(groupChat, resident, "koppel", map[string]string{"code": code}))
	must(e.do(groupChat, resident, "voortgang", map[string]string{"tekst": `<script>alert("x")</script> buurthuis gekocht #vastgoed`}))
	must(e.do(groupChat, resident, "schuif", map[string]string{"element": "eigenaarschap", "waarde": "7", "toelichting": "pand gekocht"}))
	must(e.do(groupChat, resident, "hulpvraag", map[string]string{"expertise": "juridisch", "vraag": "Hoe zit het met de erfpacht?"}))
	coll, err := e.db.CollectiveByName(ctx, "Bewonersbedrijf Noord")
	if err != nil {
		e.t.Fatal(err)
	}
	round, _, err := e.db.ClaimRound(ctx, coll.ID, e.clock.Now().Add(-time.Hour))
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.db.MarkRoundPosted(ctx, round.ID); err != nil {
		e.t.Fatal(err)
	}
	if err := e.db.AddCheckinAnswer(ctx, "test:checkin", round.ID, "Goede week gehad", resident); err != nil {
		e.t.Fatal(err)
	}
	shared := &commands.Lesson{CollectiveID: coll.ID, Text: "Praat eerst met de woningcorporatie", Themes: []string{"wonen"}}
	if err := e.db.AddLesson(ctx, "test:les1", shared, resident); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.db.SetLessonSharing(ctx, "test:share1", coll.ID, shared.Number, commands.SharingNetwork, resident); err != nil {
		e.t.Fatal(err)
	}
	secret := &commands.Lesson{CollectiveID: coll.ID, Text: "Interne les over de penningmeester", Themes: []string{"geld"}}
	if err := e.db.AddLesson(ctx, "test:les2", secret, resident); err != nil {
		e.t.Fatal(err)
	}
}

// client is a browser without JavaScript: cookies, no redirects followed.
func (e *env) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var linkPattern = regexp.MustCompile(`https?://\S+/login/([A-Za-z0-9_-]+)`)

// loginLink asks /dashboard in the staff chat and returns the link.
func (e *env) loginLink(user commands.UserRef) string {
	e.t.Helper()
	reply := e.do(staffChat, user, "dashboard", nil)
	link := linkPattern.FindString(reply.Text)
	if link == "" {
		e.t.Fatalf("/dashboard gave no link: %q", reply.Text)
	}
	return link
}

// login logs c in through a fresh link and returns the session cookie.
func (e *env) login(c *http.Client, user commands.UserRef) {
	e.t.Helper()
	res := e.post(c, e.loginLink(user), nil)
	if res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login: status %d", res.StatusCode)
	}
}

type response struct {
	*http.Response
	Body string
}

func (e *env) get(c *http.Client, path string) response {
	e.t.Helper()
	return e.send(c, http.MethodGet, path, nil, nil)
}

func (e *env) post(c *http.Client, path string, form url.Values) response {
	e.t.Helper()
	return e.send(c, http.MethodPost, path, form, nil)
}

func (e *env) send(c *http.Client, method, path string, form url.Values, header http.Header) response {
	e.t.Helper()
	u := path
	if !strings.HasPrefix(u, "http") {
		u = e.srv.URL + path
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res, string(b)}
}

var hiddenPattern = regexp.MustCompile(`name="(csrf|event)" value="([^"]*)"`)

// formValues reads the hidden fields of the form whose action is action.
func formValues(t *testing.T, page, action string) url.Values {
	t.Helper()
	i := strings.Index(page, `action="`+action)
	if i < 0 {
		t.Fatalf("no form with action %s", action)
	}
	end := strings.Index(page[i:], "</form>")
	v := url.Values{}
	for _, m := range hiddenPattern.FindAllStringSubmatch(page[i:i+end], -1) {
		v.Set(m[1], m[2])
	}
	return v
}

// dump is every row of every table, to show that a refused request
// changed nothing.
func (e *env) dump() string {
	e.t.Helper()
	db, err := sql.Open("sqlite", e.path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%' ORDER BY name`)
	if err != nil {
		e.t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	var b strings.Builder
	for _, tbl := range tables {
		r, err := db.Query(`SELECT * FROM "` + tbl + `"`)
		if err != nil {
			e.t.Fatal(err)
		}
		cols, _ := r.Columns()
		var lines []string
		for r.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			r.Scan(ptrs...)
			lines = append(lines, fmt.Sprintf("%v", vals))
		}
		r.Close()
		sort.Strings(lines)
		fmt.Fprintf(&b, "%s\n%s\n", tbl, strings.Join(lines, "\n"))
	}
	return b.String()
}
