package discord_test

import (
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

// /contact's collectief is autocompleted in a collective's channel as
// /schema's and /export's are in the staff channel: while typing, the
// other collectives are offered (never the channel's own, which it cannot
// invite), and the one picked invites.
func TestContactAutocompletesTheCollective(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	defer h.stop()
	staff := h.srv.AddChannel("staf")
	noord := h.srv.AddChannel("noord")
	zuid := h.srv.AddChannel("zuid")
	h.run(t, staff, admin, commands.CmdStaffChat, nil)
	for ch, name := range map[string]string{noord: "Noord", zuid: "Zuidoost"} {
		h.linkCollective(t, staff, ch, name)
	}
	h.run(t, staff, admin, "collectief", map[string]string{"naam": "Westpoort"})

	for _, tc := range []struct{ partial, want string }{
		{"zu", "Zuidoost"},
		{"", "Westpoort, Zuidoost"},
		{"noo", ""},
	} {
		choices := h.srv.WaitChoices(t, h.srv.Autocomplete(t, noord, member, "contact", nil, "collectief", tc.partial))
		got := ""
		for i, c := range choices {
			if i > 0 {
				got += ", "
			}
			if c.Name != c.Value {
				t.Errorf("choice %q has value %v; the name is what /contact takes", c.Name, c.Value)
			}
			got += c.Name
		}
		if got != tc.want {
			t.Errorf("collectief %q: choices %q, want %q", tc.partial, got, tc.want)
		}
	}

	r := h.run(t, noord, member, "contact", map[string]string{"collectief": "Zuidoost", "thema": "energie"})
	if r.Ephemeral() {
		t.Fatalf("contact with the suggested name refused: %q", r.Content)
	}
	mustContain(t, "invitation in Zuidoost's channel", h.srv.WaitMessages(t, zuid, 1)[0].Content, "Noord", "#energie")
}
