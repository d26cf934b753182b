package discord_test

import (
	"database/sql"
	"encoding/json"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/internal/dbfiles"
	"github.com/wijkbv/wijkbot/storage"
)

// A Discord DM's channel id is not its user's id, as a Telegram private
// chat's is: the DM whose language Mo set is stored as Mo's, /mijngegevens
// lists it, and after /vergeetmij nothing in the database file or its WAL
// names the channel any more (it stayed in chats, with its language).
func TestForgetMeErasesTheDM(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	defer h.stop()
	dm := h.srv.DMWith(member)

	if r := h.run(t, dm, member, "taal", map[string]string{"taal": "en"}); r.Ephemeral() {
		t.Fatalf("taal in the DM refused: %q", r.Content)
	}
	if !dbfiles.Contain(t, h.path, dm) {
		t.Fatal("the DM's id is not in the database: the test proves nothing")
	}

	t.Run("mijngegevens lists the DM", func(t *testing.T) {
		r := h.run(t, dm, member, "mijngegevens", nil)
		if len(r.Files) != 1 {
			t.Fatalf("mijngegevens: %q with %d files, want one", r.Content, len(r.Files))
		}
		var file struct {
			Privechat *struct {
				Chat string `json:"chat"`
				Taal string `json:"taal"`
			} `json:"privechat"`
		}
		if err := json.Unmarshal(r.Files[0].Data, &file); err != nil {
			t.Fatalf("file is no JSON: %v\n%s", err, r.Files[0].Data)
		}
		if file.Privechat == nil || file.Privechat.Chat != dm || file.Privechat.Taal != "en" {
			t.Fatalf("privechat = %+v, want the DM %s in English", file.Privechat, dm)
		}
	})

	t.Run("vergeetmij leaves nothing of the DM", func(t *testing.T) {
		prompt := h.run(t, dm, member, "vergeetmij", nil)
		button := findButton(prompt, "/vergeetmij")
		if button == "" {
			t.Fatalf("vergeetmij asked %q without a button", prompt.Content)
		}
		r := h.srv.WaitReply(t, h.srv.Press(t, member, prompt, button))
		mustContain(t, "the answer to the button", r.Content, "Your data has been erased")
		if dbfiles.Contain(t, h.path, dm) {
			t.Fatal("the forgotten person's DM id is still in the database file or its WAL")
		}
		if c, err := h.db.Chat(t.Context(), commands.ChatRef{Platform: commands.Discord, ID: dm}); err != nil || c.Lang != "" {
			t.Fatalf("the DM after /vergeetmij = %+v, %v; want unknown", c, err)
		}
	})
}

// A DM whose language was set before migration 082, by someone who is no
// expert, is stored without an owner: /vergeetmij could not find it. The
// person's next command in the DM ties it to them, and /vergeetmij then
// leaves nothing of it in the file or its WAL.
func TestForgetMeErasesAnOlderDM(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	defer h.stop()
	dm := h.srv.DMWith(member)

	// The row as 082 left it: the DM's language, no owner.
	raw, err := sql.Open("sqlite", storage.DSN(h.path))
	if err != nil {
		t.Fatal(err)
	}
	_, err = raw.Exec(`INSERT INTO chats (platform, chat_id, lang, created_at, updated_at)
		VALUES (?, ?, 'en', '2026-01-05T10:00:00Z', '2026-01-05T10:00:00Z')`, commands.Discord, dm)
	if cerr := raw.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	if !dbfiles.Contain(t, h.path, dm) {
		t.Fatal("the DM's id is not in the database: the test proves nothing")
	}

	// Any command in the DM will do; this one is answered in the DM's
	// language, so the row is the one it reads.
	r := h.run(t, dm, member, "hulp", nil)
	mustContain(t, "hulp in the DM", r.Content, "/forgetme")

	prompt := h.run(t, dm, member, "vergeetmij", nil)
	button := findButton(prompt, "/vergeetmij")
	if button == "" {
		t.Fatalf("vergeetmij asked %q without a button", prompt.Content)
	}
	r = h.srv.WaitReply(t, h.srv.Press(t, member, prompt, button))
	mustContain(t, "the answer to the button", r.Content, "Your data has been erased")
	if dbfiles.Contain(t, h.path, dm) {
		t.Fatal("the forgotten person's older DM is still in the database file or its WAL")
	}
	if c, err := h.db.Chat(t.Context(), commands.ChatRef{Platform: commands.Discord, ID: dm}); err != nil || c.Stored || c.Lang != "" {
		t.Fatalf("the DM after /vergeetmij = %+v, %v; want unknown", c, err)
	}
}
