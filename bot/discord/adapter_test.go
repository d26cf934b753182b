package discord_test

import (
	"bytes"
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wijkbv/wijkbot/bot/discord"
	"github.com/wijkbv/wijkbot/bot/discord/discordtest"
	"github.com/wijkbv/wijkbot/commands"
)

func TestSending(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	obs := &rateObserver{}
	h.rt.Observer = obs
	ctx := context.Background()
	ch := h.srv.AddChannel("algemeen")

	t.Run("long text is split, escaped and pings nobody", func(t *testing.T) {
		text := strings.Repeat("@everyone lees *dit* <@&123>\n", 150) // ~4400 characters
		id, err := h.bot.SendText(ctx, ch, text)
		if err != nil || id == "" {
			t.Fatalf("SendText = %q, %v", id, err)
		}
		msgs := h.srv.Messages(ch)
		if len(msgs) < 3 {
			t.Fatalf("%d messages, want the text split over at least 3", len(msgs))
		}
		if msgs[0].ID != id {
			t.Errorf("returned id %s, first message %s", id, msgs[0].ID)
		}
		for _, m := range msgs {
			if n := utf8.RuneCountInString(m.Content); n > 2000 {
				t.Fatalf("message of %d characters", n)
			}
			mustContain(t, "message", m.Content, `\*dit\* \<@&123\>`)
			noPings(t, m)
		}
	})

	t.Run("images and files go as attachments", func(t *testing.T) {
		png := commands.File{Name: "mengpaneel.png", ContentType: "image/png", Data: []byte("\x89PNG fake")}
		if _, err := h.bot.SendImage(ctx, ch, "Het mengpaneel", png); err != nil {
			t.Fatal(err)
		}
		csv := commands.File{Name: "voortgang.csv", ContentType: "text/csv", Data: []byte("a,b\n1,2\n")}
		if _, err := h.bot.SendFile(ctx, ch, "", csv); err != nil {
			t.Fatal(err)
		}
		msgs := h.srv.Messages(ch)
		img, doc := msgs[len(msgs)-2], msgs[len(msgs)-1]
		if img.Content != "Het mengpaneel" || len(img.Files) != 1 || !bytes.Equal(img.Files[0].Data, png.Data) || img.Files[0].ContentType != "image/png" {
			t.Fatalf("image message = %+v", img)
		}
		if len(doc.Files) != 1 || doc.Files[0].Name != "voortgang.csv" || !bytes.Equal(doc.Files[0].Data, csv.Data) {
			t.Fatalf("file message = %+v", doc)
		}
	})

	t.Run("buttons carry their command line; one too long is shown as a command to type", func(t *testing.T) {
		long := []commands.Arg{{Option: "nummer", Value: "1"}, {Option: "tekst", Value: strings.Repeat("x", 100)}}
		_, err := h.bot.SendButtons(ctx, ch, "Nieuwe hulpvraag #3", []commands.Button{
			{Label: "Oppakken", Command: commands.CmdClaim, Args: []commands.Arg{{Option: "nummer", Value: "3"}}}, {Label: "Beantwoorden", Command: commands.CmdAnswer, Args: []commands.Arg{{Option: "nummer", Value: "3"}}},
			{Label: "Te lang", Command: commands.CmdAnswer, Args: long}, {Label: "Afronden", Command: "afronden", Args: []commands.Arg{{Option: "nummer", Value: "3"}}}})
		if err != nil {
			t.Fatal(err)
		}
		msgs := h.srv.Messages(ch)
		var got []string
		for _, b := range msgs[len(msgs)-1].Buttons {
			got = append(got, b.Label+"="+b.CustomID)
		}
		if want := "Oppakken=/oppakken 3,Beantwoorden=/antwoord 3,Afronden=/afronden 3"; strings.Join(got, ",") != want {
			t.Fatalf("buttons = %v, want %s", got, want)
		}
		// The action the button would have carried stays reachable.
		mustContain(t, "message with a left-out button", msgs[len(msgs)-1].Content, "Nieuwe hulpvraag #3", `\[Te lang\] /antwoord 1 xxx`)
	})

	t.Run("an image over the upload limit arrives as its caption, with a note", func(t *testing.T) {
		h.srv.MaxUpload.Store(1000)
		defer h.srv.MaxUpload.Store(0)
		big := commands.File{Name: "groot.png", ContentType: "image/png", Data: bytes.Repeat([]byte{1}, 2000)}
		if _, err := h.bot.SendImage(ctx, ch, "Het mengpaneel", big); err != nil {
			t.Fatal(err)
		}
		msgs := h.srv.Messages(ch)
		got := msgs[len(msgs)-1]
		mustContain(t, "image message", got.Content, "Het mengpaneel", "kon niet worden verstuurd")
		if len(got.Files) != 0 {
			t.Fatalf("files %+v sent over the limit", got.Files)
		}
	})

	t.Run("a 429 is waited out and retried", func(t *testing.T) {
		before := len(h.srv.Messages(ch))
		h.srv.RateLimit("POST", "/channels/"+ch+"/messages", 50*time.Millisecond)
		if _, err := h.bot.SendText(ctx, ch, "na de pauze"); err != nil {
			t.Fatal(err)
		}
		if got := h.srv.RateLimited(); got != 1 {
			t.Fatalf("%d requests rate limited, want 1", got)
		}
		// discordgo reports the 429 as an event, handled asynchronously.
		deadline := time.Now().Add(5 * time.Second)
		for obs.count() != 1 {
			if time.Now().After(deadline) {
				t.Fatalf("%d 429s reported to the metrics, want 1", obs.count())
			}
			time.Sleep(5 * time.Millisecond)
		}
		if got := len(h.srv.Messages(ch)); got != before+1 {
			t.Fatalf("%d messages, want %d", got, before+1)
		}
	})

	t.Run("an unknown channel is an error", func(t *testing.T) {
		if _, err := h.bot.SendText(ctx, "424242", "hallo"); err == nil {
			t.Fatal("no error for an unknown channel")
		}
	})

	if u := h.srv.Unknown(); len(u) > 0 {
		t.Errorf("requests the fake does not know: %v", u)
	}
}

// TestResume drops the gateway connection: discordgo resumes the session
// and interactions keep working.
func TestResume(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.srv.AddChannel("algemeen")
	h.srv.DropConnections()
	h.srv.WaitConnected(t)
	if got := h.srv.Resumes(); got != 1 {
		t.Fatalf("%d resumes, want 1", got)
	}
	if got := h.srv.Identifies(); got != 1 {
		t.Fatalf("%d identifies, want 1 (a resume, not a new session)", got)
	}
	if r := h.run(t, ch, member, "hulp", nil); r.Content == "" {
		t.Fatal("no help after resume")
	}
	// discordgo marks the session ready once its first heartbeat on the
	// resumed connection is out, in its own goroutine: wait for that, with
	// a deadline, rather than asking at one instant.
	waitHealthy(t, h.bot)
	h.stop()
	if h.bot.Health() == nil {
		t.Fatal("Healthy = nil after the session was closed")
	}
}

// TestDeferred makes every command deferred, as happens when one takes
// longer than Discord's deadline allows for a direct answer.
func TestDeferred(t *testing.T) {
	t.Parallel()
	h := newHarness(t, discord.SetDeferAfter(0))
	ch := h.srv.AddChannel("algemeen")

	t.Run("a public reply edits the deferred response", func(t *testing.T) {
		id := h.srv.Command(t, ch, member, "hulp", nil)
		if cb := h.srv.WaitCallback(t, id); cb.Type != discordtest.CallbackDeferred {
			t.Fatalf("callback type %d, want deferred", cb.Type)
		}
		r := h.srv.WaitReply(t, id)
		if r.Ephemeral() || r.Content == "" {
			t.Fatalf("reply = %+v", r)
		}
		noPings(t, r)
	})

	t.Run("a refusal replaces it with an ephemeral follow-up", func(t *testing.T) {
		id := h.srv.Command(t, ch, member, "koppel", map[string]string{"code": "ABCDEFGH"})
		r := h.srv.WaitReply(t, id)
		if !r.Ephemeral() {
			t.Fatalf("refusal %q not ephemeral", r.Content)
		}
		if !h.srv.Interaction(id).Deleted {
			t.Fatal("deferred public response not deleted")
		}
	})
}

// TestDeferredWhenSlow runs a command that is still busy when deferAfter
// has passed: the interaction is deferred while the command runs, and the
// reply then edits the deferral (one callback, no direct answer after it).
func TestDeferredWhenSlow(t *testing.T) {
	t.Parallel()
	gate := make(chan struct{})
	h := newHarnessWith(t, func(hd *commands.Handler) { hd.Store = gatedStore{hd.Store, gate} },
		discord.SetDeferAfter(time.Millisecond))
	ch := h.srv.AddChannel("algemeen")
	id := h.srv.Command(t, ch, member, "hulp", nil)
	if cb := h.srv.WaitCallback(t, id); cb.Type != discordtest.CallbackDeferred {
		t.Fatalf("callback type %d while the command is busy, want deferred", cb.Type)
	}
	close(gate) // let the command finish
	r := h.srv.WaitReply(t, id)
	if r.Content == "" {
		t.Fatalf("reply = %+v", r)
	}
	h.waitHandled(t, id, 1)
	if in := h.srv.Interaction(id); len(in.Callbacks) != 1 || in.Rejected != 0 {
		t.Fatalf("callbacks %+v (%d refused), want the deferral alone", in.Callbacks, in.Rejected)
	}
}

// gatedStore holds every event look-up until gate is closed: a command
// that is still busy.
type gatedStore struct {
	commands.Store
	gate chan struct{}
}

func (s gatedStore) EventSeen(ctx context.Context, ev string) (bool, error) {
	<-s.gate
	return s.Store.EventSeen(ctx, ev)
}

// TestStaleButton presses a button whose line is no command (a message of
// an older version of the bot): the presser is told, in Dutch by default.
func TestStaleButton(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.srv.AddChannel("algemeen")
	old := discordtest.Message{ID: "77", ChannelID: ch, Content: "oud", Buttons: []discordtest.Button{{Label: "Oud", CustomID: "oppakken 3"}}}
	r := h.srv.WaitReply(t, h.srv.Press(t, member, old, "oppakken 3"))
	if !r.Ephemeral() {
		t.Fatalf("answer %q not ephemeral", r.Content)
	}
	mustContain(t, "answer to a stale button", r.Content, "Deze knop werkt niet (meer).")
}

// TestDM runs a command in a direct message with the bot.
func TestDM(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	dm := h.srv.AddDM()
	r := h.run(t, dm, member, "hulp", nil)
	if r.Content == "" {
		t.Fatal("empty help in a DM")
	}
}

// rateObserver counts the 429s the adapter reports (the ops metrics).
type rateObserver struct{ limited atomic.Int64 }

func (o *rateObserver) CommandHandled(command, outcome string) {}
func (o *rateObserver) Delivered(platform, outcome string)     {}
func (o *rateObserver) RateLimited(platform string) {
	if platform == commands.Discord {
		o.limited.Add(1)
	}
}
func (o *rateObserver) count() int64 { return o.limited.Load() }

// waitHealthy waits until the adapter reports itself healthy, failing the
// test if that takes longer than a reconnect ever should.
func waitHealthy(t *testing.T, b *discord.Bot) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := b.Health()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Healthy after resume = %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
