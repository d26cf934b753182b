package discord_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/bot/discord/discordtest"
	"github.com/wijkbv/wijkbot/commands"
)

// TestPreparedBurst sends commands made beforehand at once, as the latency
// benchmark does: each is answered once with a message, no answer comes
// before its dispatch, and an interaction not yet dispatched is unknown to
// Discord, so an answer to it is refused.
func TestPreparedBurst(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff := h.srv.AddChannel("staf")
	noord := h.srv.AddChannel("noord")
	h.run(t, staff, admin, commands.CmdStaffChat, nil)
	collective := h.linkCollective(t, staff, noord, "Noord")

	const n = 12
	ids := make([]string, n)
	for i := range ids {
		m := discordtest.Member{ID: fmt.Sprint(7000 + i), Username: fmt.Sprint("lid", i), Permissions: discordtest.PermSendMessages}
		ids[i] = h.srv.PrepareCommand(t, noord, m, "voortgang", map[string]string{"tekst": fmt.Sprintf("Stap %d gezet", i)})
	}
	if in := h.srv.Interaction(ids[0]); !in.DispatchedAt.IsZero() || len(in.Callbacks) != 0 {
		t.Fatalf("prepared interaction dispatched at %v with %d callbacks, want neither", in.DispatchedAt, len(in.Callbacks))
	}
	if status := postCallback(t, h.srv, ids[0], `{"type":4,"data":{"content":"te vroeg"}}`); status != http.StatusNotFound {
		t.Fatalf("callback before the dispatch: status %d, want 404 (unknown interaction)", status)
	}

	h.srv.Dispatch(t, ids...)
	ins := h.srv.WaitAnswered(t, ids...)
	for i, in := range ins {
		if in.ID != ids[i] {
			t.Fatalf("answer %d is for %s, want %s (in the order asked)", i, in.ID, ids[i])
		}
		// The refusal above counts: the one sent before the dispatch.
		wantRejected := 0
		if i == 0 {
			wantRejected = 1
		}
		if len(in.Callbacks) != 1 || in.Callbacks[0].Type != discordtest.CallbackMessage || in.Rejected != wantRejected {
			t.Fatalf("interaction %d: callbacks %+v, rejected %d; want one message and %d refused", i, in.Callbacks, in.Rejected, wantRejected)
		}
		if in.DispatchedAt.IsZero() || in.Callbacks[0].At.Before(in.DispatchedAt) {
			t.Fatalf("interaction %d: dispatched %v, answered %v", i, in.DispatchedAt, in.Callbacks[0].At)
		}
		mustContain(t, "reply", in.Original.Content, "Genoteerd")
	}
	es, err := h.db.Entries(context.Background(), collective, 100)
	if err != nil || len(es) != n {
		t.Fatalf("%d entries stored (%v), want %d", len(es), err, n)
	}
	stored := map[string]bool{}
	for _, e := range es {
		stored[e.Text] = true
	}
	for i := range n {
		if want := fmt.Sprintf("Stap %d gezet", i); !stored[want] {
			t.Fatalf("entry %q not stored; stored: %v", want, stored)
		}
	}
}

// postCallback answers an interaction as a bot would, with the fake's
// token for it, and returns the status.
func postCallback(t *testing.T, srv *discordtest.Server, id, body string) int {
	t.Helper()
	in := srv.Interaction(id)
	url := fmt.Sprintf("%s/api/v10/interactions/%s/%s/callback", srv.URL, id, in.Token)
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
