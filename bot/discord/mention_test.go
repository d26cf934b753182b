package discord

import (
	"slices"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

// TestRenderMentions: only the structured mentions of Discord users become
// <@id>; a typed "<@123>" stays escaped text, someone on Telegram stays
// their name and a malformed id is never rendered.
func TestRenderMentions(t *testing.T) {
	text := "<@123> zegt: Mo, Piet (@piet_n) en Eva"
	ms := []commands.Mention{
		{Start: 13, End: 15, User: commands.UserRef{Platform: commands.Discord, ID: "7002"}},
		{Start: 17, End: 32, User: commands.UserRef{Platform: commands.Telegram, ID: "301", Contact: "@piet_n"}},
		{Start: 36, End: 39, User: commands.UserRef{Platform: commands.Discord, ID: "7003> <@&1"}},
	}
	got, users := renderMentions(text, ms)
	want := `\<@123\> zegt: <@7002>, Piet (@piet\_n) en Eva`
	if got != want {
		t.Errorf("renderMentions = %q, want %q", got, want)
	}
	if !slices.Equal(users, []string{"7002"}) {
		t.Errorf("allowed users %v, want [7002]", users)
	}
	if a := allowed(nil); a.Users != nil || a.Parse == nil || len(a.Parse) != 0 {
		t.Errorf("allowed(nil) = %+v, want parse [] and no users", a)
	}
}
