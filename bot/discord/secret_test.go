package discord_test

import (
	"context"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

// secretTable is the command table with two test commands that reply
// with their word as a Secret, not marked Ephemeral: /geheim, and
// /geheimtraag, which is Slow (its reply is deferred first).
func secretTable() commands.Table {
	// Any catalogue text serves as the description a form shows.
	word := commands.TextOpt{Option: commands.Option{Name: "woord", NameEN: "word", Desc: commands.MsgDescOptAnswerText, Type: commands.OptText, Required: true, MaxLen: 40}}
	run := func(h *commands.Handler, ctx context.Context, c *commands.Call) (commands.Reply, error) {
		return commands.Reply{Text: "Het geheim is " + c.Text(word), Secret: true}, nil
	}
	table := append(commands.Table(nil), commands.Commands...)
	return append(table,
		commands.Command{Name: "geheim", Where: commands.Anywhere, Hidden: true, Options: commands.Opts(word), Run: run},
		commands.Command{Name: "geheimtraag", Where: commands.Anywhere, Hidden: true, Slow: true, Options: commands.Opts(word), Run: run},
	)
}

// A Secret reply (a login link) is seen only by whoever asked for it,
// however the command came: typed (/dashboard), from a button, from a
// button's form (modal), answered at once or deferred first.
func TestSecretReplyOnlyForTheInvoker(t *testing.T) {
	h := newHarnessWith(t, func(hd *commands.Handler) {
		hd.Commands = secretTable()
		hd.WebURL = "https://wijkbot.example"
	})
	defer h.stop()
	staff := h.srv.AddChannel("staf")
	if r := h.run(t, staff, admin, commands.CmdStaffChat, nil); r.Ephemeral() {
		t.Fatalf("stafkanaal refused: %q", r.Content)
	}

	t.Run("/dashboard", func(t *testing.T) {
		r := h.run(t, staff, staffer, "dashboard", nil)
		mustContain(t, "/dashboard", r.Content, "https://wijkbot.example/login/")
		if !r.Ephemeral() {
			t.Fatalf("the login link is shown to the whole channel: %q", r.Content)
		}
	})

	ctx := context.Background()
	_, err := h.rt.Deliver(ctx, commands.Message{Chat: commands.ChatRef{Platform: commands.Discord, ID: staff}, Text: "Kies een knop",
		Buttons: []commands.Button{
			{Label: "Direct", Command: "geheim", Args: []commands.Arg{{Option: "woord", Value: "appel"}}},
			{Label: "Traag", Command: "geheimtraag", Args: []commands.Arg{{Option: "woord", Value: "peer"}}},
			{Label: "Vraag", Command: "geheim"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	offer := h.srv.WaitMessages(t, staff, 1)[0]
	for _, tc := range []struct{ name, button, want string }{
		{"a button", "/geheim appel", "Het geheim is appel"},
		{"a slow button", "/geheimtraag peer", "Het geheim is peer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := h.srv.WaitReply(t, h.srv.Press(t, staffer, offer, tc.button))
			mustContain(t, tc.name, r.Content, tc.want)
			if !r.Ephemeral() {
				t.Fatalf("a secret shown to the whole channel: %q", r.Content)
			}
		})
	}
	t.Run("a button's form", func(t *testing.T) {
		opened := h.srv.Press(t, staffer, offer, "/geheim")
		r := h.srv.WaitReply(t, h.srv.SubmitModal(t, opened, staffer, map[string]string{"woord": "kers"}))
		mustContain(t, "the form's reply", r.Content, "Het geheim is kers")
		if !r.Ephemeral() {
			t.Fatalf("a secret shown to the whole channel: %q", r.Content)
		}
	})
	for _, m := range h.srv.Messages(staff) {
		if strings.Contains(m.Content, "geheim is") || strings.Contains(m.Content, "/login/") {
			t.Errorf("a secret in the channel: %q", m.Content)
		}
	}
}
