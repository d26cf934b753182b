package bot_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/discord/discordtest"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
	"github.com/wijkbv/wijkbot/commands"
)

// TestNetworkEndToEnd runs the network (issue 13) through both fakes in one
// process: Noord's group is on Telegram, Zuid's channel and the staff
// channel on Discord. A lesson shared on Telegram is found from Discord by
// an accented and an unaccented query, an unshared one is not; sparring is
// double opt-in (a no, then a yes) with the asker's name withheld before
// the yes; a meeting is answered on both platforms, its .ics parses back,
// and its reminder reaches each chat with a yes or maybe exactly once
// although the scheduler process is replaced just before it falls due.
func TestNetworkEndToEnd(t *testing.T) {
	ctx := context.Background()
	db := bot.OpenTestDB(t)
	clock := &bot.Clock{}
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	clock.Freeze(now)
	db.Now = clock.Now
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.DiscardHandler)
	staffer := discordtest.Member{ID: "7001", Username: "sanne", GlobalName: "Sanne", Permissions: discordtest.PermSendMessages}
	mo := discordtest.Member{ID: "7002", Username: "mo_zuid", GlobalName: "Mo", Permissions: discordtest.PermManageServer | discordtest.PermSendMessages}
	handler := &commands.Handler{Store: db, Now: clock.Now, Location: ams, DefaultLang: commands.NL, DefaultSchedule: "0 10 * * MON", Logger: quiet}
	rt := &bot.Runtime{Handler: handler, Store: db, Admins: map[string]bool{"discord:" + staffer.ID: true}, Logger: quiet}
	t.Cleanup(rt.Wait)

	tg := startTelegram(t, rt)
	piet := telegramtest.User{ID: 201, FirstName: "Piet", LastName: "Pionier", Username: "piet_noord"}
	noord := telegramtest.Group(-2001, "Bewoners Noord")
	tg.SetMember(noord.ID, piet.ID, "administrator")

	dc := discordtest.NewServer(t)
	dc.StartBot(t, rt)
	dc.WaitConnected(t)
	staffChannel := dc.AddChannel("staf")
	zuidChannel := dc.AddChannel("zuid")

	say := func(text string, want int) []telegramtest.Sent {
		t.Helper()
		before := len(tg.Sent(noord.ID))
		tg.PushText(noord, piet, text)
		return tg.WaitSent(t, noord.ID, before+want)[before:]
	}
	press := func(sent telegramtest.Sent, label string, want int) []telegramtest.Sent {
		t.Helper()
		before := len(tg.Sent(noord.ID))
		tg.Press(sent, piet, label)
		return tg.WaitSent(t, noord.ID, before+want)[before:]
	}
	command := func(channel string, m discordtest.Member, name string, args map[string]string) discordtest.Message {
		t.Helper()
		return dc.WaitReply(t, dc.Command(t, channel, m, name, args))
	}
	button := func(msg discordtest.Message, label string) string {
		t.Helper()
		for _, b := range msg.Buttons {
			if b.Label == label {
				return b.CustomID
			}
		}
		t.Fatalf("no button %q under %q (%+v)", label, msg.Content, msg.Buttons)
		return ""
	}

	// The programme: staff on Discord, Noord on Telegram, Zuid on Discord.
	command(staffChannel, staffer, commands.CmdStaffChat, nil)
	command(staffChannel, staffer, "collectief", map[string]string{"naam": "Noord"})
	command(staffChannel, staffer, "collectief", map[string]string{"naam": "Zuid"})
	codeOf := func(name string) string {
		c, err := db.CollectiveByName(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return c.Code
	}
	say("/koppel "+codeOf("Noord"), 1)
	command(zuidChannel, mo, "koppel", map[string]string{"code": codeOf("Zuid")})

	t.Run("a lesson shared on Telegram is found from Discord", func(t *testing.T) {
		r := say("/les De energiecoöperatie draait op een kern van vijf vrijwilligers #energie", 1)
		if !strings.Contains(r[0].Shown, "L1") {
			t.Fatalf("/les reply %q", r[0].Shown)
		}
		shared := press(r[0], "Delen met het netwerk", 1)
		if !strings.Contains(shared[0].Shown, "gedeeld met het netwerk") {
			t.Fatalf("share reply %q", shared[0].Shown)
		}
		say("/les De notaris rekent meer dan je denkt", 1) // L2, never shared
		for _, q := range []string{"energiecoöperatie", "energiecooperatie", "VRIJWILLIGERS"} {
			got := command(zuidChannel, mo, "lessen", map[string]string{"zoek": q})
			if !strings.Contains(got.Content, "L1 · Noord") {
				t.Errorf("/lessen %s from Discord: %q, want L1 of Noord", q, got.Content)
			}
			if strings.Contains(got.Content, "Piet") {
				t.Errorf("/lessen %s shows a person's name: %q", q, got.Content)
			}
		}
		if got := command(zuidChannel, mo, "lessen", map[string]string{"zoek": "notaris"}); strings.Contains(got.Content, "L2") {
			t.Errorf("an unshared lesson was found from another collective: %q", got.Content)
		}
		if got := command(staffChannel, staffer, "lessen", nil); !strings.Contains(got.Content, "L2 · Noord") || !strings.Contains(got.Content, "niet gedeeld") {
			t.Errorf("staff /lessen %q, want L2 marked niet gedeeld", got.Content)
		}
	})

	t.Run("sparring: a no, then a yes, name withheld before it", func(t *testing.T) {
		command(zuidChannel, mo, "voortgang", map[string]string{"tekst": "Eerste gesprek met de netbeheerder #energie"})
		ask := func() discordtest.Message {
			t.Helper()
			r := say("/sparren energie", 1)
			if !strings.Contains(r[0].Shown, "Zuid") {
				t.Fatalf("/sparren %q does not suggest Zuid", r[0].Shown)
			}
			before := len(dc.Messages(zuidChannel))
			asked := press(r[0], "Vraag om contact met Zuid", 1)
			if !strings.Contains(asked[0].Shown, "Uitnodiging verstuurd naar Zuid") {
				t.Fatalf("contact reply %q", asked[0].Shown)
			}
			msgs := dc.WaitMessages(t, zuidChannel, before+1)
			inv := msgs[len(msgs)-1]
			if !strings.Contains(inv.Content, "Noord wil graag met jullie sparren over \\#energie") &&
				!strings.Contains(inv.Content, "Noord wil graag met jullie sparren over #energie") {
				t.Fatalf("invitation on Discord %q", inv.Content)
			}
			for _, secret := range []string{"Piet", "piet_noord"} {
				if strings.Contains(inv.Content, secret) {
					t.Fatalf("invitation names the asker before a yes: %q", inv.Content)
				}
			}
			return inv
		}

		inv := ask()
		before := len(tg.Sent(noord.ID))
		dc.WaitCallback(t, dc.Press(t, mo, inv, button(inv, "Nu niet")))
		rt.Wait()
		no := tg.WaitSent(t, noord.ID, before+1)[before:]
		if !strings.Contains(no[0].Shown, "Zuid kan nu niet sparren") || strings.Contains(no[0].Shown, "Mo") {
			t.Fatalf("the asker heard %q", no[0].Shown)
		}

		inv = ask()
		before = len(tg.Sent(noord.ID))
		staffBefore := len(dc.Messages(staffChannel))
		yes := dc.WaitCallback(t, dc.Press(t, mo, inv, button(inv, "Ja, graag")))
		rt.Wait()
		intro := tg.WaitSent(t, noord.ID, before+1)[before:]
		for _, want := range []string{"Piet Pionier (@piet_noord) van Noord", "Mo (@mo_zuid) van Zuid"} {
			if !strings.Contains(intro[0].Shown, want) {
				t.Errorf("introduction on Telegram %q lacks %q", intro[0].Shown, want)
			}
		}
		// On Discord the introduction mentions Mo for real (<@id>, allowed
		// to ping exactly Mo) and names Piet with his Telegram @username.
		if yes.Message == nil {
			t.Fatal("the yes got no message on Discord")
		}
		for _, want := range []string{"<@" + mo.ID + "> van Zuid", `Piet Pionier (@piet\_noord) van Noord`} {
			if !strings.Contains(yes.Message.Content, want) {
				t.Errorf("introduction on Discord %q lacks %q", yes.Message.Content, want)
			}
		}
		if got := string(yes.Message.AllowedMentions); !strings.Contains(got, `"parse":[]`) || !strings.Contains(got, `"users":["`+mo.ID+`"]`) {
			t.Errorf("introduction's allowed_mentions %s, want parse [] and users [%s]", got, mo.ID)
		}

		staff := dc.WaitMessages(t, staffChannel, staffBefore+1)
		if last := staff[len(staff)-1].Content; !strings.Contains(last, "Noord en Zuid sparren") {
			t.Errorf("staff told %q", last)
		}
		// A message without mentions still pings nobody.
		if got := string(staff[len(staff)-1].AllowedMentions); got != `{"parse":[]}` && strings.Contains(got, "users") {
			t.Errorf("the staff message allows %s", got)
		}
	})

	t.Run("a meeting: invitation, answers, .ics, one reminder across a restart", func(t *testing.T) {
		before := len(tg.Sent(noord.ID))
		zuidBefore := len(dc.Messages(zuidChannel))
		r := command(staffChannel, staffer, "bijeenkomst", map[string]string{"wanneer": "2026-12-10 19:30", "titel": "Netwerkavond energie", "plaats": "Buurthuis De Pijp"})
		if !strings.Contains(r.Content, "B1") {
			t.Fatalf("/bijeenkomst reply %q", r.Content)
		}
		rt.Wait()
		// Discord also gets the guild's own event, once.
		if evs := dc.Events(); len(evs) != 1 || evs[0].Name != "B1 Netwerkavond energie" || evs[0].Location != "Buurthuis De Pijp" ||
			!evs[0].Start.Equal(time.Date(2026, 12, 10, 19, 30, 0, 0, ams)) || evs[0].EntityType != 3 {
			t.Errorf("guild scheduled events %+v, want B1 at 19:30 in Buurthuis De Pijp", evs)
		}
		tgInv := tg.WaitSent(t, noord.ID, before+1)[before]
		dcMsgs := dc.WaitMessages(t, zuidChannel, zuidBefore+1)
		dcInv := dcMsgs[len(dcMsgs)-1]
		press(tgInv, "Ik kom", 1)
		dc.WaitCallback(t, dc.Press(t, mo, dcInv, button(dcInv, "Misschien")))
		// Piet changes his mind, and back: one answer per person.
		press(tgInv, "Kan niet", 1)
		press(tgInv, "Ik kom", 1)

		list := say("/bijeenkomsten", 2)
		var ical []byte
		for _, s := range list {
			if s.File != nil && strings.HasSuffix(s.File.Name, ".ics") {
				ical = s.File.Data
			} else if !strings.Contains(s.Shown, "ja: Piet Pionier") {
				t.Errorf("/bijeenkomsten on Telegram %q, want Piet's yes", s.Shown)
			}
		}
		cal, err := ics.ParseCalendar(bytes.NewReader(ical))
		if err != nil {
			t.Fatalf("the .ics does not parse: %v\n%s", err, ical)
		}
		if evs := cal.Events(); len(evs) != 1 {
			t.Fatalf("%d events in the .ics", len(evs))
		} else {
			start, err := evs[0].GetStartAt()
			if want := time.Date(2026, 12, 10, 19, 30, 0, 0, ams); err != nil || !start.Equal(want) {
				t.Errorf("DTSTART %v (%v), want %v", start, err, want)
			}
			if got := evs[0].GetProperty(ics.ComponentPropertySummary).Value; !strings.Contains(got, "Netwerkavond energie") {
				t.Errorf("SUMMARY %q", got)
			}
			if got := evs[0].GetProperty(ics.ComponentPropertyLocation).Value; got != "Buurthuis De Pijp" {
				t.Errorf("LOCATION %q", got)
			}
		}

		scheduler := func() *bot.Scheduler {
			return &bot.Scheduler{Runtime: rt, Handler: handler, Store: db, Now: clock.Now, Location: ams, Logger: quiet}
		}
		due := time.Date(2026, 12, 9, 19, 30, 0, 0, ams)
		first := scheduler()
		clock.Freeze(due.Add(-time.Minute))
		if err := first.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		tgBefore, dcBefore := len(tg.Sent(noord.ID)), len(dc.Messages(zuidChannel))
		// The process is replaced just before the reminder; both the new
		// one and (a late tick of) the old one run after it fell due.
		second := scheduler()
		for i, s := range []*bot.Scheduler{second, first, second} {
			clock.Freeze(due.Add(time.Duration(i) * time.Minute))
			if err := s.RunDue(ctx); err != nil {
				t.Fatal(err)
			}
		}
		rt.Wait()
		reminders := func() (tgN, dcN int) {
			for _, s := range tg.Sent(noord.ID)[tgBefore:] {
				if strings.Contains(s.Shown, "Herinnering: B1") {
					tgN++
				}
			}
			for _, m := range dc.Messages(zuidChannel)[dcBefore:] {
				if strings.Contains(m.Content, "Herinnering: B1") {
					dcN++
				}
			}
			return
		}
		tg.WaitSent(t, noord.ID, tgBefore+1)
		dc.WaitMessages(t, zuidChannel, dcBefore+1)
		if tgN, dcN := reminders(); tgN != 1 || dcN != 1 {
			t.Fatalf("reminders: %d on Telegram, %d on Discord; want 1 each", tgN, dcN)
		}
	})
}

// Without the Manage Events permission the meeting is still created and
// announced on Discord; only the guild's own event is missing.
func TestMeetingWithoutEventPermission(t *testing.T) {
	db := bot.OpenTestDB(t)
	quiet := slog.New(slog.DiscardHandler)
	staffer := discordtest.Member{ID: "7001", Username: "sanne", GlobalName: "Sanne", Permissions: discordtest.PermSendMessages}
	admin := discordtest.Member{ID: "7002", Username: "mo", GlobalName: "Mo", Permissions: discordtest.PermManageServer | discordtest.PermSendMessages}
	rt := &bot.Runtime{Handler: &commands.Handler{Store: db, Location: time.UTC, DefaultLang: commands.NL, Logger: quiet},
		Store: db, Admins: map[string]bool{"discord:" + staffer.ID: true}, Logger: quiet}
	t.Cleanup(rt.Wait)
	dc := discordtest.NewServer(t)
	dc.DenyEvents()
	dc.StartBot(t, rt)
	dc.WaitConnected(t)
	staff, zuid := dc.AddChannel("staf"), dc.AddChannel("zuid")
	run := func(ch string, m discordtest.Member, name string, args map[string]string) discordtest.Message {
		t.Helper()
		return dc.WaitReply(t, dc.Command(t, ch, m, name, args))
	}
	run(staff, staffer, commands.CmdStaffChat, nil)
	run(staff, staffer, "collectief", map[string]string{"naam": "Zuid"})
	c, err := db.CollectiveByName(context.Background(), "Zuid")
	if err != nil {
		t.Fatal(err)
	}
	run(zuid, admin, "koppel", map[string]string{"code": c.Code})
	before := len(dc.Messages(zuid))
	r := run(staff, staffer, "bijeenkomst", map[string]string{"wanneer": "2030-05-01 19:30", "titel": "Netwerkavond"})
	if r.Ephemeral() || !strings.Contains(r.Content, "B1") {
		t.Fatalf("/bijeenkomst without the permission: %q (ephemeral %v)", r.Content, r.Ephemeral())
	}
	rt.Wait()
	msgs := dc.WaitMessages(t, zuid, before+1)
	if !strings.Contains(msgs[len(msgs)-1].Content, "Uitnodiging: B1 Netwerkavond") {
		t.Fatalf("invitation %q", msgs[len(msgs)-1].Content)
	}
	if evs := dc.Events(); len(evs) != 0 {
		t.Fatalf("events %+v despite the refusal", evs)
	}
}
