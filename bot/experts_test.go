package bot_test

import (
	"context"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/discord/discordtest"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/commands"
)

// TestExpertsEndToEnd is issue 12's story on both fakes in one runtime:
// staff on Telegram invite experts; Jan onboards by deep link in his
// Telegram private chat, Eva (energie) with /ikbenexpert in a Discord DM,
// Bram (juridisch) in his Telegram private chat. A collective on Discord
// asks a juridisch question: the staff chat has it, Jan is offered it with
// an Oppakken button, Eva gets nothing, and Bram, who blocked the bot, is
// marked unreachable and the staff told once. Jan claims with the button
// and answers; the Discord channel and the staff chat get the answer with
// his name and capacity. After /afwezig Jan gets no new offers, and the
// blocked Bram is not tried again. Staff then assign #2 to Eva, who claims
// it in her Discord DM and answers with the Beantwoorden form.
func TestExpertsEndToEnd(t *testing.T) {
	ctx := context.Background()
	db := bot.OpenTestDB(t)
	quiet := slog.New(slog.DiscardHandler)
	now := time.Date(2026, time.December, 7, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	db.Now = clock
	sanne := telegramtest.User{ID: 100, FirstName: "Sanne", Username: "sanne_staf"}
	rt := &bot.Runtime{
		Handler: &commands.Handler{Store: db, Now: clock, Location: time.UTC, DefaultLang: commands.NL, DefaultSchedule: "0 10 * * MON", Logger: quiet},
		Store:   db,
		Admins:  map[string]bool{"telegram:100": true},
		Logger:  quiet,
	}
	t.Cleanup(rt.Wait)

	tg, tgBot := startTelegramBot(t, rt)
	rt.Handler.DeepLink = tgBot.DeepLink // as cmd/wijkbot wires it
	staff := telegramtest.Supergroup(-1001000, "Programmateam")
	jan := telegramtest.User{ID: 301, FirstName: "Jan", LastName: "de Vries", Username: "jandevries"}
	bram := telegramtest.User{ID: 302, FirstName: "Bram"}

	dc := discordtest.NewServer(t)
	dc.StartBot(t, rt)
	dc.WaitConnected(t)
	noord := dc.AddChannel("noord")
	pioneer := discordtest.Member{ID: "8001", Username: "fatima", GlobalName: "Fatima", Permissions: discordtest.PermManageServer | discordtest.PermSendMessages}
	eva := discordtest.Member{ID: "8002", Username: "eva", GlobalName: "Eva"}
	evaDM := dc.DMWith(eva)

	// say types text in a Telegram chat and returns the bot's new messages there.
	say := func(chat telegramtest.Chat, from telegramtest.User, text string, want int) []telegramtest.Sent {
		t.Helper()
		before := len(tg.Sent(chat.ID))
		tg.PushText(chat, from, text)
		return tg.WaitSent(t, chat.ID, before+want)[before:]
	}
	staffSaid := func(from int) string {
		t.Helper()
		rt.Wait()
		var b strings.Builder
		for _, s := range tg.Sent(staff.ID)[from:] {
			b.WriteString(s.Shown + "\n")
		}
		return b.String()
	}
	channelSaid := func(from int) string {
		t.Helper()
		rt.Wait()
		var b strings.Builder
		for _, m := range dc.Messages(noord)[from:] {
			b.WriteString(m.Content + "\n")
		}
		return b.String()
	}
	private := func(u telegramtest.User) telegramtest.Chat { return telegramtest.Private(u) }

	codeRE := regexp.MustCompile(`Code: ([A-Z2-9]{8})`)
	linkRE := regexp.MustCompile(`https://t\.me/\S+`)
	invite := func(line string) (code, link string) {
		t.Helper()
		r := say(staff, sanne, line, 1)[0].Shown
		m := codeRE.FindStringSubmatch(r)
		if m == nil {
			t.Fatalf("%s: no code in %q", line, r)
		}
		return m[1], linkRE.FindString(r)
	}

	var janLink, evaCode, bramCode string
	t.Run("staff on Telegram invite experts", func(t *testing.T) {
		say(staff, sanne, "/stafkanaal", 1)
		var janCode string
		janCode, janLink = invite("/expert Jan juridisch")
		if janLink != "https://t.me/WijkBot?start="+janCode {
			t.Fatalf("deep link %q, want https://t.me/WijkBot?start=%s (getMe's username)", janLink, janCode)
		}
		evaCode, _ = invite("/expert Eva energie")
		bramCode, _ = invite("/expert Bram juridisch")
	})

	t.Run("experts onboard in their private chats", func(t *testing.T) {
		staffBefore := len(tg.Sent(staff.ID))
		tg.OpenDeepLink(jan, janLink)
		r := tg.WaitSent(t, jan.ID, 1)[0].Shown
		for _, want := range []string{"Welkom, Jan!", "juridisch", "/mijnvragen", "/afwezig"} {
			if !strings.Contains(r, want) {
				t.Fatalf("Jan's welcome %q lacks %q", r, want)
			}
		}
		if again := say(private(jan), jan, "/start "+strings.TrimPrefix(janLink, "https://t.me/WijkBot?start="), 1)[0].Shown; !strings.Contains(again, "al expert") {
			t.Fatalf("the link opened twice: %q", again)
		}
		dm := dc.WaitReply(t, dc.Command(t, evaDM, eva, "ikbenexpert", map[string]string{"code": evaCode}))
		if !strings.Contains(dm.Content, "Welkom, Eva!") {
			t.Fatalf("Eva's welcome in the DM: %q", dm.Content)
		}
		if r := say(private(bram), bram, "/ikbenexpert "+bramCode, 1)[0].Shown; !strings.Contains(r, "Welkom, Bram!") {
			t.Fatalf("Bram's welcome: %q", r)
		}
		if got := staffSaid(staffBefore); strings.Count(got, "is nu expert") != 3 {
			t.Fatalf("staff told of %d new experts, want 3:\n%s", strings.Count(got, "is nu expert"), got)
		}
		// A used code in a group is refused, and so is a code used twice.
		if r := say(staff, sanne, "/start "+bramCode, 1)[0].Shown; !strings.Contains(r, "alleen in je eigen privéchat") {
			t.Fatalf("an invite code in a group: %q", r)
		}
		other := telegramtest.User{ID: 399, FirstName: "Kees"}
		if r := say(private(other), other, "/ikbenexpert "+bramCode, 1)[0].Shown; !strings.Contains(r, "al gebruikt") {
			t.Fatalf("a used code: %q", r)
		}
	})

	t.Run("the collective on Discord links", func(t *testing.T) {
		coll := &commands.Collective{Name: "Noord", Code: "NNNN2345"}
		if err := db.CreateCollective(ctx, "", coll, commands.UserRef{}); err != nil {
			t.Fatal(err)
		}
		if r := dc.WaitReply(t, dc.Command(t, noord, pioneer, "koppel", map[string]string{"code": coll.Code})); !strings.Contains(r.Content, "Welkom") {
			t.Fatalf("/koppel: %q", r.Content)
		}
	})

	var offer telegramtest.Sent
	staffBefore, channelBefore := 0, 0
	t.Run("a question goes to staff and to the experts of its expertise", func(t *testing.T) {
		tg.Block(bram)
		staffBefore = len(tg.Sent(staff.ID))
		r := dc.WaitReply(t, dc.Command(t, noord, pioneer, "hulpvraag", map[string]string{"expertise": "juridisch", "vraag": "Mag de verhuurder de servicekosten zo verhogen?"}))
		if !strings.Contains(r.Content, "#1") {
			t.Fatalf("confirmation %q", r.Content)
		}
		offer = tg.WaitSent(t, jan.ID, 3)[2]
		for _, want := range []string{"#1", "Noord", "servicekosten"} {
			if !strings.Contains(offer.Shown, want) {
				t.Fatalf("Jan's offer %q lacks %q", offer.Shown, want)
			}
		}
		if strings.Contains(offer.Shown, "Fatima") {
			t.Fatalf("the offer names who asked: %q", offer.Shown)
		}
		got := staffSaid(staffBefore)
		for _, want := range []string{"Nieuwe hulpvraag #1 van Noord", "Voorgelegd aan experts: Bram, Jan", "Expert Bram is onbereikbaar"} {
			if !strings.Contains(got, want) {
				t.Fatalf("staff chat lacks %q:\n%s", want, got)
			}
		}
		if e, err := db.ExpertByName(ctx, "Bram"); err != nil || !e.Unreachable {
			t.Fatalf("Bram after the 403: %+v, %v; want unreachable", e, err)
		}
	})

	t.Run("Jan claims with the button and answers", func(t *testing.T) {
		staffBefore, channelBefore = len(tg.Sent(staff.ID)), len(dc.Messages(noord))
		_, q := tg.Press(offer, jan, "Oppakken")
		tg.WaitAnswer(t, q)
		claimed := tg.WaitSent(t, jan.ID, 4)[3]
		if !strings.Contains(claimed.Shown, "Je hebt #1 van Noord opgepakt") {
			t.Fatalf("claim reply %q", claimed.Shown)
		}
		if got := channelSaid(channelBefore); !strings.Contains(got, "#1 is opgepakt door Jan (expert juridisch)") {
			t.Fatalf("the collective was told %q", got)
		}
		channelBefore = len(dc.Messages(noord))
		r := say(private(jan), jan, "/antwoord 1 Nee, alleen de werkelijke kosten; vraag de afrekening op.", 1)[0].Shown
		if !strings.Contains(r, "naar Noord gestuurd") {
			t.Fatalf("answer reply %q", r)
		}
		if got := channelSaid(channelBefore); !strings.Contains(got, "Antwoord op jullie hulpvraag #1, van Jan (expert juridisch)") ||
			!strings.Contains(got, "werkelijke kosten") {
			t.Fatalf("the Discord channel got %q", got)
		}
		if got := staffSaid(staffBefore); !strings.Contains(got, "Jan (expert juridisch) beantwoordde #1 van Noord") ||
			!strings.Contains(got, "werkelijke kosten") {
			t.Fatalf("the staff chat got %q", got)
		}
	})

	t.Run("a later claim is told who has it", func(t *testing.T) {
		r := say(staff, sanne, "/"+commands.CmdClaim+" 1", 1)[0].Shown
		if !strings.Contains(r, "al opgepakt door Jan") {
			t.Fatalf("staff claim after Jan: %q", r)
		}
	})

	t.Run("Eva, of another expertise, got nothing", func(t *testing.T) {
		if msgs := dc.Messages(evaDM); len(msgs) != 0 {
			t.Fatalf("Eva's DM got %d messages: %+v", len(msgs), msgs)
		}
	})

	t.Run("away stops offers; the blocked expert is routed around", func(t *testing.T) {
		if r := say(private(jan), jan, "/afwezig 2026-12-20", 1)[0].Shown; !strings.Contains(r, "geen nieuwe hulpvragen") {
			t.Fatalf("/afwezig: %q", r)
		}
		janBefore := len(tg.Sent(jan.ID))
		blockedBefore := len(forbidden(tg, bram.ID))
		staffBefore = len(tg.Sent(staff.ID))
		dc.WaitReply(t, dc.Command(t, noord, pioneer, "hulpvraag", map[string]string{"expertise": "juridisch", "vraag": "En de borg?"}))
		got := staffSaid(staffBefore)
		if !strings.Contains(got, "Nieuwe hulpvraag #2") || strings.Contains(got, "Voorgelegd") || strings.Contains(got, "onbereikbaar") {
			t.Fatalf("staff chat on #2:\n%s", got)
		}
		if n := len(tg.Sent(jan.ID)); n != janBefore {
			t.Fatalf("Jan, away, got %d new messages", n-janBefore)
		}
		if n := len(forbidden(tg, bram.ID)); n != blockedBefore {
			t.Fatalf("the bot tried the blocked Bram %d more times", n-blockedBefore)
		}
	})

	t.Run("an expert on Discord claims in the DM and answers with the form", func(t *testing.T) {
		if r := say(staff, sanne, "/toewijzen 2 Eva", 1)[0].Shown; !strings.Contains(r, "#2 (Noord, juridisch) is voorgelegd aan Eva") {
			t.Fatalf("/toewijzen: %q", r)
		}
		offer := dc.WaitMessages(t, evaDM, 1)[0]
		if !strings.Contains(offer.Content, "Het programmateam legt hulpvraag #2 aan je voor") {
			t.Fatalf("Eva's offer %q", offer.Content)
		}
		claimed := dc.WaitReply(t, dc.Press(t, eva, offer, buttonID(t, offer, "Oppakken")))
		if !strings.Contains(claimed.Content, "Je hebt #2 van Noord opgepakt") {
			t.Fatalf("Eva's claim: %q", claimed.Content)
		}
		press := dc.Press(t, eva, claimed, buttonID(t, claimed, "Beantwoorden"))
		channelBefore = len(dc.Messages(noord))
		dc.WaitReply(t, dc.SubmitModal(t, press, eva, map[string]string{"tekst": "De borg is hooguit drie maanden huur."}))
		if got := channelSaid(channelBefore); !strings.Contains(got, "van Eva (expert energie)") || !strings.Contains(got, "drie maanden huur") {
			t.Fatalf("the Discord channel got %q", got)
		}
	})

	t.Run("staff see the experts' figures", func(t *testing.T) {
		r := say(staff, sanne, "/experts", 1)[0].Shown
		for _, want := range []string{"Jan — juridisch", "afwezig tot", "Bram — juridisch", "onbereikbaar", "Eva — energie", "Discord",
			"opgepakt 1 · beantwoord 1", "Eva — energie\n   Discord · beschikbaar"} {
			if !strings.Contains(r, want) {
				t.Fatalf("/experts lacks %q:\n%s", want, r)
			}
		}
	})

	t.Run("blocking the bot on Telegram tells staff at once", func(t *testing.T) {
		staffBefore = len(tg.Sent(staff.ID))
		id := tg.PushMyChatMember(private(jan), jan, "member", "kicked")
		tg.WaitConfirmed(t, id)
		if got := staffSaid(staffBefore); strings.Count(got, "Expert Jan is onbereikbaar") != 1 {
			t.Fatalf("staff chat after Jan blocked the bot:\n%s", got)
		}
		if e, err := db.ExpertByName(ctx, "Jan"); err != nil || !e.Unreachable {
			t.Fatalf("Jan after blocking: %+v, %v", e, err)
		}
	})
}

// forbidden returns the sendMessage calls to the chat that were refused
// with 403.
func forbidden(tg *telegramtest.Server, chatID int64) []telegramtest.Call {
	var out []telegramtest.Call
	for _, c := range tg.Calls("sendMessage") {
		if c.Status == 403 && c.Params["chat_id"] == strconv.FormatInt(chatID, 10) {
			out = append(out, c)
		}
	}
	return out
}

// buttonID is the custom id of the button labelled label under m.
func buttonID(t *testing.T, m discordtest.Message, label string) string {
	t.Helper()
	for _, b := range m.Buttons {
		if b.Label == label {
			return b.CustomID
		}
	}
	t.Fatalf("no button %q under %q (%+v)", label, m.Content, m.Buttons)
	return ""
}
