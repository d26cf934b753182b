package bench

import (
	"context"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot/discord/discordtest"
)

func TestLatency(t *testing.T) {
	var st Stages
	// A generous deadline: under -race on a loaded machine the bot may
	// need more than Discord's 3 s, and this test is about the yardstick.
	res, err := Latency{Dir: t.TempDir(), Interactions: 20, Deadline: time.Minute, Stages: &st}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Every interaction answered with a message or (on a slow machine,
	// after 2 s) deferred, and only the messages timed.
	if got, want := len(res.Answered)+res.Deferred, 20; got != want {
		t.Fatalf("answered=%d deferred=%d, want %d in all", len(res.Answered), res.Deferred, want)
	}
	if res.Deferred > 0 {
		t.Logf("%d deferred: the machine is slow", res.Deferred)
		return // the stages below are indexed by interaction, the answers are not
	}
	for i, d := range res.Answered {
		// The answer cannot come before the runtime saw and stored it.
		if d <= 0 || d < st.Received[i] || d < st.Stored[i] {
			t.Fatalf("interaction %d: latency %v, received %v, stored %v", i, d, st.Received[i], st.Stored[i])
		}
	}
	checkCPU(t, res.CPU, 20)
	t.Logf("p50 %v p99 %v cpu %.0f µs an interaction", Percentile(res.Answered, 50), Percentile(res.Answered, 99), res.CPU.Per(20))
}

// TestInteractionLatenciesCountsOnlyMessages: the yardstick's clock stops
// only at an accepted type-4 callback; a deferral is no answer and a
// callback of another type, a refused one or none fails the run.
func TestInteractionLatenciesCountsOnlyMessages(t *testing.T) {
	t0 := time.Unix(1000, 0)
	msg := &discordtest.Message{Content: "Genoteerd"}
	answered := discordtest.Interaction{ID: "1", DispatchedAt: t0,
		Callbacks: []discordtest.Callback{{Type: discordtest.CallbackMessage, Message: msg, At: t0.Add(30 * time.Millisecond)}}}
	deferred := discordtest.Interaction{ID: "2", DispatchedAt: t0,
		Callbacks: []discordtest.Callback{{Type: discordtest.CallbackDeferred, At: t0.Add(time.Millisecond)}}}

	res, err := InteractionLatencies([]discordtest.Interaction{answered, deferred})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(res.Answered), 1; got != want {
		t.Fatalf("answered=%d, want %d (a deferral is no answer)", got, want)
	}
	if got, want := res.Answered[0], 30*time.Millisecond; got != want {
		t.Fatalf("latency=%v, want %v (dispatch to acceptance)", got, want)
	}
	if got, want := res.Deferred, 1; got != want {
		t.Fatalf("deferred=%d, want %d", got, want)
	}

	for name, in := range map[string]discordtest.Interaction{
		"update instead of a message": {ID: "3", DispatchedAt: t0, Callbacks: []discordtest.Callback{{Type: discordtest.CallbackUpdate, Message: msg, At: t0}}},
		"no callback":                 {ID: "4", DispatchedAt: t0},
		"refused callback":            {ID: "5", DispatchedAt: t0, Rejected: 1},
		"message without a time":      {ID: "6", Callbacks: []discordtest.Callback{{Type: discordtest.CallbackMessage, Message: msg}}},
	} {
		if _, err := InteractionLatencies([]discordtest.Interaction{answered, in}); err == nil {
			t.Errorf("%s: counted as an answer", name)
		}
	}
}
