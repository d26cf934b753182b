package discord_test

import (
	"encoding/json"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/internal/dbfiles"
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
	if !fileHolds(t, h.path, dm) {
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
		if fileHolds(t, h.path, dm) {
			t.Fatal("the forgotten person's DM id is still in the database file or its WAL")
		}
		if c, err := h.db.Chat(t.Context(), commands.ChatRef{Platform: commands.Discord, ID: dm}); err != nil || c.Lang != "" {
			t.Fatalf("the DM after /vergeetmij = %+v, %v; want unknown", c, err)
		}
	})
}

// fileHolds says whether the database file at path or its -wal contains s.
func fileHolds(t *testing.T, path, s string) bool {
	t.Helper()
	holds, err := dbfiles.Contain(path, s)
	if err != nil {
		t.Fatal(err)
	}
	return holds
}
