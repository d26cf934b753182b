package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
)

var limitsT0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// newTestLimits returns the default limits on a clock the test moves.
func newTestLimits() (*Limits, *Clock) {
	clock := &Clock{}
	clock.Freeze(limitsT0)
	l := DefaultLimits()
	l.Now = clock.Now
	return l, clock
}

var (
	limChatA = commands.ChatRef{Platform: commands.Telegram, ID: "-100"}
	limChatB = commands.ChatRef{Platform: commands.Telegram, ID: "-200"}
	limAnna  = commands.UserRef{Platform: commands.Telegram, ID: "1", Name: "Anna"}
	limBram  = commands.UserRef{Platform: commands.Telegram, ID: "2", Name: "Bram"}
)

func TestLimitsUser(t *testing.T) {
	l, clock := newTestLimits()
	for i := range 10 {
		if ok, _ := l.Allow(limChatA, limAnna); !ok {
			t.Fatalf("command %d of a burst of 10 refused", i+1)
		}
	}
	ok, wait := l.Allow(limChatA, limAnna)
	if ok {
		t.Fatal("11th command in a burst allowed")
	}
	// 20 a minute: one every 3 seconds.
	if wait <= 0 || wait > 3*time.Second {
		t.Fatalf("wait=%v, want (0, 3s]", wait)
	}
	if ok, _ := l.Allow(limChatB, limAnna); ok {
		t.Fatal("the same person was allowed in another chat: the limit is per person")
	}
	if ok, _ := l.Allow(limChatA, limBram); !ok {
		t.Fatal("another person was refused: Anna's burst used up the chat")
	}
	clock.Advance(wait)
	if ok, _ := l.Allow(limChatA, limAnna); !ok {
		t.Fatalf("refused after waiting %v", wait)
	}
	if ok, _ := l.Allow(limChatA, limAnna); ok {
		t.Fatal("allowed twice after waiting for one")
	}
}

func TestLimitsChat(t *testing.T) {
	l, clock := newTestLimits()
	for i := range 12 {
		u := commands.UserRef{Platform: commands.Telegram, ID: fmt.Sprint(100 + i)}
		if ok, _ := l.Allow(limChatA, u); !ok {
			t.Fatalf("person %d refused within the chat's burst of 12", i+1)
		}
	}
	if ok, _ := l.Allow(limChatA, limAnna); ok {
		t.Fatal("13th command in the chat allowed")
	}
	if ok, _ := l.Allow(limChatB, limAnna); !ok {
		t.Fatal("refused in another chat, and the refusal in the first cost Anna a command")
	}
	clock.Advance(7500 * time.Millisecond) // 8 a minute: one every 7.5 seconds
	if ok, _ := l.Allow(limChatA, limAnna); !ok {
		t.Fatal("refused after the chat's bucket refilled one")
	}
}

// A chat's commands stay within what Telegram lets the bot answer in a
// group: 20 messages in any minute (issue 16, item 8).
func TestLimitsChatWithinGroupLimit(t *testing.T) {
	l, clock := newTestLimits()
	var allowed []time.Time
	for i := range 600 { // a flood of one command a second, many people
		u := commands.UserRef{Platform: commands.Telegram, ID: fmt.Sprint(1000 + i)}
		if ok, _ := l.Allow(limChatA, u); ok {
			allowed = append(allowed, clock.Now())
		}
		clock.Advance(100 * time.Millisecond)
	}
	for i := range allowed {
		n := 0
		for _, at := range allowed[i:] {
			if at.Sub(allowed[i]) < time.Minute {
				n++
			}
		}
		if n > 20 {
			t.Fatalf("%d commands allowed in the minute from %v, want at most 20", n, allowed[i])
		}
	}
}

func TestLimitsLinkCodes(t *testing.T) {
	t.Run("five wrong codes block for ten minutes", func(t *testing.T) {
		l, clock := newTestLimits()
		for i := range 4 {
			l.LinkFailed(limChatA, limAnna)
			clock.Advance(time.Minute)
			if blocked, _ := l.LinkBlocked(limChatA, limAnna); blocked {
				t.Fatalf("blocked after %d wrong codes", i+1)
			}
		}
		l.LinkFailed(limChatA, limAnna)
		blocked, wait := l.LinkBlocked(limChatA, limAnna)
		if !blocked || wait != 10*time.Minute {
			t.Fatalf("after 5 wrong codes blocked=%v wait=%v, want true 10m", blocked, wait)
		}
		if blocked, _ := l.LinkBlocked(limChatA, limBram); !blocked {
			t.Fatal("another person in the same chat may go on guessing")
		}
		if blocked, _ := l.LinkBlocked(limChatB, limAnna); !blocked {
			t.Fatal("the same person may go on guessing from another chat")
		}
		if blocked, _ := l.LinkBlocked(limChatB, limBram); blocked {
			t.Fatal("an uninvolved chat and person are blocked")
		}
		clock.Advance(10*time.Minute - time.Second)
		if blocked, _ := l.LinkBlocked(limChatA, limAnna); !blocked {
			t.Fatal("block lifted early")
		}
		clock.Advance(time.Second)
		if blocked, _ := l.LinkBlocked(limChatA, limAnna); blocked {
			t.Fatal("still blocked after ten minutes")
		}
	})
	t.Run("old failures expire", func(t *testing.T) {
		l, clock := newTestLimits()
		for range 4 {
			l.LinkFailed(limChatA, limAnna)
		}
		clock.Advance(10*time.Minute + time.Second)
		l.LinkFailed(limChatA, limAnna)
		if blocked, _ := l.LinkBlocked(limChatA, limAnna); blocked {
			t.Fatal("blocked by failures older than the window")
		}
	})
}

func TestLimitsMemoryBounded(t *testing.T) {
	l, clock := newTestLimits()
	for i := range 5000 {
		c := commands.ChatRef{Platform: commands.Discord, ID: fmt.Sprint(i)}
		u := commands.UserRef{Platform: commands.Discord, ID: fmt.Sprint(i)}
		l.Allow(c, u)
		l.LinkFailed(c, u)
	}
	if got := l.size(); got < 5000 {
		t.Fatalf("size=%d right after 5000 people, want them all remembered", got)
	}
	// Full buckets (30 s for a person, 20 s for a chat) and link records
	// past their window are forgotten by the next sweep.
	clock.Advance(11 * time.Minute)
	l.Allow(limChatA, limAnna)
	if got := l.size(); got > 2 {
		t.Fatalf("size=%d after everyone went quiet, want at most Anna's and her chat's buckets", got)
	}
}

func TestLimitsNil(t *testing.T) {
	var l *Limits
	if ok, _ := l.Allow(limChatA, limAnna); !ok {
		t.Fatal("nil Limits refused")
	}
	l.LinkFailed(limChatA, limAnna)
	if blocked, _ := l.LinkBlocked(limChatA, limAnna); blocked {
		t.Fatal("nil Limits blocked")
	}
}

// limitsObserver records what the runtime reports.
type limitsObserver struct {
	mu       sync.Mutex
	commands map[string]int // "command outcome"
}

func (o *limitsObserver) CommandHandled(command, outcome string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.commands == nil {
		o.commands = map[string]int{}
	}
	o.commands[command+" "+outcome]++
}

func (o *limitsObserver) Delivered(platform, outcome string) {}

func (o *limitsObserver) RateLimited(platform string) {}

func (o *limitsObserver) count(key string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.commands[key]
}

func newLimitedRuntime(t *testing.T) (*Runtime, *storage.DB, *limitsObserver) {
	t.Helper()
	db := OpenTestDB(t)
	limits, _ := newTestLimits()
	obs := &limitsObserver{}
	logger := slog.New(slog.DiscardHandler)
	r := &Runtime{
		Handler:  &commands.Handler{Store: db, Now: func() time.Time { return limitsT0 }, Logger: logger},
		Store:    db,
		Admins:   map[string]bool{"telegram:99": true},
		Limits:   limits,
		Observer: obs,
	}
	return r, db, obs
}

func TestRuntimeRateLimit(t *testing.T) {
	ctx := context.Background()
	r, db, obs := newLimitedRuntime(t)
	req := commands.Request{Chat: limChatA, User: limAnna, Command: "hulp"}
	for i := range 10 {
		req.EventID = fmt.Sprintf("telegram:update:%d", i)
		if reply := r.Handle(ctx, req); reply.Code == "rate_limited" {
			t.Fatalf("command %d refused: %q", i+1, reply.Text)
		}
	}
	req.EventID = "telegram:update:10"
	reply := r.Handle(ctx, req)
	if !reply.Ephemeral || !strings.HasPrefix(reply.Text, "Rustig aan") {
		t.Fatalf("11th command: reply %+v, want an ephemeral 'Rustig aan'", reply)
	}
	if got := obs.count("hulp rate_limited"); got != 1 {
		t.Fatalf("observer saw %d rate-limited /hulp, want 1", got)
	}

	t.Run("typos count too", func(t *testing.T) {
		reply, ok := r.HandleText(ctx, commands.Request{Chat: limChatA, User: limAnna}, "/bestaatniet", "WijkBot")
		if !ok || !strings.HasPrefix(reply.Text, "Rustig aan") {
			t.Fatalf("reply %q ok=%v, want 'Rustig aan'", reply.Text, ok)
		}
	})
	t.Run("in the chat's language", func(t *testing.T) {
		if err := db.SetChatLang(ctx, "", limChatA, commands.EN); err != nil {
			t.Fatal(err)
		}
		reply := r.Handle(ctx, commands.Request{Chat: limChatA, User: limAnna, Command: "hulp"})
		if !strings.HasPrefix(reply.Text, "Easy now") {
			t.Fatalf("reply %q, want English", reply.Text)
		}
	})
	t.Run("bot admins are not limited", func(t *testing.T) {
		admin := commands.UserRef{Platform: commands.Telegram, ID: "99"}
		for i := range 30 {
			if reply := r.Handle(ctx, commands.Request{Chat: limChatA, User: admin, Command: "hulp"}); reply.Code == "rate_limited" {
				t.Fatalf("admin's command %d refused", i+1)
			}
		}
	})
}

// TestRuntimeLinkFailures runs the real /koppel: the runtime counts its
// refusals of wrong codes (ENOTFOUND, EINVALID) and then blocks it.
func TestRuntimeLinkFailures(t *testing.T) {
	ctx := context.Background()
	r, _, obs := newLimitedRuntime(t)
	r.Limits.User = Rate{} // only the link-code guard is under test
	r.Limits.Chat = Rate{}
	req := commands.Request{Chat: limChatA, User: limAnna, IsChatAdmin: true, Command: "koppel"}
	for i := range 5 {
		req.Args = map[string]string{"code": fmt.Sprintf("ZZZZZZZ%d", i+2)}
		reply := r.Handle(ctx, req)
		if reply.Code != commands.ENOTFOUND && reply.Code != commands.EINVALID {
			t.Fatalf("wrong code %d: reply code %q (%q), want not_found or invalid", i+1, reply.Code, reply.Text)
		}
	}
	req.Args = map[string]string{"code": "ABCDEFGH"}
	reply := r.Handle(ctx, req)
	if reply.Code != "rate_limited" || !strings.Contains(reply.Text, "Te veel verkeerde codes") {
		t.Fatalf("6th attempt: reply %q code %q, want refused for too many wrong codes", reply.Text, reply.Code)
	}
	if got := obs.count("koppel rate_limited"); got != 1 {
		t.Fatalf("observer saw %d refused /koppel, want 1", got)
	}
}

// TestRuntimeInviteFailures: wrong expert invite codes, typed with
// /ikbenexpert or sent by a deep link's /start, count towards the same
// block as wrong link codes; a /start without a code is never blocked.
func TestRuntimeInviteFailures(t *testing.T) {
	ctx := context.Background()
	r, _, _ := newLimitedRuntime(t)
	r.Limits.User = Rate{}
	r.Limits.Chat = Rate{}
	private := commands.ChatRef{Platform: commands.Telegram, ID: "4242"}
	for i := range 5 {
		req := commands.Request{Chat: private, User: limAnna, PrivateChat: true, Command: "ikbenexpert",
			Args: map[string]string{"code": fmt.Sprintf("ZZZZZZZ%d", i+2)}}
		if i%2 == 1 {
			req.Command = "hulp" // "/start <code>" from a deep link
		}
		if reply := r.Handle(ctx, req); reply.Code != commands.ENOTFOUND {
			t.Fatalf("wrong invite code %d (/%s): reply code %q (%q), want not_found", i+1, req.Command, reply.Code, reply.Text)
		}
	}
	reply := r.Handle(ctx, commands.Request{Chat: private, User: limAnna, PrivateChat: true, Command: "ikbenexpert",
		Args: map[string]string{"code": "ABCDEFGH"}})
	if reply.Code != "rate_limited" {
		t.Fatalf("6th attempt: reply %q code %q, want refused for too many wrong codes", reply.Text, reply.Code)
	}
	// An expert never had a link code: the refusal speaks of codes.
	if !strings.Contains(reply.Text, "verkeerde codes") || strings.Contains(reply.Text, "koppel") {
		t.Errorf("refusal of a wrong invite code: %q, want it to speak of wrong codes, not link codes", reply.Text)
	}
	if reply := r.Handle(ctx, commands.Request{Chat: private, User: limAnna, PrivateChat: true, Command: "hulp"}); reply.Code != "" {
		t.Fatalf("/start without a code while blocked: code %q (%q), want the help", reply.Code, reply.Text)
	}
}
