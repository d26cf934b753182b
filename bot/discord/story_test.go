package discord_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/bot/discord"
	"github.com/wijkbv/wijkbot/bot/discord/discordtest"
	"github.com/wijkbv/wijkbot/commands"
)

var (
	codeRE   = regexp.MustCompile(`\b[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}\b`)
	numberRE = regexp.MustCompile(`#(\d+)`)
)

// noPings checks a message was sent with allowed_mentions that ping nobody.
func noPings(t *testing.T, m discordtest.Message) {
	t.Helper()
	var am struct {
		Parse *[]string `json:"parse"`
	}
	if m.AllowedMentions == nil || json.Unmarshal(m.AllowedMentions, &am) != nil || am.Parse == nil || len(*am.Parse) != 0 {
		t.Fatalf("allowed_mentions = %s, want {\"parse\":[]}", m.AllowedMentions)
	}
}

func findButton(m discordtest.Message, prefix string) string {
	for _, b := range m.Buttons {
		if strings.HasPrefix(b.CustomID, prefix) {
			return b.CustomID
		}
	}
	return ""
}

// TestStory runs the core story through Discord interactions: staff
// channel, collective, link, progress, help request handled from the staff
// channel with buttons and a modal, and the answer arriving in the
// collective's channel.
func TestStory(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	staff := h.srv.AddChannel("staf")
	noord := h.srv.AddChannel("noord")
	var code string
	var number int64

	t.Run("a bot admin makes the staff channel", func(t *testing.T) {
		r := h.run(t, staff, admin, commands.CmdStaffChat, nil)
		if r.Ephemeral() {
			t.Fatalf("stafkanaal refused: %q", r.Content)
		}
		chat, err := h.db.Chat(ctx, commands.ChatRef{Platform: commands.Discord, ID: staff})
		if err != nil || chat.Kind != commands.ChatStaff {
			t.Fatalf("staff chat = %+v, %v", chat, err)
		}
		if chat.Title != "#staf" {
			t.Errorf("staff chat title = %q, want #staf (from the gateway's channel)", chat.Title)
		}
	})

	t.Run("staff create a collective and get its link code", func(t *testing.T) {
		r := h.run(t, staff, staffer, "collectief", map[string]string{"naam": "Bewonersbedrijf Noord"})
		code = codeRE.FindString(r.Content)
		if r.Ephemeral() || code == "" {
			t.Fatalf("collectief reply %q (ephemeral %v) has no link code", r.Content, r.Ephemeral())
		}
	})

	t.Run("a member without Manage Server cannot koppel", func(t *testing.T) {
		r := h.run(t, noord, member, "koppel", map[string]string{"code": code})
		if !r.Ephemeral() {
			t.Fatalf("refusal not ephemeral: %q", r.Content)
		}
		mustContain(t, "refusal", r.Content, "beheerder")
		chat, err := h.db.Chat(ctx, commands.ChatRef{Platform: commands.Discord, ID: noord})
		if err != nil || chat.Kind != "" {
			t.Fatalf("chat after refused koppel = %+v, %v; want unlinked", chat, err)
		}
	})

	t.Run("a member with Manage Server links the channel", func(t *testing.T) {
		r := h.run(t, noord, pioneer, "koppel", map[string]string{"code": code})
		if r.Ephemeral() {
			t.Fatalf("koppel refused: %q", r.Content)
		}
		chat, err := h.db.Chat(ctx, commands.ChatRef{Platform: commands.Discord, ID: noord})
		if err != nil || chat.Kind != commands.ChatCollective {
			t.Fatalf("chat after koppel = %+v, %v", chat, err)
		}
	})

	t.Run("progress and a milestone, then the timeline", func(t *testing.T) {
		r := h.run(t, noord, member, "voortgang", map[string]string{"tekst": "Gesprek met de *corporatie* gehad #vastgoed @everyone"})
		if r.Ephemeral() {
			t.Fatalf("voortgang refused: %q", r.Content)
		}
		noPings(t, r)
		r = h.run(t, noord, pioneer, "mijlpaal", map[string]string{"tekst": "Pand aangekocht"})
		if r.Ephemeral() {
			t.Fatalf("mijlpaal refused: %q", r.Content)
		}
		r = h.run(t, noord, member, "tijdlijn", map[string]string{"aantal": "10"})
		mustContain(t, "tijdlijn", r.Content, "Pand aangekocht", `\*corporatie\*`)
		if strings.Index(r.Content, "Pand aangekocht") > strings.Index(r.Content, "corporatie") {
			t.Errorf("timeline not newest first: %q", r.Content)
		}
	})

	var post discordtest.Message
	t.Run("a help request lands in the staff channel with buttons", func(t *testing.T) {
		r := h.run(t, noord, member, "hulpvraag", map[string]string{"expertise": "vastgoed", "vraag": "Hoe financieren we het pand?"})
		if r.Ephemeral() {
			t.Fatalf("hulpvraag refused: %q", r.Content)
		}
		post = h.srv.WaitMessages(t, staff, 1)[0]
		mustContain(t, "staff post", post.Content, "Hoe financieren we het pand?")
		noPings(t, post)
		m := numberRE.FindStringSubmatch(post.Content)
		if m == nil {
			t.Fatalf("staff post %q names no #N", post.Content)
		}
		number, _ = strconv.ParseInt(m[1], 10, 64)
		for _, want := range []string{"/" + commands.CmdClaim + " " + m[1], "/" + commands.CmdAnswer + " " + m[1]} {
			if findButton(post, want) != want {
				t.Fatalf("staff post buttons %+v lack %q", post.Buttons, want)
			}
		}
	})

	t.Run("pressing Oppakken claims it for the presser", func(t *testing.T) {
		before := len(h.srv.Messages(noord))
		id := h.srv.Press(t, staffer, post, findButton(post, "/"+commands.CmdClaim))
		r := h.srv.WaitReply(t, id)
		if r.Ephemeral() {
			t.Fatalf("claim refused: %q", r.Content)
		}
		req, err := h.db.Request(ctx, number)
		if err != nil || req.Status != commands.StatusClaimed || req.ClaimedBy == "" {
			t.Fatalf("request after claim = %+v, %v", req, err)
		}
		// The collective hears who took it. Waiting for that notice here
		// also keeps it, delivered in the background, out of what the
		// next steps read in the channel.
		told := h.srv.WaitMessageWith(t, noord, before, "opgepakt")
		mustContain(t, "claim notice in the collective", told.Content, "#"+strconv.FormatInt(number, 10), "Sanne")
		noPings(t, told)
	})

	t.Run("Beantwoorden opens a form; the answer reaches the collective", func(t *testing.T) {
		press := h.srv.Press(t, staffer, post, findButton(post, "/antwoord"))
		modal := h.srv.WaitModal(t, press)
		if len(modal.Inputs) != 1 || modal.Inputs[0].CustomID != "tekst" {
			t.Fatalf("modal = %+v, want one input tekst", modal)
		}
		before := len(h.srv.Messages(noord))
		id := h.srv.SubmitModal(t, press, staffer, map[string]string{"tekst": "Bel de energiecoöperatie, zij hebben een fonds."})
		if r := h.srv.WaitReply(t, id); r.Ephemeral() {
			t.Fatalf("answer refused: %q", r.Content)
		}
		// The answer, found by its text: the channel also gets notices
		// from earlier steps, delivered in the background.
		got := h.srv.WaitMessageWith(t, noord, before, "Bel de energiecoöperatie")
		mustContain(t, "answer in the collective", got.Content, "Bel de energiecoöperatie", "#"+strconv.FormatInt(number, 10))
		noPings(t, got)
	})

	t.Run("autocomplete on afronden nummer offers the open request as a number", func(t *testing.T) {
		id := h.srv.Autocomplete(t, staff, staffer, "afronden", nil, "nummer", "")
		choices := h.srv.WaitChoices(t, id)
		if len(choices) != 1 || choices[0].Value != float64(number) {
			t.Fatalf("choices = %+v, want one with value %d", choices, number)
		}
	})

	t.Run("afronden closes it", func(t *testing.T) {
		r := h.run(t, staff, staffer, "afronden", map[string]string{"nummer": strconv.FormatInt(number, 10)})
		if r.Ephemeral() {
			t.Fatalf("afronden refused: %q", r.Content)
		}
		req, err := h.db.Request(ctx, number)
		if err != nil || req.Status != commands.StatusResolved {
			t.Fatalf("request after afronden = %+v, %v", req, err)
		}
	})

	t.Run("autocomplete on schuif element offers zeggenschap for zeg", func(t *testing.T) {
		id := h.srv.Autocomplete(t, noord, member, "schuif", nil, "element", "zeg")
		choices := h.srv.WaitChoices(t, id)
		found := false
		for _, c := range choices {
			found = found || c.Value == "zeggenschap"
		}
		if !found {
			t.Fatalf("choices for zeg = %+v, want zeggenschap", choices)
		}
		r := h.run(t, noord, member, "schuif", map[string]string{"element": "zeggenschap", "waarde": "0", "toelichting": "Nog niets geregeld"})
		if r.Ephemeral() {
			t.Fatalf("schuif to 0 refused: %q", r.Content)
		}
	})

	t.Run("mengpaneel is deferred, then the reply is edited in with the chart", func(t *testing.T) {
		id := h.srv.Command(t, noord, member, "mengpaneel", nil)
		if cb := h.srv.WaitCallback(t, id); cb.Type != discordtest.CallbackDeferred {
			t.Fatalf("first callback type %d, want %d (deferred)", cb.Type, discordtest.CallbackDeferred)
		}
		r := h.srv.WaitReply(t, id)
		mustContain(t, "mengpaneel", r.Content, "zeggenschap", "eigenaarschap")
		if len(r.Files) == 0 || !strings.HasSuffix(r.Files[0].Name, ".png") {
			t.Fatalf("mengpaneel files = %+v, want a PNG chart", r.Files)
		}
		if got := h.srv.Interaction(id); len(got.Callbacks) != 1 || got.Rejected != 0 {
			t.Fatalf("callbacks %d, rejected %d; want 1 and 0", len(got.Callbacks), got.Rejected)
		}
	})

	t.Run("a chart Discord refuses as too large leaves the text, with a note", func(t *testing.T) {
		h.srv.MaxUpload.Store(1000) // the chart PNG is larger
		defer h.srv.MaxUpload.Store(0)
		r := h.srv.WaitReply(t, h.srv.Command(t, noord, member, "mengpaneel", nil))
		mustContain(t, "mengpaneel without chart", r.Content, "eigenaarschap", "kon niet worden verstuurd")
		if len(r.Files) != 0 {
			t.Fatalf("files %+v sent over the limit", r.Files)
		}
	})
}

// TestRedelivery dispatches the same interaction twice: the progress is
// stored once and the second delivery is not answered again.
func TestRedelivery(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	staff := h.srv.AddChannel("staf")
	noord := h.srv.AddChannel("noord")
	h.run(t, staff, admin, commands.CmdStaffChat, nil)
	collective := h.linkCollective(t, staff, noord, "Noord")

	entries := func() int {
		es, err := h.db.Entries(ctx, collective, 100)
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	// deliverTwice answers an interaction, delivers it again and checks that
	// the second delivery was recognised and not answered.
	deliverTwice := func(t *testing.T, name string, args map[string]string) string {
		id := h.srv.Command(t, noord, member, name, args)
		h.srv.WaitReply(t, id)
		h.waitHandled(t, id, 1)
		h.srv.Redeliver(t, id)
		if got := h.waitHandled(t, id, 2); got[0] || !got[1] {
			t.Fatalf("duplicate flags = %v, want [false true]", got)
		}
		if in := h.srv.Interaction(id); len(in.Callbacks) != 1 || in.Rejected != 0 || len(in.Followups) > 1 {
			t.Fatalf("callbacks %d, rejected %d, follow-ups %d; want 1, 0, at most 1", len(in.Callbacks), in.Rejected, len(in.Followups))
		}
		return id
	}

	var progress string
	t.Run("progress is stored once", func(t *testing.T) {
		before := entries()
		progress = deliverTwice(t, "voortgang", map[string]string{"tekst": "Buurtbijeenkomst gehouden"})
		if got := entries(); got != before+1 {
			t.Fatalf("%d entries after two deliveries, want %d", got, before+1)
		}
	})

	t.Run("a deferred read-only command is answered once", func(t *testing.T) {
		deliverTwice(t, "mijngegevens", nil)
	})

	t.Run("after a restart the store recognises it", func(t *testing.T) {
		before := entries()
		h.stop()
		h.bot, h.stop = h.srv.StartBot(t, h.rt, discord.OnHandled(h.record))
		h.srv.Redeliver(t, progress)
		if got := h.waitHandled(t, progress, 3); !got[2] {
			t.Fatal("re-delivery after restart not recognised")
		}
		if in := h.srv.Interaction(progress); len(in.Callbacks) != 1 || in.Rejected != 0 {
			t.Fatalf("callbacks %d, rejected %d; want 1 and 0", len(in.Callbacks), in.Rejected)
		}
		if got := entries(); got != before {
			t.Fatalf("%d entries, want %d", got, before)
		}
	})
}
