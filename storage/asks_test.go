package storage

import (
	"context"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

func TestAsks(t *testing.T) {
	db, clock := openTest(t)
	ctx := context.Background()
	staff := commands.ChatRef{Platform: commands.Telegram, ID: "-100"}
	bram := commands.UserRef{Platform: commands.Telegram, ID: "102", Name: "Bram"}
	line := "/" + commands.CmdAnswer + " 3"
	if err := db.SaveAsk(ctx, staff, "41", bram, line, clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}

	t.Run("found by chat and message", func(t *testing.T) {
		who, got, found, err := db.Ask(ctx, staff, "41")
		if err != nil || !found || who.String() != bram.String() || who.Name != "Bram" || got != line {
			t.Fatalf("Ask = %+v, %q, %v, %v", who, got, found, err)
		}
		other := commands.ChatRef{Platform: commands.Discord, ID: "-100"}
		for _, k := range []struct {
			chat commands.ChatRef
			msg  string
		}{{staff, "42"}, {other, "41"}} {
			if _, _, found, err := db.Ask(ctx, k.chat, k.msg); found || err != nil {
				t.Fatalf("Ask(%v, %s) found %v, %v", k.chat, k.msg, found, err)
			}
		}
	})

	t.Run("expired questions are gone", func(t *testing.T) {
		clock.Add(time.Hour)
		if _, _, found, err := db.Ask(ctx, staff, "41"); found || err != nil {
			t.Fatalf("expired question found %v, %v", found, err)
		}
		// The next question deletes it.
		if err := db.SaveAsk(ctx, staff, "50", bram, line, clock.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got := column(t, db, `SELECT message_id FROM text_asks`); len(got) != 1 || got[0] != "50" {
			t.Fatalf("rows %v, want only the new question", got)
		}
	})

	t.Run("answered questions are deleted", func(t *testing.T) {
		if err := db.DeleteAsk(ctx, staff, "50"); err != nil {
			t.Fatal(err)
		}
		if _, _, found, _ := db.Ask(ctx, staff, "50"); found {
			t.Fatal("deleted question still found")
		}
		if err := db.DeleteAsk(ctx, staff, "50"); err != nil {
			t.Fatalf("deleting twice: %v", err)
		}
	})

	t.Run("forgetting the person deletes their questions", func(t *testing.T) {
		if err := db.SaveAsk(ctx, staff, "60", bram, line, clock.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := db.ForgetPerson(ctx, "forget-bram", bram); err != nil {
			t.Fatal(err)
		}
		if got := column(t, db, `SELECT message_id FROM text_asks`); len(got) != 0 {
			t.Fatalf("questions %v left after /vergeetmij", got)
		}
	})
}
