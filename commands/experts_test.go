package commands_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// expertFixture is the programme with Noord linked and Jan an expert
// (juridisch) in his private chat; it returns Eva's unused invite code
// (energie).
func expertFixture(t *testing.T) (*fixture, string) {
	t.Helper()
	f := newFixture(t)
	f.setup()
	janCode := codeRE.FindString(f.ok(staffChat, sanne, "/expert Jan juridisch").Text)
	f.ok(janDM, jan, "/ikbenexpert "+janCode)
	evaCode := codeRE.FindString(f.ok(staffChat, sanne, "/expert Eva energie,vastgoed").Text)
	return f, evaCode
}

func TestExpertInvite(t *testing.T) {
	f := newFixture(t)
	f.setup()
	t.Run("the reply shows a single-use code", func(t *testing.T) {
		f.h.DeepLink = func(code string) string { return "https://t.me/WijkBot?start=" + code }
		defer func() { f.h.DeepLink = nil }()
		r := f.ok(staffChat, sanne, "/expert \"Jan de Vries\" zorg, juridisch")
		code := codeRE.FindString(r.Text)
		mustContain(t, "/expert", r.Text, "Jan de Vries (juridisch, zorg)", "Code: "+code, "https://t.me/WijkBot?start="+code, "/ikbenexpert "+code)
	})
	for _, tc := range []struct{ line, want string }{
		{"/expert Piet hout", `Onbekende expertise "hout"`},
		{"/expert Piet ,", "Noem minstens één expertise"},
		{"/expert \"Jan de Vries\" zorg", "Er is al een expert Jan de Vries"},
		{"/expert 123 zorg", "moet letters bevatten"},
	} {
		t.Run(tc.line, func(t *testing.T) {
			before := f.dump()
			r := f.run(staffChat, sanne, tc.line)
			if r.Code == "" {
				t.Fatalf("%s accepted: %q", tc.line, r.Text)
			}
			mustContain(t, tc.line, r.Text, tc.want)
			if f.dump() != before {
				t.Fatalf("refused %s changed the database", tc.line)
			}
		})
	}
}

func TestExpertOnboarding(t *testing.T) {
	f, evaCode := expertFixture(t)
	t.Run("not in a group, not twice, not mistyped", func(t *testing.T) {
		for _, tc := range []struct {
			chat commands.ChatRef
			user commands.UserRef
			line string
			code string
			want string
		}{
			{noordChat, anna, "/ikbenexpert " + evaCode, commands.EFORBIDDEN, "privéchat"},
			{noordChat, anna, "/start " + evaCode, commands.EFORBIDDEN, "alleen in je eigen privéchat"},
			{evaDM, eva, "/ikbenexpert QQQQ2345", commands.ENOTFOUND, "Er is geen uitnodiging met code QQQQ2345"},
			{evaDM, eva, "/ikbenexpert 0000", commands.EINVALID, "geen geldige uitnodigingscode"},
			{janDM, jan, "/ikbenexpert " + evaCode, commands.ECONFLICT, "Je bent hier al expert (juridisch) als Jan"},
		} {
			before := f.dump()
			r := f.run(tc.chat, tc.user, tc.line)
			if r.Code != tc.code {
				t.Fatalf("%s: code %q (%q), want %q", tc.line, r.Code, r.Text, tc.code)
			}
			mustContain(t, tc.line, r.Text, tc.want)
			if f.dump() != before {
				t.Fatalf("refused %s changed the database", tc.line)
			}
		}
	})
	t.Run("by deep link", func(t *testing.T) {
		r := f.ok(evaDM, eva, "/start "+strings.ToLower(evaCode))
		mustContain(t, "/start <code>", r.Text, "Welkom, Eva!", "vastgoed, energie", "/mijnvragen")
		mustContain(t, "staff told", outboxTo(r, staffChat)[0].Text, "Eva heeft de uitnodiging gebruikt")
		r = f.run(priveDM, piet, "/ikbenexpert "+evaCode)
		mustContain(t, "a used code", r.Text, "al gebruikt")
	})
	t.Run("expired after 30 days", func(t *testing.T) {
		code := codeRE.FindString(f.ok(staffChat, sanne, "/expert Kees werk").Text)
		f.now = f.now.Add(commands.InviteTTL)
		r := f.run(priveDM, piet, "/ikbenexpert "+code)
		mustContain(t, "an expired code", r.Text, "verlopen")
	})
	t.Run("help in a private chat", func(t *testing.T) {
		expert := f.ok(janDM, jan, "/hulp").Text
		mustContain(t, "/hulp of an expert", expert, "Je bent hier expert (juridisch) als Jan", "/mijnvragen", "/afwezig", "/oppakken", "/antwoord")
		mustNotContain(t, "/hulp of an expert", expert, "/voortgang", "/tijdlijn", "/mengpaneel", "/checkin", "/open", "/ikbenexpert")
		other := f.ok(priveDM, piet, "/hulp").Text
		mustContain(t, "/hulp of a non-expert", other, "/ikbenexpert", "/koppel")
		mustNotContain(t, "/hulp of a non-expert", other, "/mijnvragen", "/oppakken", "/voortgang")
	})
}

func TestExpertRouting(t *testing.T) {
	f, evaCode := expertFixture(t)
	f.ok(evaDM, eva, "/ikbenexpert "+evaCode)

	var r commands.Reply
	t.Run("a request goes to staff and to the experts of its expertise", func(t *testing.T) {
		r = f.ok(noordChat, piet, "/hulpvraag juridisch Mag de verhuurder dit?")
		staff := outboxTo(r, staffChat)
		if len(staff) != 1 {
			t.Fatalf("%d messages for staff", len(staff))
		}
		mustContain(t, "staff post", staff[0].Text, "#1", "Voorgelegd aan experts: Jan")
		offers := outboxTo(r, janDM)
		if len(offers) != 1 || len(offers[0].Buttons) != 1 || offers[0].Buttons[0].Line() != "/oppakken 1" {
			t.Fatalf("Jan's offer: %+v", offers)
		}
		mustContain(t, "offer", offers[0].Text, "#1", "Noord", "Mag de verhuurder dit?")
		mustNotContain(t, "offer", offers[0].Text, "Piet")
		if len(outboxTo(r, evaDM)) != 0 {
			t.Fatal("Eva (vastgoed, energie) was offered a juridisch request")
		}
	})
	t.Run("an expert works only requests offered to them", func(t *testing.T) {
		f.ok(noordChat, piet, "/hulpvraag zorg Welke zorgaanbieder?") // #2, offered to nobody
		for _, line := range []string{"/oppakken 2", "/antwoord 2 ja", "/afronden 2", "/oppakken 99"} {
			before := f.dump()
			res := f.run(janDM, jan, line)
			if res.Code != commands.EFORBIDDEN || len(res.Outbox) > 0 {
				t.Fatalf("%s by Jan: code %q (%q)", line, res.Code, res.Text)
			}
			mustContain(t, line, res.Text, "niet aan jou voorgelegd")
			mustNotContain(t, line, res.Text, "zorgaanbieder", "Noord")
			if f.dump() != before {
				t.Fatalf("refused %s changed the database", line)
			}
		}
		list := f.ok(janDM, jan, "/mijnvragen").Text
		mustContain(t, "/mijnvragen", list, "#1 · Noord · juridisch · open")
		mustNotContain(t, "/mijnvragen", list, "#2", "Piet")
	})
	t.Run("staff assign a request of another expertise", func(t *testing.T) {
		res := f.ok(staffChat, sanne, "/toewijzen 2 eva")
		mustContain(t, "/toewijzen", res.Text, "#2 (Noord, zorg) is voorgelegd aan Eva")
		if m := outboxTo(res, evaDM); len(m) != 1 || !strings.Contains(m[0].Text, "Het programmateam legt hulpvraag #2 aan je voor") {
			t.Fatalf("Eva's offer: %+v", m)
		}
		r := f.ok(evaDM, eva, "/oppakken 2")
		mustContain(t, "collective told", outboxTo(r, noordChat)[0].Text, "#2 is opgepakt door Eva (expert vastgoed, energie)")
		if r := f.run(staffChat, sanne, "/toewijzen 2 Onbekend"); r.Code != commands.ENOTFOUND {
			t.Fatalf("/toewijzen to nobody: %q", r.Text)
		}
	})
	t.Run("claim, answer, resolve, feedback", func(t *testing.T) {
		f.now = f.now.Add(90 * time.Minute)
		claim := f.ok(janDM, jan, "/oppakken 1")
		mustContain(t, "claim reply", claim.Text, "Je hebt #1 van Noord opgepakt")
		if len(claim.Buttons) != 1 || claim.Buttons[0].Command != "antwoord" || f.h.Table().Asks(claim.Buttons[0]) == nil {
			t.Fatalf("claim buttons %+v, want Beantwoorden asking for the text", claim.Buttons)
		}
		mustContain(t, "collective told", outboxTo(claim, noordChat)[0].Text, "#1 is opgepakt door Jan (expert juridisch)")
		mustContain(t, "staff told", outboxTo(claim, staffChat)[0].Text, "#1 van Noord is opgepakt door Jan (expert juridisch)")
		if again := f.ok(janDM, jan, "/oppakken 1"); !strings.Contains(again.Text, "al opgepakt") || len(again.Outbox) > 0 {
			t.Fatalf("claiming twice: %q, %d messages", again.Text, len(again.Outbox))
		}
		if other := f.run(staffChat, sanne, "/oppakken 1"); !strings.Contains(other.Text, "al opgepakt door Jan") {
			t.Fatalf("a later staff claim: %q", other.Text)
		}
		ans := f.ok(janDM, jan, "/antwoord 1 Nee, dat mag niet zomaar.")
		mustContain(t, "answer in the collective", outboxTo(ans, noordChat)[0].Text, "Antwoord op jullie hulpvraag #1, van Jan (expert juridisch)", "dat mag niet zomaar")
		mustContain(t, "copy for staff", outboxTo(ans, staffChat)[0].Text, "Jan (expert juridisch) beantwoordde #1 van Noord", "dat mag niet zomaar")
		res := f.ok(janDM, jan, "/afronden 1")
		if len(outboxTo(res, noordChat)) != 1 || len(outboxTo(res, staffChat)) != 1 {
			t.Fatalf("resolve outbox: %+v", res.Outbox)
		}
		f.ok(noordChat, piet, "/feedback 1 ja")
		list := f.ok(staffChat, sanne, "/experts").Text
		mustContain(t, "/experts", list, "Jan — juridisch", "console · beschikbaar", "voorgelegd 1 · opgepakt 1 · beantwoord 1 · mediaan tot eerste antwoord 1 u 30 min · 👍 1 👎 0",
			"Eva — vastgoed, energie", "opgepakt 1 · beantwoord 0")
		if got := f.ok(noordChat, piet, "/hulpvragen").Text; !strings.Contains(got, "Jan (") || !strings.Contains(got, "dat mag niet zomaar") {
			t.Fatalf("/hulpvragen = %q", got)
		}
	})
	t.Run("away stops offers", func(t *testing.T) {
		r := f.ok(janDM, jan, "/afwezig 2026-12-10")
		mustContain(t, "/afwezig", r.Text, "tot 10 dec 2026")
		ask := f.ok(noordChat, piet, "/hulpvraag juridisch Nog een vraag")
		if len(outboxTo(ask, janDM)) != 0 {
			t.Fatal("Jan, away, was offered a request")
		}
		mustNotContain(t, "staff post", outboxTo(ask, staffChat)[0].Text, "Voorgelegd")
		mustContain(t, "/experts", f.ok(staffChat, sanne, "/experts").Text, "afwezig tot 10 dec 2026")
		f.ok(janDM, jan, "/afwezig stop")
		ask = f.ok(noordChat, piet, "/hulpvraag juridisch En nog een")
		if len(outboxTo(ask, janDM)) != 1 {
			t.Fatal("Jan, back, was not offered the request")
		}
		if r := f.run(janDM, jan, "/afwezig 2020-01-01"); r.Code != commands.EINVALID {
			t.Fatalf("/afwezig in the past: %q", r.Text)
		}
	})
	t.Run("a blocked expert is marked unreachable and staff told once", func(t *testing.T) {
		msgs := f.h.Undeliverable(f.ctx, janDM)
		if len(msgs) != 1 || msgs[0].Chat != staffChat || !strings.Contains(msgs[0].Text, "Expert Jan is onbereikbaar") {
			t.Fatalf("staff told %+v", msgs)
		}
		if again := f.h.Undeliverable(f.ctx, janDM); len(again) != 0 {
			t.Fatalf("staff told twice: %+v", again)
		}
		if none := f.h.Undeliverable(f.ctx, noordChat); len(none) != 0 {
			t.Fatalf("a collective's chat is no expert's: %+v", none)
		}
		ask := f.ok(noordChat, piet, "/hulpvraag juridisch Weer een")
		if len(outboxTo(ask, janDM)) != 0 {
			t.Fatal("unreachable Jan was offered a request")
		}
		// Jan writes to the bot again: reachable.
		f.ok(janDM, jan, "/mijnvragen")
		if ask := f.ok(noordChat, piet, "/hulpvraag juridisch Laatste"); len(outboxTo(ask, janDM)) != 1 {
			t.Fatal("Jan, reachable again, was not offered the request")
		}
	})
	t.Run("alerts name the experts offered", func(t *testing.T) {
		req, err := f.db.Request(f.ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		chat, _ := f.db.Chat(f.ctx, staffChat)
		m := f.h.AlertMessage(req, commands.SendAlertUnanswered, f.now, *chat)
		mustContain(t, "alert", m.Text, "Voorgelegd aan experts: Jan")
	})
	t.Run("staff end the role; past answers keep the name", func(t *testing.T) {
		r := f.ok(staffChat, sanne, "/expertweg Jan")
		mustContain(t, "/expertweg", r.Text, "Jan is geen expert meer")
		if m := outboxTo(r, janDM); len(m) != 1 {
			t.Fatalf("Jan not told: %+v", r.Outbox)
		}
		if res := f.run(janDM, jan, "/mijnvragen"); res.Code != commands.EFORBIDDEN {
			t.Fatalf("/mijnvragen after the role ended: %q", res.Text)
		}
		req, err := f.db.Request(f.ctx, 1)
		if err != nil || req.Answers[0].Author != "Jan" {
			t.Fatalf("#1 after /expertweg: %+v %v", req, err)
		}
	})
}

// Two experts on two platforms (Telegram, Discord) press Oppakken at the same moment: exactly
// one gets the request, the other is told who has it, and the collective
// hears once. Run with -race.
func TestExpertClaimRace(t *testing.T) {
	f, evaCode := expertFixture(t)
	tgBram := commands.UserRef{Platform: commands.Telegram, ID: "301", Name: "Bram"}
	dcEva := commands.UserRef{Platform: commands.Discord, ID: "9301", Name: "Eva"}
	bramCode := codeRE.FindString(f.ok(staffChat, sanne, "/expert Bram vastgoed").Text)
	f.ok(tgDM, tgBram, "/ikbenexpert "+bramCode)
	f.ok(dcDM, dcEva, "/ikbenexpert "+evaCode)
	for i := range 10 {
		f.ok(noordChat, piet, "/hulpvraag vastgoed Wie taxeert het pand?")
		number := i + 1
		reqs := []commands.Request{f.request(tgDM, tgBram), f.request(dcDM, dcEva)}
		if i%2 == 1 {
			reqs = append(reqs, f.request(staffChat, sanne)) // staff join in
		}
		replies := make([]commands.Reply, len(reqs))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for j := range reqs {
			reqs[j].Command, reqs[j].Args = "oppakken", map[string]string{"nummer": strconv.Itoa(number)}
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				replies[j] = f.h.Handle(f.ctx, reqs[j])
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for j, r := range replies {
			switch {
			case r.Code == "":
				won++
				if got := len(outboxTo(r, noordChat)); got != 1 {
					t.Fatalf("round %d: winner %d tells the collective %d times", i, j, got)
				}
			case r.Code == commands.ECONFLICT && strings.Contains(r.Text, "al opgepakt door"):
			default:
				t.Fatalf("round %d: claimer %d: code %q (%q)", i, j, r.Code, r.Text)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d claims won", i, won)
		}
		// Closed, so the next round's request stays under the cap of
		// requests without an answer (MaxOpenRequests).
		f.ok(staffChat, sanne, "/afronden "+strconv.Itoa(number))
	}
}

// An expert's /mijngegevens has the role and the requests offered to,
// taken by and answered by them; their /vergeetmij ends the role and
// replaces their name on everything they took or answered.
func TestExpertPrivacy(t *testing.T) {
	f, _ := expertFixture(t)
	f.ok(noordChat, piet, "/hulpvraag juridisch Mag de verhuurder dit?")
	f.ok(noordChat, piet, "/hulpvraag juridisch En dat?")
	f.ok(janDM, jan, "/oppakken 1")
	f.ok(janDM, jan, "/antwoord 1 Nee.")

	r := f.ok(janDM, jan, "/mijngegevens")
	if len(r.Files) != 1 {
		t.Fatalf("/mijngegevens files %+v", r.Files)
	}
	var data struct {
		Expert *struct {
			Naam       string   `json:"naam"`
			Expertises []string `json:"expertises"`
			Aangeboden []int64  `json:"aangeboden_hulpvragen"`
			Beantwoord []int64  `json:"beantwoorde_hulpvragen"`
		} `json:"expert"`
		Opgepakt []json.RawMessage `json:"opgepakte_hulpvragen"`
	}
	if err := json.Unmarshal(r.Files[0].Data, &data); err != nil {
		t.Fatal(err)
	}
	if e := data.Expert; e == nil || e.Naam != "Jan" || len(e.Expertises) != 1 || len(e.Aangeboden) != 2 ||
		len(e.Beantwoord) != 1 || e.Beantwoord[0] != 1 {
		t.Fatalf("expert section %+v in %s", data.Expert, r.Files[0].Data)
	}
	if len(data.Opgepakt) != 1 {
		t.Fatalf("the request Jan took is missing from %s", r.Files[0].Data)
	}

	f.ok(janDM, jan, "/vergeetmij ja")
	if res := f.run(janDM, jan, "/mijnvragen"); res.Code != commands.EFORBIDDEN {
		t.Fatalf("/mijnvragen after /vergeetmij: %q", res.Text)
	}
	req, err := f.db.Request(f.ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if req.ClaimedBy != commands.ErasedAuthor || req.Answers[0].Author != commands.ErasedAuthor {
		t.Fatalf("#1 after Jan's /vergeetmij: claimed by %q, answered by %q", req.ClaimedBy, req.Answers[0].Author)
	}
	list := f.ok(staffChat, sanne, "/experts").Text
	mustNotContain(t, "/experts after /vergeetmij", list, "Jan")
	if ask := f.ok(noordChat, piet, "/hulpvraag juridisch Nog een"); len(outboxTo(ask, janDM)) != 0 {
		t.Fatal("an erased expert was offered a request")
	}
	if dump := f.dump(); strings.Contains(dump, "Jan") {
		t.Fatalf("Jan's name is still stored:\n%s", dump)
	}
}

// Autocomplete: staff get the experts for /toewijzen and /expertweg; an
// expert typing a number gets only the unresolved requests offered to
// them, never another request.
func TestExpertAutocomplete(t *testing.T) {
	f, evaCode := expertFixture(t)
	f.ok(evaDM, eva, "/ikbenexpert "+evaCode)
	f.ok(noordChat, piet, "/hulpvraag juridisch Mag de verhuurder dit?") // #1, offered to Jan
	f.ok(noordChat, piet, "/hulpvraag zorg Welke zorgaanbieder?")        // #2, offered to nobody
	values := func(cs []commands.Choice) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Value)
		}
		return out
	}
	if got := values(f.h.Complete(f.ctx, commands.Request{Chat: staffChat, User: sanne}, "expert", "")); strings.Join(got, ",") != "Eva,Jan" {
		t.Fatalf("staff's expert suggestions %v, want Eva,Jan", got)
	}
	jans := f.h.Complete(f.ctx, commands.Request{Chat: janDM, User: jan, PrivateChat: true}, "nummer", "")
	if got := values(jans); strings.Join(got, ",") != "1" || strings.Contains(jans[0].Name, "zorgaanbieder") {
		t.Fatalf("Jan's number suggestions %+v, want only #1", jans)
	}
	if got := f.h.Complete(f.ctx, commands.Request{Chat: evaDM, User: eva, PrivateChat: true}, "nummer", ""); len(got) != 0 {
		t.Fatalf("Eva, offered nothing, gets suggestions %+v", got)
	}
	if got := f.h.Complete(f.ctx, commands.Request{Chat: janDM, User: jan, PrivateChat: true}, "expert", ""); len(got) != 0 {
		t.Fatalf("an expert gets the list of experts: %+v", got)
	}
}
