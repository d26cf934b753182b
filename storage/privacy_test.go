package storage

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

func TestPrivacy(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	dm := commands.ChatRef{Platform: ana.Platform, ID: ana.ID}
	if err := db.SetChatLang(ctx, "", dm, commands.EN); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.Exec(`UPDATE chats SET title = 'Ana' WHERE chat_id = ?`, ana.ID); err != nil {
		t.Fatal(err)
	}
	// Chats that are not Ana's own keep their titles: a group, and a chat
	// that has Ana's id on another platform.
	group := commands.ChatRef{Platform: ana.Platform, ID: "-500"}
	elsewhere := commands.ChatRef{Platform: commands.Discord, ID: ana.ID}
	for _, ch := range []commands.ChatRef{group, elsewhere} {
		if _, err := db.LinkChat(ctx, "", ch, "Noord groep", noord.Code, ana); err != nil {
			t.Fatal(err)
		}
	}

	// Ana writes one of everything; Bram writes one entry; Ana later renames.
	if err := db.AddEntry(ctx, "", &commands.Entry{CollectiveID: noord.ID, Text: "van Ana", Themes: []string{"wonen"}}, ana); err != nil {
		t.Fatal(err)
	}
	if err := db.AddEntry(ctx, "", &commands.Entry{CollectiveID: noord.ID, Text: "van Bram"}, bram); err != nil {
		t.Fatal(err)
	}
	r := &commands.HelpRequest{CollectiveID: noord.ID, Expertise: "zorg", Question: "vraag van Ana"}
	if err := db.CreateRequest(ctx, "", r, ana, 0); err != nil {
		t.Fatal(err)
	}
	// Ana is staff too here: she claims and answers Bram's request.
	rb := &commands.HelpRequest{CollectiveID: noord.ID, Expertise: "zorg", Question: "vraag van Bram"}
	if err := db.CreateRequest(ctx, "", rb, bram, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AnswerRequest(ctx, "", rb.Number, "antwoord van Ana", ana); err != nil {
		t.Fatal(err)
	}
	panel, _ := db.Panel(ctx, noord.ID)
	if _, err := db.SetSlider(ctx, "", noord.ID, panel[0].ID, 6, "omdat", ana); err != nil {
		t.Fatal(err)
	}
	round, _, _ := db.ClaimRound(ctx, noord.ID, t0.Add(time.Hour))
	if err := db.AddCheckinAnswer(ctx, "", round.ID, "check-in van Ana", ana); err != nil {
		t.Fatal(err)
	}
	renamed := ana
	renamed.Name = "Ana de Vries"
	if err := db.AddEntry(ctx, "", &commands.Entry{CollectiveID: noord.ID, Text: "nog een"}, renamed); err != nil {
		t.Fatal(err)
	}

	t.Run("personal data", func(t *testing.T) {
		pd, err := db.PersonalData(ctx, ana)
		if err != nil {
			t.Fatal(err)
		}
		if pd.Platform != ana.Platform || pd.UserID != ana.ID || pd.Name != "Ana de Vries" {
			t.Fatalf("person %+v", pd)
		}
		if len(pd.Entries) != 2 || pd.Entries[0].Text != "van Ana" || pd.Entries[0].Themes[0] != "wonen" ||
			len(pd.HelpRequests) != 1 || pd.HelpRequests[0].Question != "vraag van Ana" ||
			len(pd.Answers) != 1 || pd.Answers[0].Text != "antwoord van Ana" ||
			len(pd.SliderChanges) != 1 || pd.SliderChanges[0].Why != "omdat" ||
			len(pd.CheckinAnswers) != 1 || pd.CheckinAnswers[0].Text != "check-in van Ana" {
			t.Fatalf("personal data %+v", pd)
		}
		// Records keep the name they were written under.
		if pd.Entries[0].Author != "Ana" || pd.Entries[1].Author != "Ana de Vries" {
			t.Fatalf("authors %q, %q", pd.Entries[0].Author, pd.Entries[1].Author)
		}
		unknown, err := db.PersonalData(ctx, commands.UserRef{Platform: "telegram", ID: "404"})
		if err != nil || unknown.Name != "" || len(unknown.Entries) != 0 {
			t.Fatalf("unknown person %+v %v", unknown, err)
		}
	})

	t.Run("forget", func(t *testing.T) {
		if err := db.ForgetPerson(ctx, "forget-1", ana); err != nil {
			t.Fatal(err)
		}
		pd, err := db.PersonalData(ctx, ana)
		if err != nil {
			t.Fatal(err)
		}
		if pd.Name != "" || len(pd.Entries)+len(pd.HelpRequests)+len(pd.Answers)+len(pd.SliderChanges)+len(pd.CheckinAnswers) != 0 {
			t.Fatalf("still stored after forgetting: %+v", pd)
		}
		var n int
		if err := db.db.QueryRow(`SELECT COUNT(*) FROM people WHERE name LIKE '%Ana%'`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d people named Ana (%v)", n, err)
		}
		entries, _ := db.Entries(ctx, noord.ID, 0)
		authors := map[string]string{}
		for _, e := range entries {
			authors[e.Text] = e.Author
		}
		if authors["van Ana"] != commands.ErasedAuthor || authors["nog een"] != commands.ErasedAuthor || authors["van Bram"] != "Bram" {
			t.Fatalf("entry authors %v", authors)
		}
		if len(entries) != 3 || entries[2].Themes[0] != "wonen" {
			t.Fatalf("entries not kept: %+v", entries)
		}
		req, _ := db.Request(ctx, r.Number)
		if req.AskedBy != commands.ErasedAuthor || req.Question != "vraag van Ana" {
			t.Fatalf("request %+v", req)
		}
		reqB, _ := db.Request(ctx, rb.Number)
		if reqB.AskedBy != "Bram" || reqB.ClaimedBy != commands.ErasedAuthor || reqB.Answers[0].Author != commands.ErasedAuthor {
			t.Fatalf("Bram's request %+v", reqB)
		}
		changes, _ := db.SliderChanges(ctx, noord.ID, 0, time.Time{})
		if len(changes) != 1 || changes[0].Who != commands.ErasedAuthor {
			t.Fatalf("slider changes %+v", changes)
		}
		answers, _ := db.CheckinAnswers(ctx, round.ID)
		if len(answers) != 1 || answers[0].Author != commands.ErasedAuthor {
			t.Fatalf("check-in answers %+v", answers)
		}
		// The private chat's id is Ana's user id: the row goes, title,
		// language and all.
		var rows int
		if err := db.db.QueryRow(`SELECT COUNT(*) FROM chats WHERE platform = ? AND chat_id = ?`, dm.Platform, dm.ID).Scan(&rows); err != nil || rows != 0 {
			t.Fatalf("%d rows of Ana's private chat (%v), want none", rows, err)
		}
		for _, ref := range []commands.ChatRef{group, elsewhere} {
			if c, _ := db.Chat(ctx, ref); c.Title != "Noord groep" {
				t.Fatalf("chat %v titled %q after forgetting Ana, want its title kept", ref, c.Title)
			}
		}
		// A request whose claimer was erased can be taken by another.
		if _, err := db.ClaimRequest(ctx, "", rb.Number, sanne); err != nil {
			t.Fatalf("claim after the claimer was forgotten: %v", err)
		}
	})

	t.Run("forget twice and unknown", func(t *testing.T) {
		if err := db.ForgetPerson(ctx, "forget-2", ana); err != nil {
			t.Fatal(err)
		}
		if err := db.ForgetPerson(ctx, "forget-1", ana); err != commands.ErrDuplicate {
			t.Fatalf("re-delivered forget: %v, want ErrDuplicate", err)
		}
	})

	t.Run("coming back after forgetting starts afresh", func(t *testing.T) {
		if err := db.AddEntry(ctx, "", &commands.Entry{CollectiveID: noord.ID, Text: "terug"}, ana); err != nil {
			t.Fatal(err)
		}
		pd, _ := db.PersonalData(ctx, ana)
		if pd.Name != "Ana" || len(pd.Entries) != 1 || pd.Entries[0].Text != "terug" {
			t.Fatalf("%+v", pd)
		}
	})
}

// A Discord DM has an id of its own, not the person's: it is recorded as
// theirs when its language is set, shown by PersonalData and deleted by
// ForgetPerson. A Telegram private chat (its id is the person's) is found
// by its id and deleted too.
func TestPrivateChatOwner(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	dm := commands.ChatRef{Platform: commands.Discord, ID: "7001"}
	tgPrivate := commands.ChatRef{Platform: ana.Platform, ID: ana.ID}
	group := commands.ChatRef{Platform: commands.Discord, ID: "7002"}
	if err := db.SetPrivateChatLang(ctx, "", dm, commands.EN, sanne); err != nil {
		t.Fatal(err)
	}
	if err := db.SetPrivateChatLang(ctx, "", tgPrivate, commands.EN, ana); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.Exec(`UPDATE chats SET title = 'Ana' WHERE chat_id = ?`, ana.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.SetChatLang(ctx, "", group, commands.EN); err != nil {
		t.Fatal(err)
	}
	// Another person setting the DM's language does not make it theirs.
	if err := db.SetPrivateChatLang(ctx, "", dm, commands.EN, commands.UserRef{Platform: commands.Discord, ID: "9002"}); err != nil {
		t.Fatal(err)
	}
	owners := map[commands.ChatRef]string{}
	rows, err := db.db.Query(`SELECT platform, chat_id, owner_id FROM chats`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var ref commands.ChatRef
		var owner string
		if err := rows.Scan(&ref.Platform, &ref.ID, &owner); err != nil {
			t.Fatal(err)
		}
		owners[ref] = owner
	}
	rows.Close()
	if want := map[commands.ChatRef]string{dm: sanne.ID, tgPrivate: "", group: ""}; !maps.Equal(owners, want) {
		t.Fatalf("owners %v, want %v", owners, want)
	}

	for _, tc := range []struct {
		user commands.UserRef
		want commands.ChatRef
	}{{sanne, dm}, {ana, tgPrivate}} {
		pd, err := db.PersonalData(ctx, tc.user)
		if err != nil {
			t.Fatal(err)
		}
		if pd.PrivateChat == nil || pd.PrivateChat.Ref != tc.want || pd.PrivateChat.Lang != commands.EN {
			t.Fatalf("%v: private chat %+v, want %v in English", tc.user, pd.PrivateChat, tc.want)
		}
	}

	for _, u := range []commands.UserRef{sanne, ana} {
		if err := db.ForgetPerson(ctx, "", u); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := db.db.QueryRow(`SELECT COUNT(*) FROM chats WHERE platform = ? AND chat_id = ?`, dm.Platform, dm.ID).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d rows of the forgotten person's DM (%v), want none", n, err)
	}
	if c, _ := db.Chat(ctx, dm); c.Lang != "" {
		t.Fatalf("DM after forgetting %+v, want unknown", c)
	}
	if err := db.db.QueryRow(`SELECT COUNT(*) FROM chats WHERE platform = ? AND chat_id = ?`, tgPrivate.Platform, tgPrivate.ID).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d rows of the forgotten person's Telegram private chat (%v), want none", n, err)
	}
	if c, _ := db.Chat(ctx, group); c.Lang != commands.EN {
		t.Fatalf("group %+v, want it kept", c)
	}
	for _, u := range []commands.UserRef{sanne, ana} {
		if pd, _ := db.PersonalData(ctx, u); u == sanne && pd.PrivateChat != nil {
			t.Fatalf("%v: private chat %+v after forgetting", u, pd.PrivateChat)
		}
	}
}

// Migration 082 records the owner of the DMs stored before it where the
// expert role says whose they are; a DM it cannot place keeps no owner.
func TestPrivateChatOwnerMigration(t *testing.T) {
	ctx := context.Background()
	db, clk, path := openTestFile(t)
	expertDM := commands.ChatRef{Platform: commands.Discord, ID: "7001"}
	otherDM := commands.ChatRef{Platform: commands.Discord, ID: "7003"}
	x := &commands.Expert{Name: "Sanne", Expertises: []string{"zorg"}}
	if err := db.CreateExpert(ctx, "", x, "EEEE2345", t0.Add(24*time.Hour), bram); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RedeemInvite(ctx, "", "EEEE2345", expertDM, sanne); err != nil {
		t.Fatal(err)
	}
	// Back to before 082, where the DMs' languages were set.
	for _, q := range []string{
		`DROP INDEX chats_owner`, `ALTER TABLE chats DROP COLUMN owner_id`,
		`DELETE FROM migrations WHERE name = 'migrations/082_private_chat_owner.sql'`,
	} {
		if _, err := db.db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, ref := range []commands.ChatRef{expertDM, otherDM} {
		if _, err := db.db.ExecContext(ctx, `INSERT INTO chats (platform, chat_id, lang, created_at, updated_at) VALUES (?, ?, 'en', '', '')`,
			ref.Platform, ref.ID); err != nil {
			t.Fatal(err)
		}
	}
	db = reopen(t, db, path, clk)
	for ref, want := range map[commands.ChatRef]string{expertDM: sanne.ID, otherDM: ""} {
		var owner string
		if err := db.db.QueryRowContext(ctx, `SELECT owner_id FROM chats WHERE platform = ? AND chat_id = ?`, ref.Platform, ref.ID).Scan(&owner); err != nil {
			t.Fatal(err)
		}
		if owner != want {
			t.Errorf("%v: owner %q, want %q", ref, owner, want)
		}
	}
	if err := db.ForgetPerson(ctx, "", sanne); err != nil {
		t.Fatal(err)
	}
	if c, _ := db.Chat(ctx, expertDM); c.Lang != "" {
		t.Fatalf("the expert's DM after forgetting %+v, want it gone", c)
	}
}

// SetPrivateChatOwner ties a stored DM without an owner (one whose
// language was set before 082) to the person writing in it; it keeps an
// owner once recorded, creates no row for a chat it does not keep, and
// leaves a Telegram private chat (its id is the person's), a linked chat
// and a staff chat without one.
func TestSetPrivateChatOwner(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	older := commands.ChatRef{Platform: commands.Discord, ID: "7101"}
	owned := commands.ChatRef{Platform: commands.Discord, ID: "7102"}
	unknown := commands.ChatRef{Platform: commands.Discord, ID: "7103"}
	staff := commands.ChatRef{Platform: commands.Discord, ID: "7104"}
	tgPrivate := commands.ChatRef{Platform: ana.Platform, ID: ana.ID}
	for _, q := range []string{
		`INSERT INTO chats (platform, chat_id, lang, created_at, updated_at) VALUES ('discord', '7101', 'en', '', '')`,
		`INSERT INTO chats (platform, chat_id, lang, owner_id, created_at, updated_at) VALUES ('discord', '7102', 'en', '9009', '', '')`,
		`INSERT INTO chats (platform, chat_id, kind, created_at, updated_at) VALUES ('discord', '7104', 'staff', '', '')`,
		`INSERT INTO chats (platform, chat_id, lang, created_at, updated_at) VALUES ('telegram', '101', 'en', '', '')`,
	} {
		if _, err := db.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if c, _ := db.Chat(ctx, older); !c.Stored || c.Owner != "" {
		t.Fatalf("older DM %+v, want stored without owner", c)
	}
	for _, ref := range []commands.ChatRef{older, owned, unknown, staff} {
		if err := db.SetPrivateChatOwner(ctx, ref, sanne); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetPrivateChatOwner(ctx, tgPrivate, ana); err != nil {
		t.Fatal(err)
	}
	for ref, want := range map[commands.ChatRef]string{older: sanne.ID, owned: "9009", staff: "", tgPrivate: ""} {
		c, err := db.Chat(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		if c.Owner != want {
			t.Errorf("%v: owner %q, want %q", ref, c.Owner, want)
		}
	}
	if got := column(t, db, `SELECT chat_id FROM chats WHERE chat_id = ?`, unknown.ID); len(got) != 0 {
		t.Fatalf("a chat the store did not keep got a row: %v", got)
	}
	if err := db.ForgetPerson(ctx, "", sanne); err != nil {
		t.Fatal(err)
	}
	if c, _ := db.Chat(ctx, older); c.Stored {
		t.Fatalf("older DM after forgetting its owner: %+v, want it gone", c)
	}
}

// Migration 083 gives the console's private chats stored without an owner
// their owner, from the id (prive:NAAM is NAAM's); other chats keep none.
func TestConsolePrivateOwnerMigration(t *testing.T) {
	ctx := context.Background()
	db, clk, path := openTestFile(t)
	for _, q := range []string{
		`INSERT INTO chats (platform, chat_id, lang, created_at, updated_at) VALUES ('console', 'prive:anna', 'en', '', '')`,
		`INSERT INTO chats (platform, chat_id, lang, created_at, updated_at) VALUES ('console', 'noord', 'en', '', '')`,
		`INSERT INTO chats (platform, chat_id, lang, created_at, updated_at) VALUES ('console', 'prive:', 'en', '', '')`,
		`INSERT INTO chats (platform, chat_id, lang, created_at, updated_at) VALUES ('discord', 'prive:bram', 'en', '', '')`,
		`DELETE FROM migrations WHERE name = 'migrations/083_console_private_owner.sql'`,
	} {
		if _, err := db.db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db = reopen(t, db, path, clk)
	for ref, want := range map[commands.ChatRef]string{
		{Platform: commands.Console, ID: "prive:anna"}: "anna",
		{Platform: commands.Console, ID: "noord"}:      "",
		{Platform: commands.Console, ID: "prive:"}:     "",
		{Platform: commands.Discord, ID: "prive:bram"}: "",
	} {
		c, err := db.Chat(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		if !c.Stored || c.Owner != want {
			t.Errorf("%v: %+v, want owner %q", ref, c, want)
		}
	}
}
