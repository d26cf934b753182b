package discord_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/discord"
	"github.com/wijkbv/wijkbot/bot/discord/discordtest"
	"github.com/wijkbv/wijkbot/chart"
	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
)

// People in the tests. The admin is a bot admin (WIJKBOT_ADMINS).
var (
	admin   = discordtest.Member{ID: "5001", Username: "anna", GlobalName: "Anna", Permissions: discordtest.PermManageServer | discordtest.PermSendMessages}
	pioneer = discordtest.Member{ID: "5002", Username: "piet", Nick: "Piet uit Noord", Permissions: discordtest.PermManageServer | discordtest.PermSendMessages}
	member  = discordtest.Member{ID: "5003", Username: "mo", GlobalName: "Mo", Permissions: discordtest.PermSendMessages}
	staffer = discordtest.Member{ID: "5004", Username: "sanne", GlobalName: "Sanne", Permissions: discordtest.PermSendMessages}
)

// harness is a real runtime (real handler, real SQLite) with the Discord
// adapter connected to the fake.
type harness struct {
	srv  *discordtest.Server
	db   *storage.DB
	path string // the database file
	rt   *bot.Runtime
	bot  *discord.Bot
	stop func()

	mu      sync.Mutex
	handled map[string][]bool // interaction id -> duplicate flags, in order
	changed chan struct{}
}

func newHarness(t *testing.T, setup ...func(*discord.Bot)) *harness {
	t.Helper()
	return newHarnessWith(t, nil, setup...)
}

// newHarnessWith is newHarness with the handler changed by tune before
// the bot starts (a table with test commands, a web URL).
func newHarnessWith(t *testing.T, tune func(*commands.Handler), setup ...func(*discord.Bot)) *harness {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wijkbot.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatalf("storage.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	clock := &bot.Clock{}
	clock.Freeze(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	db.Now = clock.Now
	h := &harness{db: db, path: path, handled: map[string][]bool{}, changed: make(chan struct{})}
	h.rt = &bot.Runtime{
		Handler: &commands.Handler{Store: db, Now: clock.Now, Location: time.UTC, DefaultLang: commands.NL, DefaultSchedule: "0 10 * * MON",
			Charts: &chart.Renderer{Now: clock.Now}},
		Store:  db,
		Admins: map[string]bool{"discord:" + admin.ID: true},
	}
	if tune != nil {
		tune(h.rt.Handler)
	}
	t.Cleanup(h.rt.Wait)
	h.srv = discordtest.NewServer(t)
	setup = append(setup, discord.OnHandled(h.record))
	h.bot, h.stop = h.srv.StartBot(t, h.rt, setup...)
	return h
}

// record notes that the bot finished an interaction.
func (h *harness) record(id string, duplicate bool) {
	h.mu.Lock()
	h.handled[id] = append(h.handled[id], duplicate)
	close(h.changed)
	h.changed = make(chan struct{})
	h.mu.Unlock()
}

// waitHandled waits until the bot has finished interaction id n times and
// returns the duplicate flags.
func (h *harness) waitHandled(t *testing.T, id string, n int) []bool {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		h.mu.Lock()
		got, ch := h.handled[id], h.changed
		h.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-ch:
		case <-timeout:
			t.Fatalf("interaction %s handled %d times, want %d", id, len(got), n)
		}
	}
}

// run invokes a slash command and returns the reply the invoker sees.
func (h *harness) run(t *testing.T, channel string, m discordtest.Member, name string, args map[string]string) discordtest.Message {
	t.Helper()
	id := h.srv.Command(t, channel, m, name, args)
	return h.srv.WaitReply(t, id)
}

// linkCollective has the admin make a collective named name in the staff
// chat and a pioneer link channel to it with the code (/koppel), and
// returns the collective's id.
func (h *harness) linkCollective(t *testing.T, staff, channel, name string) int64 {
	t.Helper()
	code := codeRE.FindString(h.run(t, staff, admin, "collectief", map[string]string{"naam": name}).Content)
	if r := h.run(t, channel, pioneer, "koppel", map[string]string{"code": code}); r.Ephemeral() {
		t.Fatalf("koppel %s refused: %q", name, r.Content)
	}
	chat, err := h.db.Chat(context.Background(), commands.ChatRef{Platform: commands.Discord, ID: channel})
	if err != nil || chat.CollectiveID == 0 {
		t.Fatalf("%s not linked: chat = %+v, %v", name, chat, err)
	}
	return chat.CollectiveID
}

func mustContain(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Fatalf("%s = %q, want it to contain %q", what, got, w)
		}
	}
}
