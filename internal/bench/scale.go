package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/chart"
	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/internal/scalecache"
	"github.com/wijkbv/wijkbot/storage"
)

// ScalePoint is a programme size: collectives with years of history.
type ScalePoint struct {
	Collectives int
	Years       int
}

func (p ScalePoint) String() string { return fmt.Sprintf("%d×%dy", p.Collectives, p.Years) }

// ScalePoints are the curve's points (issue 15): 10 to 10,000 collectives
// with a year of history, and 1,000 with three.
var ScalePoints = []ScalePoint{{10, 1}, {100, 1}, {1000, 1}, {10000, 1}, {1000, 3}}

// ScaleNow is the end of every scale database's history, a Monday
// afternoon: the week's check-in is posted and answered.
var ScaleNow = time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)

// ScaleDB returns the path of p's database in cacheDir, generating it when
// it is not there yet: collectives with a Telegram group each and a staff
// chat, and per collective and week two progress entries (two themes each)
// and a posted check-in round with an answer, and a slider move a month,
// written with plain SQL in large transactions (an fsync per record, as
// the store would take, would make 10,000 collectives × a year take hours).
// The database is migrated to the current schema when opened, so a cached
// file from an older build is brought up to date, not regenerated.
func ScaleDB(ctx context.Context, cacheDir string, p ScalePoint) (string, error) {
	path := filepath.Join(cacheDir, scalecache.Name(p.Collectives, p.Years))
	if _, err := os.Stat(path); err == nil {
		db, err := storage.Open(ctx, path) // migrations added since
		if err != nil {
			return "", err
		}
		return path, db.Close()
	}
	if err := os.MkdirAll(cacheDir, 0o700); err != nil {
		return "", err
	}
	tmp := path + ".partial"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(tmp + suffix)
	}
	if err := generateScale(ctx, tmp, p); err != nil {
		return "", fmt.Errorf("generate %s: %w", p, err)
	}
	return path, os.Rename(tmp, path)
}

func generateScale(ctx context.Context, path string, p ScalePoint) error {
	db, err := storage.Open(ctx, path)
	if err != nil {
		return err
	}
	start := ScaleNow.AddDate(-p.Years, 0, 0)
	db.Now = func() time.Time { return start }
	err = db.AddStaffChat(ctx, "", commands.ChatRef{Platform: commands.Telegram, ID: fmt.Sprint(StaffChat)}, "Staf", seeder)
	db.Close()
	if err != nil {
		return err
	}
	sdb, err := sql.Open("sqlite", storage.DSN(path))
	if err != nil {
		return err
	}
	defer sdb.Close()
	sdb.SetMaxOpenConns(1)
	elements, err := queryInts(ctx, sdb, `SELECT id FROM elements WHERE collective_id IS NULL ORDER BY position`)
	if err != nil {
		return err
	}
	if len(elements) == 0 {
		return errors.New("no default elements")
	}
	g := &scaleGen{ctx: ctx, p: p, start: start, elements: elements, rng: rand.New(rand.NewPCG(15, 15))}
	// 100 collectives a transaction: large enough that fsyncs do not
	// count, small enough that the WAL stays modest.
	for from := 0; from < p.Collectives; from += 100 {
		if err := g.batch(sdb, from, min(from+100, p.Collectives)); err != nil {
			return err
		}
	}
	_, err = sdb.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

type scaleGen struct {
	ctx      context.Context
	p        ScalePoint
	start    time.Time
	elements []int64
	rng      *rand.Rand
	people   []int64
}

func (g *scaleGen) batch(sdb *sql.DB, from, to int) error {
	ctx := g.ctx
	tx, err := sdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	prep := func(q string) *sql.Stmt {
		st, perr := tx.PrepareContext(ctx, q)
		if perr != nil && err == nil {
			err = perr
		}
		return st
	}
	insPerson := prep(`INSERT INTO people (platform, user_id, name, created_at, updated_at) VALUES ('telegram', ?, ?, ?, ?)`)
	insColl := prep(`INSERT INTO collectives (name, name_key, code, created_at) VALUES (?, ?, ?, ?)`)
	insChat := prep(`INSERT INTO chats (platform, chat_id, title, kind, collective_id, created_at, updated_at) VALUES ('telegram', ?, ?, 'collective', ?, ?, ?)`)
	insRound := prep(`INSERT INTO checkin_rounds (collective_id, scheduled_at, status, posted_at, created_at) VALUES (?, ?, 'posted', ?, ?)`)
	insAnswer := prep(`INSERT INTO checkin_answers (round_id, text, author_id, author_name, created_at) VALUES (?, ?, ?, 'Bewoner', ?)`)
	insEntry := prep(`INSERT INTO entries (collective_id, text, milestone, author_id, author_name, source, created_at) VALUES (?, ?, ?, ?, 'Bewoner', 'telegram', ?)`)
	insTheme := prep(`INSERT INTO entry_themes (entry_id, position, theme) VALUES (?, ?, ?)`)
	insSlider := prep(`INSERT INTO slider_changes (collective_id, element_id, value, previous, author_id, author_name, why, created_at) VALUES (?, ?, ?, ?, ?, 'Bewoner', 'maandelijkse stand', ?)`)
	if err != nil {
		return err
	}
	st := timeText(g.start)
	if g.people == nil {
		for k := range 5 {
			res, err := insPerson.ExecContext(ctx, fmt.Sprint(5000+k), fmt.Sprintf("Bewoner %d", k), st, st)
			if err != nil {
				return err
			}
			id, _ := res.LastInsertId()
			g.people = append(g.people, id)
		}
	}
	// The Monday 10:00 of the first week.
	first := g.start
	for first.Weekday() != time.Monday {
		first = first.AddDate(0, 0, 1)
	}
	first = time.Date(first.Year(), first.Month(), first.Day(), 10, 0, 0, 0, time.UTC)
	for i := from; i < to; i++ {
		name := fmt.Sprintf("Collectief %05d", i)
		res, err := insColl.ExecContext(ctx, name, commands.NormalizeName(name), Code(i), st)
		if err != nil {
			return err
		}
		cid, _ := res.LastInsertId()
		if _, err := insChat.ExecContext(ctx, fmt.Sprint(TelegramGroup(i)), name, cid, st, st); err != nil {
			return err
		}
		last := map[int64]int{}
		week := 0
		for at := first; at.Before(ScaleNow); at, week = at.AddDate(0, 0, 7), week+1 {
			who := g.people[g.rng.IntN(len(g.people))]
			res, err := insRound.ExecContext(ctx, cid, timeText(at), timeText(at), timeText(at))
			if err != nil {
				return err
			}
			rid, _ := res.LastInsertId()
			if _, err := insAnswer.ExecContext(ctx, rid, "Deze week hebben we met de gemeente gepraat over het buurthuis.", who, timeText(at.Add(3*time.Hour))); err != nil {
				return err
			}
			for k := range 2 {
				eat := at.Add(time.Duration(26+48*k) * time.Hour)
				if !eat.Before(ScaleNow) {
					continue
				}
				res, err := insEntry.ExecContext(ctx, cid, "Gesprek met de woningcorporatie over het pand #vastgoed #energie", week%13 == 0 && k == 0, who, timeText(eat))
				if err != nil {
					return err
				}
				eid, _ := res.LastInsertId()
				for pos, theme := range entryThemes {
					if _, err := insTheme.ExecContext(ctx, eid, pos, theme); err != nil {
						return err
					}
				}
			}
			// A move falling after ScaleNow is left out, as the last week's
			// entries are: with one in the future every collective's last
			// activity lay after the measured commands, so their writes
			// never updated it as a running bot's do (migration 070's
			// triggers), and the mixed load wrote a page fewer per command
			// than it should.
			if sat := at.Add(50 * time.Hour); week%4 == 0 && sat.Before(ScaleNow) {
				el := g.elements[g.rng.IntN(len(g.elements))]
				v := g.rng.IntN(11)
				var prev any
				if p, ok := last[el]; ok {
					prev = p
				}
				last[el] = v
				if _, err := insSlider.ExecContext(ctx, cid, el, v, prev, who, timeText(sat)); err != nil {
					return err
				}
			}
		}
	}
	return tx.Commit()
}

// Scale measures one point on a copy of its database, after its mixed
// load (MixedLoad, which runs the points together): /tijdlijn,
// /mengpaneel, /overzicht, the weekly digest and the scheduler's idle tick
// one at a time, through commands.Handler on the real store and chart
// renderer (no platform: the platforms' cost does not grow with the
// programme and is measured by the other scenarios); last the web pages,
// through web.Server's handler over loopback HTTP (measureWeb).
type Scale struct {
	DB     string // a copy of ScaleDB's file; it is written to
	Point  ScalePoint
	Repeat int // per single command: times measured
	Log    *slog.Logger
}

// ScaleResult is one point's figures.
type ScaleResult struct {
	Point ScalePoint
	// Mixed is the point's mixed load, from MixedLoad (Run leaves it).
	Mixed                     MixedResult
	Timeline, Panel, Overview []time.Duration
	Digest                    []time.Duration
	// Tick is the scheduler's minutely RunDue with nothing due: the cost
	// an idle bot pays every minute. It is measured at ScaleNow, a Monday
	// afternoon with the week's round posted and answered, and again on
	// the Thursday after (TickThursday): from two days after a round until
	// the next one the scheduler looks at every round once more (answered?
	// reminded?), so an idle Thursday tick is the dearer kind.
	Tick, TickThursday []time.Duration
	OverviewChars      int  // longest text of /overzicht's reply, in characters
	OverviewImage      bool // the reply had its heat map
	DigestChars        int
	RSS                int64 // the process after the point, bytes
	DBSize             int64 // the database file and its WAL, bytes
	// Web are the web pages, measured last, after addNetwork.
	Web []WebPage
}

// MixedCommands is the mixed load's mix, by weight: writes and reads of a
// collective's own chat. Charts are not in it (their cost does not depend
// on the programme's size and would hide what does; /mengpaneel is
// measured on its own).
var MixedCommands = []struct {
	Command string
	Weight  int
}{{"voortgang", 5}, {"tijdlijn", 3}, {"schuif", 2}}

// Run measures the point.
func (s Scale) Run(ctx context.Context) (res ScaleResult, err error) {
	res.Point = s.Point
	quiet := s.Log
	if quiet == nil {
		quiet = slog.New(slog.DiscardHandler)
	}
	db, err := storage.Open(ctx, s.DB)
	if err != nil {
		return res, err
	}
	defer db.Close()
	now := func() time.Time { return ScaleNow }
	db.Now = now
	h := &commands.Handler{Store: db, Now: now, Location: time.UTC, DefaultLang: commands.NL, Logger: quiet,
		Charts: &chart.Renderer{Now: now}}
	rng := rand.New(rand.NewPCG(uint64(s.Point.Collectives), 7))
	seq := 0
	request := func(command string, args map[string]string) commands.Request {
		seq++
		i := rng.IntN(s.Point.Collectives)
		return commands.Request{
			EventID: fmt.Sprintf("bench:scale:%d", seq),
			Chat:    commands.ChatRef{Platform: commands.Telegram, ID: fmt.Sprint(TelegramGroup(i))},
			User:    commands.UserRef{Platform: commands.Telegram, ID: fmt.Sprint(20_000 + i), Name: "Lid"},
			Command: command, Args: args, Lang: commands.NL,
		}
	}
	single := func(into *[]time.Duration, req func() commands.Request, check func(commands.Reply) error) error {
		for range s.Repeat {
			rq := req()
			t0 := time.Now()
			r := h.Handle(ctx, rq)
			*into = append(*into, time.Since(t0))
			if err := answered(rq, r); err != nil {
				return err
			}
			if check != nil {
				if err := check(r); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := single(&res.Timeline, func() commands.Request { return request("tijdlijn", map[string]string{"aantal": "50"}) }, nil); err != nil {
		return res, err
	}
	if err := single(&res.Panel, func() commands.Request { return request("mengpaneel", nil) }, func(r commands.Reply) error {
		if r.Image == nil {
			return errors.New("scale: /mengpaneel without its chart")
		}
		return nil
	}); err != nil {
		return res, err
	}
	staff := func() commands.Request {
		rq := request("overzicht", nil)
		rq.Chat = commands.ChatRef{Platform: commands.Telegram, ID: fmt.Sprint(StaffChat)}
		return rq
	}
	if err := single(&res.Overview, staff, func(r commands.Reply) error {
		res.OverviewChars = max(res.OverviewChars, utf8.RuneCountInString(r.Text))
		res.OverviewImage = r.Image != nil
		return nil
	}); err != nil {
		return res, err
	}
	staffChat := commands.Chat{Ref: commands.ChatRef{Platform: commands.Telegram, ID: fmt.Sprint(StaffChat)}, Kind: commands.ChatStaff, Active: true}
	for range s.Repeat {
		t0 := time.Now()
		d, err := h.LoadDigest(ctx, ScaleNow.AddDate(0, 0, -7), ScaleNow)
		if err != nil {
			return res, fmt.Errorf("scale: digest: %w", err)
		}
		m := h.DigestMessage(d, staffChat)
		res.Digest = append(res.Digest, time.Since(t0))
		res.DigestChars = utf8.RuneCountInString(m.Text)
	}
	rt := &bot.Runtime{Handler: h, Store: db, Logger: quiet}
	sched := &bot.Scheduler{Runtime: rt, Handler: h, Store: db, Now: now, Location: time.UTC, Logger: quiet}
	if err := s.ticks(ctx, sched, &res.Tick); err != nil {
		return res, err
	}
	thursday := ScaleNow.AddDate(0, 0, 3)
	late := &bot.Scheduler{Runtime: rt, Handler: h, Store: db, Now: func() time.Time { return thursday }, Location: time.UTC, Logger: quiet}
	// The day's first tick does the once-a-day work (retention, for one);
	// the other 1,439 of a Thursday are the idle ones measured.
	if err := late.RunDue(ctx); err != nil {
		return res, fmt.Errorf("scale: scheduler tick on Thursday: %w", err)
	}
	if err := s.ticks(ctx, late, &res.TickThursday); err != nil {
		return res, err
	}
	runtime.GC()
	debug.FreeOSMemory()
	res.RSS, _ = VmRSS(os.Getpid())
	res.DBSize = fileSize(s.DB) + fileSize(s.DB+"-wal")

	// The web pages last, so the figures above stay those of the cached
	// history: the lessons, requests and meetings the pages show are
	// added to this run's copy only.
	if err := addNetwork(ctx, s.DB, s.Point); err != nil {
		return res, err
	}
	coll, err := db.CollectiveByName(ctx, fmt.Sprintf("Collectief %05d", rng.IntN(s.Point.Collectives)))
	if err != nil {
		return res, fmt.Errorf("scale: web: %w", err)
	}
	if res.Web, err = measureWeb(ctx, h, rt, s.Point.Collectives, coll.ID, s.Repeat, quiet); err != nil {
		return res, err
	}
	return res, nil
}

// answered fails a command that was refused or failed: a fast apology
// would flatter the curve.
func answered(rq commands.Request, r commands.Reply) error {
	if r.Ephemeral || r.Duplicate || strings.TrimSpace(r.Text) == "" {
		return fmt.Errorf("scale: /%s in %s was not answered: %q", rq.Command, rq.Chat.ID, r.Text)
	}
	return nil
}

// queryInts reads a query's one integer column. A failed scan or a read
// cut short is an error: a generator that silently got fewer ids would
// measure a smaller programme than it says.
func queryInts(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// ticks times Repeat scheduler ticks.
func (s Scale) ticks(ctx context.Context, sched *bot.Scheduler, into *[]time.Duration) error {
	for range s.Repeat {
		t0 := time.Now()
		if err := sched.RunDue(ctx); err != nil {
			return fmt.Errorf("scale: scheduler tick at %s: %w", sched.Now().Format(time.DateTime), err)
		}
		*into = append(*into, time.Since(t0))
	}
	return nil
}
