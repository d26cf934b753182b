package telegram

import (
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

// TestMentionsHTML: a Telegram user without a username becomes a
// tg://user link on their escaped name; one with a username is named by
// it; a Discord user and the typed rest are escaped text.
func TestMentionsHTML(t *testing.T) {
	text := "<b>Eva</b>, Piet (@piet) en Mo <a href=x>"
	ms := []commands.Mention{
		{Start: 0, End: 10, User: commands.UserRef{Platform: commands.Telegram, ID: "301"}},
		{Start: 12, End: 24, User: commands.UserRef{Platform: commands.Telegram, ID: "302", Contact: "@piet"}},
		{Start: 28, End: 30, User: commands.UserRef{Platform: commands.Discord, ID: "7002"}},
	}
	want := `<a href="tg://user?id=301">&lt;b&gt;Eva&lt;/b&gt;</a>, Piet (@piet) en Mo &lt;a href=x&gt;`
	if got := mentionsHTML(text, ms); got != want {
		t.Errorf("mentionsHTML = %q, want %q", got, want)
	}
}
