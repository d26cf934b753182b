package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
)

// schedSender records what a scheduler sends: a test double of a platform.
type schedSender struct {
	mu   sync.Mutex
	sent []schedMsg
	fail map[string]int // chat → how many sends to it fail from now on
}

type schedMsg struct {
	Chat, Text, ID string
	At             time.Time
}

func (r *schedSender) Platform() string { return commands.Console }

func (r *schedSender) SendText(ctx context.Context, chatID, text string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail[chatID] > 0 {
		r.fail[chatID]--
		return "", errors.New("chat not found")
	}
	id := fmt.Sprintf("m%d", len(r.sent)+1)
	r.sent = append(r.sent, schedMsg{Chat: chatID, Text: text, ID: id})
	return id, nil
}

// find returns the messages to chat whose text contains substr.
func (r *schedSender) find(chat, substr string) []schedMsg {
	r.mu.Lock()
	defer r.mu.Unlock()
	var list []schedMsg
	for _, m := range r.sent {
		if (chat == "" || m.Chat == chat) && strings.Contains(m.Text, substr) {
			list = append(list, m)
		}
	}
	return list
}

// checkinMark and nudgeMark tell check-ins and nudges apart in the recording.
const (
	checkinMark = "Wekelijkse check-in van"
	nudgeMark   = "vriendelijke herinnering"
	digestMark  = "Weekoverzicht"
)

// schedEnv is one bot process: a database handle, a runtime and a scheduler,
// on a shared clock and a shared platform.
type schedEnv struct {
	db    *storage.DB
	sched *Scheduler
}

type schedFixture struct {
	t      *testing.T
	path   string
	clock  *Clock
	ams    *time.Location
	sender *schedSender
	staff  commands.ChatRef
}

func newSchedFixture(t *testing.T, start time.Time) *schedFixture {
	t.Helper()
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	clk := &Clock{}
	clk.Freeze(start)
	return &schedFixture{t: t, path: filepath.Join(t.TempDir(), "wijkbot.db"), clock: clk, ams: ams, sender: &schedSender{}}
}

// process opens a new database handle and scheduler, as a (re)started bot
// process would.
func (f *schedFixture) process() *schedEnv {
	f.t.Helper()
	db, err := storage.Open(context.Background(), f.path)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { db.Close() })
	db.Now = f.clock.Now
	h := &commands.Handler{Store: db, Now: f.clock.Now, Location: f.ams, DefaultLang: commands.NL}
	rt := &Runtime{Handler: h, Store: db}
	rt.Register(f.sender)
	return &schedEnv{db: db, sched: &Scheduler{Runtime: rt, Handler: h, Store: db, Now: f.clock.Now, Location: f.ams,
		Logger: slog.New(slog.DiscardHandler)}}
}

var user = commands.UserRef{Platform: commands.Console, ID: "1", Name: "Anna"}

// collective creates a collective with the given number of linked chats
// ("<name>-1", "<name>-2", ...).
func (f *schedFixture) collective(db *storage.DB, name string, chats int) *commands.Collective {
	f.t.Helper()
	ctx := context.Background()
	code := strings.ToUpper(fmt.Sprintf("%-8s", strings.ReplaceAll(name, " ", ""))[:8])
	code = strings.Map(func(r rune) rune {
		if !strings.ContainsRune(commands.CodeAlphabet, r) {
			return 'X'
		}
		return r
	}, code)
	c := &commands.Collective{Name: name, Code: code}
	if err := db.CreateCollective(ctx, "", c, user); err != nil {
		f.t.Fatal(err)
	}
	for i := 1; i <= chats; i++ {
		ref := commands.ChatRef{Platform: commands.Console, ID: fmt.Sprintf("%s-%d", name, i)}
		if _, err := db.LinkChat(ctx, "", ref, name, code, user); err != nil {
			f.t.Fatal(err)
		}
	}
	return c
}

func (f *schedFixture) staffChat(db *storage.DB) {
	f.t.Helper()
	f.staff = commands.ChatRef{Platform: commands.Console, ID: "staf"}
	if err := db.AddStaffChat(context.Background(), "", f.staff, "Staf", user); err != nil {
		f.t.Fatal(err)
	}
}

// run moves the clock to at and runs the scheduler once.
func (f *schedFixture) run(e *schedEnv, at time.Time) {
	f.t.Helper()
	f.clock.Freeze(at)
	if err := e.sched.RunDue(context.Background()); err != nil {
		f.t.Fatalf("RunDue at %v: %v", at, err)
	}
}

func (f *schedFixture) local(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, f.ams)
}

// rounds returns the collective's rounds by status.
func (f *schedFixture) rounds(db *storage.DB, c *commands.Collective) map[string][]commands.Round {
	f.t.Helper()
	list, err := db.Rounds(context.Background(), c.ID, time.Time{}, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		f.t.Fatal(err)
	}
	by := map[string][]commands.Round{}
	for _, r := range list {
		by[r.Status] = append(by[r.Status], r)
	}
	return by
}

var errCrash = errors.New("simulated crash")

// crashStore is a real database that "crashes" (fails and stops) at one
// point of the posting protocol, to restart a process there.
type crashStore struct {
	SchedulerStore
	at string
}

func (c crashStore) ClaimRound(ctx context.Context, id int64, at time.Time) (*commands.Round, bool, error) {
	if c.at == "ClaimRound" {
		return nil, false, errCrash
	}
	return c.SchedulerStore.ClaimRound(ctx, id, at)
}

func (c crashStore) BeginDelivery(ctx context.Context, owner string, roundID int64, chat commands.ChatRef, max int) (bool, error) {
	if c.at == "BeginDelivery" {
		return false, errCrash
	}
	return c.SchedulerStore.BeginDelivery(ctx, owner, roundID, chat, max)
}

func (c crashStore) FinishDelivery(ctx context.Context, owner string, chat commands.ChatRef, id string, failed bool) error {
	if c.at == "FinishDelivery" {
		return errCrash
	}
	return c.SchedulerStore.FinishDelivery(ctx, owner, chat, id, failed)
}

func (c crashStore) MarkRoundPosted(ctx context.Context, id int64) error {
	if c.at == "MarkRoundPosted" {
		return errCrash
	}
	return c.SchedulerStore.MarkRoundPosted(ctx, id)
}

func (c crashStore) FinishSend(ctx context.Context, key, status string) error {
	if c.at == "FinishSend" {
		return errCrash
	}
	return c.SchedulerStore.FinishSend(ctx, key, status)
}
