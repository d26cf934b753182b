package commands_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

// A collective cannot flood the staff with help requests: beyond
// MaxOpenRequests without an answer a new one is refused, nothing stored
// and nothing posted (issue 16, item 10).
func TestOpenRequestsCapped(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setup()
	for i := 1; i <= commands.MaxOpenRequests; i++ {
		f.ok(noordChat, piet, fmt.Sprintf("/hulpvraag juridisch Vraag %d?", i))
	}
	before := f.dump()
	r := f.run(noordChat, piet, "/hulpvraag juridisch Nog een vraag?")
	if r.Code != commands.ECONFLICT || !r.Ephemeral {
		t.Fatalf("request over the cap: code %q, ephemeral %v, text %q", r.Code, r.Ephemeral, r.Text)
	}
	mustContain(t, "refusal", r.Text, fmt.Sprintf("al %d hulpvragen", commands.MaxOpenRequests), "#1, #2, #3, #4, #5", "/hulpvragen")
	if len(r.Outbox) != 0 {
		t.Errorf("refused request posted %d messages", len(r.Outbox))
	}
	if after := f.dump(); after != before {
		t.Errorf("refused request changed storage:\nbefore %s\nafter  %s", before, after)
	}
	// An answer frees a place.
	f.ok(staffChat, sanne, "/antwoord 1 Bel de huurcommissie")
	r = f.ok(noordChat, piet, "/hulpvraag juridisch Nog een vraag?")
	mustContain(t, "request after an answer", r.Text, "#6")
}

// With many unresolved requests of one collective the digest and the
// overview name a few and count the rest.
func TestManyOpenRequestsStayReadable(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setup()
	for i := 1; i <= 12; i++ {
		f.ok(noordChat, piet, fmt.Sprintf("/hulpvraag juridisch Vraag %d?", i))
		f.ok(staffChat, sanne, fmt.Sprintf("/antwoord %d Antwoord %d", i, i))
	}
	refs := regexp.MustCompile(`#\d+`)
	d, err := f.h.LoadDigest(f.ctx, start.AddDate(0, 0, -7), start.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	chat, err := f.db.Chat(f.ctx, staffChat)
	if err != nil {
		t.Fatal(err)
	}
	digest := f.h.DigestMessage(d, *chat).Text
	mustContain(t, "digest", digest, "en nog 9 (zie /open)")
	if n := len(refs.FindAllString(digest, -1)); n > 3 {
		t.Errorf("digest names %d requests of one collective, want at most 3:\n%s", n, digest)
	}
	overview := f.ok(staffChat, sanne, "/overzicht").Text
	mustContain(t, "overview", overview, "12 open hulpvragen", "en nog 9 (zie /open)")
	if n := len(refs.FindAllString(overview, -1)); n > 3 {
		t.Errorf("overview names %d requests of one collective, want at most 3:\n%s", n, overview)
	}
}

// A link code seen once must not be access for ever (issue 16, item 7):
// a private chat cannot be linked, also one linked before this rule.
func TestLinkRefusedInPrivateChat(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setup()
	code := codeRE.FindString(f.ok(staffChat, sanne, "/collectief Zuid").Text)
	before := f.dump()
	r := f.run(janDM, jan, "/koppel "+code)
	if r.Code != commands.EFORBIDDEN {
		t.Fatalf("/koppel in a private chat: code %q (%q), want forbidden", r.Code, r.Text)
	}
	mustContain(t, "refusal", r.Text, "groepschat", "niet in een privéchat")
	if f.dump() != before {
		t.Fatal("refused /koppel in a private chat changed the database")
	}
	// A private chat linked before private chats were told apart (its
	// request did not say so then) cannot move to another collective.
	old := f.request(evaDM, eva)
	old.PrivateChat, old.IsChatAdmin = false, true
	old.Command, old.Args = "koppel", map[string]string{"code": code}
	if r := f.h.Handle(f.ctx, old); r.Code != "" {
		t.Fatalf("legacy link: %q", r.Text)
	}
	noordCode := codeRE.FindString(f.ok(staffChat, sanne, "/collectief Noord").Text)
	before = f.dump()
	if r := f.run(evaDM, eva, "/koppel "+noordCode); r.Code != commands.EFORBIDDEN {
		t.Fatalf("/koppel in a linked private chat: code %q (%q), want forbidden", r.Code, r.Text)
	}
	if f.dump() != before {
		t.Fatal("refused /koppel changed the database")
	}
}

// Staff unlink a chat by the name /collectieven shows; the chat is told
// and can no longer act for the collective.
func TestUnlink(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setup()
	list := f.ok(staffChat, sanne, "/collectieven").Text
	mustContain(t, "/collectieven", list, "console: chat noord", "/ontkoppel")

	before := f.dump()
	if r := f.run(staffChat, sanne, "/ontkoppel console: chat zuid"); r.Code != commands.ENOTFOUND {
		t.Fatalf("unknown chat: code %q (%q)", r.Code, r.Text)
	}
	if f.dump() != before {
		t.Fatal("refused /ontkoppel changed the database")
	}
	r := f.ok(staffChat, sanne, "/ontkoppel console: chat noord")
	mustContain(t, "reply", r.Text, "console: chat noord is losgekoppeld van Noord")
	if len(r.Buttons) != 1 || r.Buttons[0].Line() != "/nieuwecode Noord" {
		t.Errorf("buttons = %+v, want one that renews Noord's code", r.Buttons)
	}
	told := outboxTo(r, noordChat)
	if len(told) != 1 {
		t.Fatalf("the unlinked chat got %d messages, want 1", len(told))
	}
	mustContain(t, "message to the chat", told[0].Text, "losgekoppeld van Noord")
	if chat, err := f.db.Chat(f.ctx, noordChat); err != nil || chat.Kind != "" || chat.CollectiveID != 0 {
		t.Fatalf("chat after /ontkoppel: %+v, %v; want unlinked", chat, err)
	}
	if r := f.run(noordChat, anna, "/voortgang nog steeds hier"); r.Code != commands.EFORBIDDEN {
		t.Fatalf("/voortgang after /ontkoppel: code %q (%q), want forbidden", r.Code, r.Text)
	}
	// Twice: the second finds nothing to unlink.
	if r := f.run(staffChat, sanne, "/unlink console:noord"); r.Code != commands.ENOTFOUND {
		t.Fatalf("second /ontkoppel: code %q (%q)", r.Code, r.Text)
	}
}

// Renewing a leaked code asks about the chats linked with the old one.
func TestNewCodeOffersUnlink(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setup()
	r := f.ok(staffChat, sanne, "/nieuwecode Noord")
	mustContain(t, "reply", r.Text, "Gekoppeld aan Noord: console: chat noord", "Moet een van deze chats eruit?")
	if len(r.Buttons) != 1 || r.Buttons[0].Line() != "/ontkoppel console:noord" {
		t.Fatalf("buttons = %+v, want one that unlinks Noord's chat", r.Buttons)
	}
	f.ok(staffChat, sanne, r.Buttons[0].Line())
	if chat, err := f.db.Chat(f.ctx, noordChat); err != nil || chat.Kind != "" {
		t.Fatalf("chat after the button: %+v, %v; want unlinked", chat, err)
	}
}

// Relinking a chat to another collective asks first and tells the staff.
func TestRelinkAsksAndTellsStaff(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	noord := f.setup()
	zuidCode := codeRE.FindString(f.ok(staffChat, sanne, "/collectief Zuid").Text)
	before := f.dump()
	q := f.ok(noordChat, anna, "/koppel "+zuidCode)
	mustContain(t, "question", q.Text, "gekoppeld aan Noord", "Zuid", "Weet je het zeker?")
	if f.dump() != before {
		t.Fatal("the question changed the database")
	}
	if len(q.Buttons) != 1 || q.Buttons[0].Line() != "/herkoppel "+zuidCode {
		t.Fatalf("buttons = %+v, want /herkoppel %s", q.Buttons, zuidCode)
	}
	if r := f.run(noordChat, piet, q.Buttons[0].Line()); r.Code != commands.EFORBIDDEN {
		t.Fatalf("a member pressing the button: code %q (%q), want forbidden", r.Code, r.Text)
	}
	r := f.ok(noordChat, anna, q.Buttons[0].Line())
	chat, err := f.db.Chat(f.ctx, noordChat)
	if err != nil || chat.CollectiveID == noord || chat.Kind != commands.ChatCollective {
		t.Fatalf("chat after confirming: %+v, %v; want linked to Zuid", chat, err)
	}
	staff := outboxTo(r, staffChat)
	if len(staff) != 1 {
		t.Fatalf("staff got %d messages, want 1", len(staff))
	}
	mustContain(t, "staff message", staff[0].Text, "verplaatst van Noord naar Zuid", "Anna")
	if len(staff[0].Buttons) != 1 || staff[0].Buttons[0].Line() != "/ontkoppel console:noord" {
		t.Errorf("staff buttons = %+v, want one that unlinks the chat", staff[0].Buttons)
	}
}

// /ontkoppel's chat is autocompleted with the names /collectieven shows.
func TestUnlinkCompletes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setup()
	got := f.h.Complete(f.ctx, f.request(staffChat, sanne), "chat", "noo")
	if len(got) != 1 || got[0].Value != "console:noord" || got[0].Name != "console: chat noord (Noord)" {
		t.Fatalf("suggestions = %+v", got)
	}
	if got := f.h.Complete(f.ctx, f.request(noordChat, anna), "chat", ""); len(got) != 0 {
		t.Fatalf("suggestions outside the staff chat: %+v", got)
	}
}

// Listing replies are bounded to a few chat messages and say what they
// left out (issue 16, item 8): a long /tijdlijn, a long /open.
func TestListingRepliesBounded(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setup()
	long := strings.Repeat("Een lang verslag van de bewonersavond. ", 50)
	for i := range 50 {
		f.ok(noordChat, piet, fmt.Sprintf("/voortgang %d %s", i, long))
	}
	tl := f.ok(noordChat, piet, "/tijdlijn 50").Text
	if n := len([]rune(tl)); n > 6500 {
		t.Errorf("/tijdlijn 50 is %d characters", n)
	}
	mustContain(t, "/tijdlijn", tl, "oudere berichten", "/tijdlijn <aantal>")

	for i := range 5 {
		f.ok(noordChat, piet, fmt.Sprintf("/hulpvraag juridisch %d %s", i, long[:190]))
	}
	for c := range 8 {
		name := fmt.Sprintf("Wijk%c", 'A'+c)
		code := codeRE.FindString(f.ok(staffChat, sanne, "/collectief "+name).Text)
		chat := commands.ChatRef{Platform: commands.Console, ID: name}
		f.ok(chat, anna, "/koppel "+code)
		for i := range 5 {
			f.ok(chat, piet, fmt.Sprintf("/hulpvraag vastgoed %d %s", i, long[:190]))
		}
	}
	open := f.ok(staffChat, sanne, "/open").Text
	if n := len([]rune(open)); n > 6500 {
		t.Errorf("/open is %d characters", n)
	}
	mustContain(t, "/open", open, "Openstaande hulpvragen (45", "… en nog", "/oppakken")
}
