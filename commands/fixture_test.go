package commands_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/export"
	"github.com/wijkbv/wijkbot/storage"
)

// Chats and people of the test programme.
var (
	staffChat = commands.ChatRef{Platform: commands.Console, ID: "staf"}
	noordChat = commands.ChatRef{Platform: commands.Console, ID: "noord"}
	noordTG   = commands.ChatRef{Platform: commands.Telegram, ID: "-100123"}
	looseChat = commands.ChatRef{Platform: commands.Console, ID: "los"}
	// Private chats with the bot, as the console's :prive plays them.
	janDM   = commands.ChatRef{Platform: commands.Console, ID: "prive:jan"}
	priveDM = commands.ChatRef{Platform: commands.Console, ID: "prive:prive"}
	evaDM   = commands.ChatRef{Platform: commands.Console, ID: "prive:eva"}
	tgDM    = commands.ChatRef{Platform: commands.Telegram, ID: "301"} // a Telegram private chat
	dcDM    = commands.ChatRef{Platform: commands.Discord, ID: "7301"} // a Discord DM

	admin = commands.UserRef{Platform: commands.Console, ID: "1", Name: "Beheer"}
	sanne = commands.UserRef{Platform: commands.Console, ID: "2", Name: "Sanne"}
	joost = commands.UserRef{Platform: commands.Console, ID: "3", Name: "Joost"}
	anna  = commands.UserRef{Platform: commands.Console, ID: "4", Name: "Anna"}
	piet  = commands.UserRef{Platform: commands.Console, ID: "5", Name: "Piet"}
	jan   = commands.UserRef{Platform: commands.Console, ID: "20", Name: "Jan V."}
	eva   = commands.UserRef{Platform: commands.Console, ID: "21", Name: "Eva K."}
)

// privateChats are the chats request marks as a person's private chat.
var privateChats = map[commands.ChatRef]bool{janDM: true, priveDM: true, evaDM: true, tgDM: true, dcDM: true}

// start is the frozen test time: Friday 27 November 2026, 11:00 in Amsterdam.
var start = time.Date(2026, time.November, 27, 10, 0, 0, 0, time.UTC)

// fixture is a handler on a fresh database with a clock the test moves.
type fixture struct {
	t    *testing.T
	ctx  context.Context
	db   *storage.DB
	raw  *sql.DB // the same file, read-only, for whole-database comparisons
	h    *commands.Handler
	logs *bytes.Buffer // what the handler logged
	now  time.Time
	ev   int
	// invite is an expert's invite code a setup left unused.
	invite string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return fixtureOn(t, filepath.Join(t.TempDir(), "t.db"), 0)
}

// fixtureOn opens (and migrates) the database file at path, which may
// already hold a programme; ev is the last event number used on it, so the
// fixture's next command is not taken for a re-delivery.
func fixtureOn(t *testing.T, path string, ev int) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	raw, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, ctx: ctx, db: db, raw: raw, now: start, logs: &bytes.Buffer{}, ev: ev}
	db.Now = func() time.Time { return f.now }
	f.h = &commands.Handler{Store: db, Now: func() time.Time { return f.now }, Location: loc,
		DefaultLang: commands.NL, DefaultSchedule: "0 10 * * MON", Exporter: export.Files{}, WebURL: "https://wijkbot.example.nl",
		Logger: slog.New(slog.NewTextHandler(f.logs, nil))}
	return f
}

// request builds the request for a typed line, as an adapter would.
func (f *fixture) request(chat commands.ChatRef, user commands.UserRef) commands.Request {
	f.ev++
	return commands.Request{
		EventID:     fmt.Sprintf("test:%d", f.ev),
		Chat:        chat,
		ChatTitle:   "chat " + chat.ID,
		User:        user,
		IsChatAdmin: user == anna || user == admin,
		IsBotAdmin:  user == admin,
		Private:     true, // as on Discord and the console; groupRequest tests the other case
		PrivateChat: privateChats[chat],
	}
}

// run types line in chat as user and returns the reply.
func (f *fixture) run(chat commands.ChatRef, user commands.UserRef, line string) commands.Reply {
	f.t.Helper()
	req := f.request(chat, user)
	cmd, args, err := f.h.Table().Parse(line, "wijkbot")
	if err != nil {
		if errors.Is(err, commands.ErrNotCommand) || errors.Is(err, commands.ErrOtherBot) {
			f.t.Fatalf("%q is not a command: %v", line, err)
		}
		return f.h.ParseErrorReply(f.ctx, req, err)
	}
	req.Command, req.Args = cmd.Name, args
	return f.h.Handle(f.ctx, req)
}

// ok runs line and fails the test if it was refused.
func (f *fixture) ok(chat commands.ChatRef, user commands.UserRef, line string) commands.Reply {
	f.t.Helper()
	r := f.run(chat, user, line)
	if r.Ephemeral && r.Code != "" || r.Duplicate {
		f.t.Fatalf("%s: refused: %q (code %s)", line, r.Text, r.Code)
	}
	return r
}

var codeRE = regexp.MustCompile(`\b[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}\b`)

// setup makes the staff chat and collective Noord, linked in noordChat.
// It returns Noord's ID.
func (f *fixture) setup() int64 {
	f.t.Helper()
	f.ok(staffChat, admin, "/stafkanaal")
	r := f.ok(staffChat, sanne, "/collectief Noord")
	code := codeRE.FindString(r.Text)
	if code == "" {
		f.t.Fatalf("no link code in %q", r.Text)
	}
	f.ok(noordChat, anna, "/koppel "+code)
	chat, err := f.db.Chat(f.ctx, noordChat)
	if err != nil {
		f.t.Fatal(err)
	}
	return chat.CollectiveID
}

func mustContain(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s = %q, want it to contain %q", what, text, w)
		}
	}
}

func mustNotContain(t *testing.T, what, text string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(text, w) {
			t.Errorf("%s = %q, want it not to contain %q", what, text, w)
		}
	}
}

// outboxTo returns the messages of the reply for chat.
func outboxTo(r commands.Reply, chat commands.ChatRef) []commands.Message {
	var msgs []commands.Message
	for _, m := range r.Outbox {
		if m.Chat == chat {
			msgs = append(msgs, m)
		}
	}
	return msgs
}

// dump is every row of every table, as text. Comparing dumps proves a
// refused command stored nothing at all, event ids included; it reads the
// file directly because no Store method lists everything.
func (f *fixture) dump() string {
	f.t.Helper()
	var tables []string
	rows, err := f.raw.QueryContext(f.ctx, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		f.t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			f.t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	var b strings.Builder
	for _, table := range tables {
		rows, err := f.raw.QueryContext(f.ctx, `SELECT * FROM "`+table+`"`)
		if err != nil {
			f.t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		fmt.Fprintf(&b, "%s:\n", table)
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				f.t.Fatal(err)
			}
			fmt.Fprintf(&b, "  %v\n", vals)
		}
		if err := rows.Err(); err != nil {
			f.t.Fatal(err)
		}
		rows.Close()
	}
	return b.String()
}
