package storage

import (
	"context"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

func TestChats(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	zuid := mustCollective(t, db, "Zuid", "ZZZZ2345")
	grp := commands.ChatRef{Platform: commands.Telegram, ID: "-1001"}
	staff := commands.ChatRef{Platform: commands.Discord, ID: "777"}

	t.Run("unknown chat", func(t *testing.T) {
		c, err := db.Chat(ctx, grp)
		if err != nil {
			t.Fatal(err)
		}
		if c.Ref != grp || c.Kind != "" || c.CollectiveID != 0 {
			t.Fatalf("unknown chat %+v", c)
		}
	})

	t.Run("link with a lower-case code", func(t *testing.T) {
		c, err := db.LinkChat(ctx, "", grp, "Groep Noord", "nnnn2345", ana)
		if err != nil {
			t.Fatal(err)
		}
		if c.ID != noord.ID {
			t.Fatalf("linked to %+v, want Noord", c)
		}
		chat, _ := db.Chat(ctx, grp)
		if chat.Kind != commands.ChatCollective || chat.CollectiveID != noord.ID || chat.Title != "Groep Noord" || !chat.Active {
			t.Fatalf("chat %+v", chat)
		}
	})

	t.Run("unknown code", func(t *testing.T) {
		_, err := db.LinkChat(ctx, "", grp, "", "XXXX9999", ana)
		wantCode(t, err, commands.ENOTFOUND)
	})

	t.Run("relink to another collective keeps title", func(t *testing.T) {
		if _, err := db.LinkChat(ctx, "", grp, "", "ZZZZ2345", ana); err != nil {
			t.Fatal(err)
		}
		chat, _ := db.Chat(ctx, grp)
		if chat.CollectiveID != zuid.ID || chat.Title != "Groep Noord" {
			t.Fatalf("chat %+v", chat)
		}
		if chats, _ := db.CollectiveChats(ctx, noord.ID); len(chats) != 0 {
			t.Fatalf("Noord still has %+v", chats)
		}
		if chats, _ := db.CollectiveChats(ctx, zuid.ID); len(chats) != 1 || chats[0].Ref != grp {
			t.Fatalf("Zuid chats %+v", chats)
		}
	})

	t.Run("staff chat", func(t *testing.T) {
		if err := db.AddStaffChat(ctx, "", staff, "Team", sanne); err != nil {
			t.Fatal(err)
		}
		if err := db.AddStaffChat(ctx, "", staff, "Team", sanne); err != nil {
			t.Fatalf("second AddStaffChat: %v", err)
		}
		_, err := db.LinkChat(ctx, "", staff, "", "NNNN2345", sanne)
		wantCode(t, err, commands.ECONFLICT)
		wantCode(t, db.AddStaffChat(ctx, "", grp, "", sanne), commands.ECONFLICT)
		chats, err := db.StaffChats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(chats) != 1 || chats[0].Ref != staff || chats[0].Kind != commands.ChatStaff {
			t.Fatalf("staff chats %+v", chats)
		}
	})

	t.Run("language", func(t *testing.T) {
		if err := db.SetChatLang(ctx, "", grp, commands.EN); err != nil {
			t.Fatal(err)
		}
		dm := commands.ChatRef{Platform: commands.Telegram, ID: "101"}
		if err := db.SetChatLang(ctx, "", dm, commands.EN); err != nil {
			t.Fatal(err)
		}
		for _, ref := range []commands.ChatRef{grp, dm} {
			if c, _ := db.Chat(ctx, ref); c.Lang != commands.EN {
				t.Fatalf("%v lang %q", ref, c.Lang)
			}
		}
		if c, _ := db.Chat(ctx, grp); c.Kind != commands.ChatCollective {
			t.Fatalf("lang changed kind: %+v", c)
		}
	})

	t.Run("inactive chats are not listed; a command makes them active", func(t *testing.T) {
		if err := db.SetChatActive(ctx, staff, false); err != nil {
			t.Fatal(err)
		}
		if chats, _ := db.StaffChats(ctx); len(chats) != 0 {
			t.Fatalf("inactive staff chat listed: %+v", chats)
		}
		if err := db.AddStaffChat(ctx, "", staff, "", sanne); err != nil {
			t.Fatal(err)
		}
		if chats, _ := db.StaffChats(ctx); len(chats) != 1 || chats[0].Title != "Team" {
			t.Fatalf("staff chats %+v", chats)
		}
		if err := db.SetChatActive(ctx, commands.ChatRef{Platform: "x", ID: "y"}, false); err != nil {
			t.Fatalf("unknown chat: %v", err)
		}
	})

	t.Run("move to a supergroup", func(t *testing.T) {
		super := commands.ChatRef{Platform: commands.Telegram, ID: "-1009"}
		// An unlinked row under the new id (a message seen before the
		// migration notice) gives way.
		if err := db.SetChatLang(ctx, "", super, commands.NL); err != nil {
			t.Fatal(err)
		}
		if err := db.MoveChat(ctx, grp, super); err != nil {
			t.Fatal(err)
		}
		if err := db.MoveChat(ctx, grp, super); err != nil {
			t.Fatalf("second move: %v", err)
		}
		if c, _ := db.Chat(ctx, grp); c.Kind != "" {
			t.Fatalf("old chat still %+v", c)
		}
		c, _ := db.Chat(ctx, super)
		if c.Kind != commands.ChatCollective || c.CollectiveID != zuid.ID || c.Title != "Groep Noord" || c.Lang != commands.EN {
			t.Fatalf("moved chat %+v", c)
		}
		wantCode(t, db.MoveChat(ctx, super, staff), commands.ECONFLICT)
	})
}
