package telegram

import (
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
)

// TestCallClient: a call with its own deadline goes without the client's
// Timeout only when that Timeout could never end the call first, so the
// earlier of the two limits still applies; the configured client itself
// is left as it was.
func TestCallClient(t *testing.T) {
	transport := &http.Transport{}
	long := &http.Client{Transport: transport, Timeout: 45 * time.Second}
	direct := callClient(long, 20*time.Second)
	if direct == long || direct.Timeout != 0 || direct.Transport != transport {
		t.Fatalf("SendTimeout 20 s under a 45 s client: %+v", direct)
	}
	if long.Timeout != 45*time.Second {
		t.Fatalf("the configured client was changed: %v", long.Timeout)
	}
	short := &http.Client{Transport: transport, Timeout: 10 * time.Second}
	if got := callClient(short, 20*time.Second); got != short {
		t.Fatalf("a 10 s client must still end a 20 s call: got %+v", got)
	}
	none := &http.Client{Transport: transport}
	if got := callClient(none, 20*time.Second); got != none {
		t.Fatalf("a client without a Timeout: got %+v", got)
	}
}

// TestDefaultClientTimeoutIsThePolls: New's own client ends a stalled
// poll (poll + 15 s), while the calls that carry their own deadline
// (SendTimeout) go without that Timeout, also when a short poll makes it
// the shorter of the two: else every reply pays net/http's second
// deadline. A configured client keeps callClient's rule.
func TestDefaultClientTimeoutIsThePolls(t *testing.T) {
	fake := telegramtest.NewServer(t)
	quiet := slog.New(slog.DiscardHandler)
	for _, poll := range []time.Duration{time.Second, DefaultPollTimeout} {
		b, err := New(Config{Token: fake.Token, APIURL: fake.URL(), Logger: quiet, PollTimeout: poll}, &bot.Runtime{Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		if want := poll + 15*time.Second; b.client.Timeout != want {
			t.Errorf("poll %s: the polls' client has Timeout %s, want %s", poll, b.client.Timeout, want)
		}
		if b.calls.Timeout != 0 || b.calls.Transport != b.client.Transport {
			t.Errorf("poll %s: the messages' client: Timeout %s, same transport %v", poll, b.calls.Timeout, b.calls.Transport == b.client.Transport)
		}
	}
	short := &http.Client{Timeout: 10 * time.Second}
	b, err := New(Config{Token: fake.Token, APIURL: fake.URL(), Logger: quiet, HTTPClient: short}, &bot.Runtime{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if b.client != short || b.calls != short {
		t.Errorf("a configured 10 s client must end 20 s calls too: %+v, %+v", b.client, b.calls)
	}
}
