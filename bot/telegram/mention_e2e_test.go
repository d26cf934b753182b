package telegram_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

// TestMentionsOnTheFake: a text with mentions reaches the Bot API as
// checked HTML: Piet (no username) as a tg://user link on his name, Mo by
// @username, typed markup escaped.
func TestMentionsOnTheFake(t *testing.T) {
	h := newHarness(t)
	h.tg.AddChat(noord)
	h.start()
	text := "Piet Pionier <b>x</b> en Mo (@mo_noord)"
	ms := []commands.Mention{
		{Start: 0, End: len("Piet Pionier <b>x</b>"), User: commands.UserRef{Platform: commands.Telegram, ID: strconv.FormatInt(piet.ID, 10), Name: "Piet Pionier <b>x</b>"}},
		{Start: len("Piet Pionier <b>x</b> en "), End: len(text), User: commands.UserRef{Platform: commands.Telegram, ID: strconv.FormatInt(mo.ID, 10), Contact: "@mo_noord"}},
	}
	if _, err := h.bot.SendMentions(context.Background(), strconv.FormatInt(noord.ID, 10), text, ms); err != nil {
		t.Fatal(err)
	}
	got := h.tg.WaitSent(t, noord.ID, 1)[0]
	if want := `<a href="tg://user?id=201">Piet Pionier &lt;b&gt;x&lt;/b&gt;</a> en Mo (@mo_noord)`; got.Raw != want || got.ParseMode != "HTML" {
		t.Errorf("sent %q (%s), want %q in HTML", got.Raw, got.ParseMode, want)
	}
	if !strings.Contains(got.Shown, "Piet Pionier <b>x</b> en Mo (@mo_noord)") {
		t.Errorf("shown %q", got.Shown)
	}
}
