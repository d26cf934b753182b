package bench

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"regexp"
	"strings"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/chart"
	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
	"github.com/wijkbv/wijkbot/web"
)

// WebPage is one web page measured at a scale point: the time to the whole
// response (headers and body read by an HTTP client on a loopback
// connection) through web.Server's handler, logged in as staff are.
type WebPage struct {
	Name   string // figure name: overview, collective, queue, lessons, meetings, public
	Path   string
	Times  []time.Duration
	Status int // of the last response
	Bytes  int // the last response's body
	// Articles counts the page's <article> elements: the overview's
	// cards, the queue's requests, the lessons, the meetings.
	Articles int
	// Cards counts the overview's collective cards (<article class="card">).
	Cards int
}

// webPages are the pages measured, in the order printed. The collective's
// page is of a random collective of the point.
var webPages = []struct{ name, path string }{
	{"overview", "/"},
	{"collective", ""},
	{"queue", "/hulpvragen"},
	{"lessons", "/lessen"},
	{"meetings", "/bijeenkomsten"},
	{"public", "/openbaar/lessen"},
}

// measureWeb serves the web pages on a loopback server, logs in the way
// staff do (/dashboard in the staff chat, then the login link's button:
// the real token, the real session cookie) and fetches each page repeat
// times. A page that is not 200 fails the point: a fast error page would
// flatter the curve.
func measureWeb(ctx context.Context, h *commands.Handler, rt *bot.Runtime, collectives int, collectiveID int64, repeat int, logger *slog.Logger) ([]WebPage, error) {
	ws := &web.Server{App: h, Runner: rt, Charts: &chart.Renderer{Now: h.Now}, SLA: commands.DefaultSLA, Logger: logger}
	srv := httptest.NewServer(ws.Handler())
	defer srv.Close()
	ws.BaseURL, h.WebURL = srv.URL, srv.URL
	defer func() { h.WebURL = "" }()

	reply := h.Handle(ctx, commands.Request{
		EventID: fmt.Sprintf("bench:scale:dashboard:%d", time.Now().UnixNano()),
		Chat:    commands.ChatRef{Platform: commands.Telegram, ID: fmt.Sprint(StaffChat)},
		User:    commands.UserRef{Platform: commands.Telegram, ID: "1", Name: "Staf"},
		Command: "dashboard", Lang: commands.NL,
	})
	link := loginLink.FindString(reply.Text)
	if link == "" {
		return nil, fmt.Errorf("scale: /dashboard gave no login link: %q", reply.Text)
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Post(link, "application/x-www-form-urlencoded", nil)
	if err != nil {
		return nil, fmt.Errorf("scale: log in: %w", err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || len(jar.Cookies(res.Request.URL)) == 0 {
		return nil, fmt.Errorf("scale: log in: status %d, no session", res.StatusCode)
	}

	var pages []WebPage
	for _, wp := range webPages {
		p := WebPage{Name: wp.name, Path: wp.path}
		var lastBody []byte
		if p.Path == "" {
			p.Path = fmt.Sprintf("/collectief/%d", collectiveID)
		}
		for range max(1, repeat) {
			t0 := time.Now()
			res, err := client.Get(srv.URL + p.Path)
			if err != nil {
				return nil, fmt.Errorf("scale: GET %s: %w", p.Path, err)
			}
			body, err := io.ReadAll(res.Body)
			res.Body.Close()
			lastBody = body
			p.Times = append(p.Times, time.Since(t0))
			if err != nil {
				return nil, fmt.Errorf("scale: GET %s: %w", p.Path, err)
			}
			p.Status, p.Bytes = res.StatusCode, len(body)
			if res.StatusCode != http.StatusOK {
				return nil, fmt.Errorf("scale: GET %s: status %d", p.Path, res.StatusCode)
			}
			p.Articles = strings.Count(string(body), "<article")
			p.Cards = strings.Count(string(body), `<article class="card`)
		}
		// The overview is a page of cards of the whole programme: a
		// page without them, or not of every collective, is no answer.
		if p.Name == "overview" {
			want := min(collectives, commands.OverviewPageSize)
			if p.Cards != want || !strings.Contains(string(lastBody), fmt.Sprintf("Collectief 1–%d van %d", want, collectives)) {
				return nil, fmt.Errorf("scale: the overview shows %d cards, want %d of %d", p.Cards, want, collectives)
			}
		}
		pages = append(pages, p)
	}
	return pages, nil
}

var loginLink = regexp.MustCompile(`https?://\S+/login/[A-Za-z0-9_-]{43}`)

// addNetwork writes what the web pages show beyond the chat history into
// the run's copy of a scale database, after the commands were measured
// (their figures stay those of the cached history): per collective a
// lesson and a help request a quarter (every other lesson shared with the
// network; every request answered and resolved, except that every tenth
// collective's last one still waits), and three upcoming meetings, each
// with an answer from a member of every tenth collective. Plain SQL in
// large transactions, as the history.
func addNetwork(ctx context.Context, path string, p ScalePoint) error {
	sdb, err := sql.Open("sqlite", storage.DSN(path))
	if err != nil {
		return err
	}
	defer sdb.Close()
	sdb.SetMaxOpenConns(1)
	start := ScaleNow.AddDate(-p.Years, 0, 0)
	quarters := 4 * p.Years
	for from := 0; from < p.Collectives; from += 500 {
		to := min(from+500, p.Collectives)
		if err := networkBatch(ctx, sdb, start, quarters, from, to); err != nil {
			return fmt.Errorf("scale: network history: %w", err)
		}
	}
	return nil
}

func networkBatch(ctx context.Context, sdb *sql.DB, start time.Time, quarters, from, to int) error {
	tx, err := sdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	exec := func(q string, args ...any) (int64, error) {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return 0, err
		}
		return res.LastInsertId()
	}
	if from == 0 {
		for m := range 3 {
			at := ScaleNow.AddDate(0, 0, 7*(m+1)+2).Add(4 * time.Hour)
			if _, err := exec(`INSERT INTO meetings (title, place, starts_at, created_by_name, created_at) VALUES (?, 'Buurthuis De Kroon', ?, 'Staf', ?)`,
				fmt.Sprintf("Netwerkbijeenkomst %d", m+1), timeText(at), timeText(ScaleNow.AddDate(0, 0, -7))); err != nil {
				return err
			}
		}
	}
	meetings, err := queryInts(ctx, tx, `SELECT number FROM meetings WHERE starts_at > ? ORDER BY number`, timeText(ScaleNow))
	if err != nil {
		return err
	}
	answers := []string{"ja", "misschien", "nee"}
	for i := from; i < to; i++ {
		var cid int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM collectives WHERE code = ?`, Code(i)).Scan(&cid); err != nil {
			return fmt.Errorf("collective %d: %w", i, err)
		}
		st := timeText(start)
		person, err := exec(`INSERT INTO people (platform, user_id, name, created_at, updated_at) VALUES ('telegram', ?, ?, ?, ?)`,
			fmt.Sprint(30_000_000+i), fmt.Sprintf("Lid %d", i), st, st)
		if err != nil {
			return err
		}
		for q := range quarters {
			at := start.AddDate(0, 3*q, 10).Add(11 * time.Hour)
			sharing, sharedAt := "team", timeText(at.Add(time.Minute))
			if (i+q)%2 == 0 {
				sharing = "network"
			}
			lesson, err := exec(`INSERT INTO lessons (collective_id, text, sharing, author_id, author_name, source, created_at, sharing_at) VALUES (?, ?, ?, ?, ?, 'telegram', ?, ?)`,
				cid, "Praat eerst met de woningcorporatie voordat je een pand bod uitbrengt; de wethouder volgt de corporatie.", sharing, person, fmt.Sprintf("Lid %d", i), timeText(at), sharedAt)
			if err != nil {
				return err
			}
			for pos, theme := range []string{"wonen", "vastgoed"} {
				if _, err := exec(`INSERT INTO lesson_themes (lesson, position, theme) VALUES (?, ?, ?)`, lesson, pos, theme); err != nil {
					return err
				}
			}
			asked := at.AddDate(0, 0, 20)
			waiting := i%10 == 0 && q == quarters-1
			if waiting {
				asked = ScaleNow.AddDate(0, 0, -3)
			}
			number, err := exec(`INSERT INTO help_requests (collective_id, expertise, question, status, asked_by_id, asked_by_name, created_at) VALUES (?, 'juridisch', 'Hoe zit het met de erfpacht van ons buurthuis?', 'open', ?, ?, ?)`,
				cid, person, fmt.Sprintf("Lid %d", i), timeText(asked))
			if err != nil {
				return err
			}
			if waiting {
				continue
			}
			done := asked.Add(26 * time.Hour)
			if _, err := exec(`UPDATE help_requests SET status = 'resolved', claimed_by_name = 'Staf', claimed_at = ?, answered_at = ?, resolved_at = ? WHERE number = ?`,
				timeText(asked.Add(2*time.Hour)), timeText(done), timeText(done.Add(time.Hour)), number); err != nil {
				return err
			}
			if _, err := exec(`INSERT INTO help_answers (number, text, author_name, created_at) VALUES (?, 'Erfpacht loopt via de gemeente; vraag naar de canon en de looptijd.', 'Staf', ?)`,
				number, timeText(done)); err != nil {
				return err
			}
		}
		if i%10 == 0 {
			for k, m := range meetings {
				if _, err := exec(`INSERT INTO meeting_rsvps (meeting, person_id, person_name, collective_id, platform, chat_id, answer, updated_at) VALUES (?, ?, ?, ?, 'telegram', ?, ?, ?)`,
					m, person, fmt.Sprintf("Lid %d", i), cid, fmt.Sprint(TelegramGroup(i)), answers[(i/10+k)%3], timeText(ScaleNow.AddDate(0, 0, -2))); err != nil {
					return err
				}
			}
		}
	}
	return tx.Commit()
}
