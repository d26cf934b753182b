package bench

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot/telegram/telegramtest"
)

func TestMinimumFanout(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want time.Duration
	}{{1, 0}, {30, 0}, {31, time.Second}, {200, 6 * time.Second}, {1000, 33 * time.Second}, {2000, 66 * time.Second}} {
		if got := MinimumFanout(tc.n, 30); got != tc.want {
			t.Errorf("MinimumFanout(%d)=%v, want %v", tc.n, got, tc.want)
		}
	}
}

// TestWindows checks the limiter's windows with explicit times.
func TestWindows(t *testing.T) {
	f := NewWindows(3, 2)
	t0 := time.Unix(1000, 0)
	steps := []struct {
		chat int64
		at   time.Duration
		ok   bool
	}{
		{-1, 0, true}, {-1, 10 * time.Millisecond, true},
		{-1, 20 * time.Millisecond, false}, // third in a group within a minute
		{5, 30 * time.Millisecond, true},
		{6, 40 * time.Millisecond, false},  // fourth within a second
		{6, 1001 * time.Millisecond, true}, // the first has left the window
		{-1, 61 * time.Second, true},
	}
	for i, st := range steps {
		if _, ok := f.Admit(st.chat, t0.Add(st.at)); ok != st.ok {
			t.Fatalf("step %d: admitted=%v, want %v", i, ok, st.ok)
		}
	}
	if err := ProbeLimiter(NewWindows(30, 20)); err != nil {
		t.Fatalf("Telegram's limits fail the probe: %v", err)
	}
}

// admitAll is a broken yardstick: it lets everything through.
type admitAll struct{}

func (admitAll) Admit(int64, time.Time) (time.Duration, bool) { return 0, true }

// globalOnly is another: it never applies the 20-a-minute group window.
type globalOnly struct{ *Windows }

func (g globalOnly) Admit(_ int64, now time.Time) (time.Duration, bool) {
	return g.Windows.Admit(0, now)
}

// TestProbeRefusesBrokenLimiters: a limiter that does not enforce both
// windows fails the fan-out before it measures anything.
func TestProbeRefusesBrokenLimiters(t *testing.T) {
	for name, l := range map[string]Limiter{
		"admits everything": admitAll{},
		"no group window":   globalOnly{NewWindows(30, 20)},
		"60 a second":       NewWindows(60, 20),
	} {
		if err := ProbeLimiter(l); err == nil {
			t.Errorf("%s: passed the probe", name)
		}
	}
	_, err := Fanout{Dir: t.TempDir(), Collectives: 2, Limiter: func() Limiter { return admitAll{} }}.Run(context.Background())
	if err == nil {
		t.Fatal("a fan-out behind a limiter that admits everything succeeded")
	}
}

// TestFloodLimitRefusesUnreadableChat: a message whose chat the limiter
// cannot read is refused and counted, never passed on unlimited.
func TestFloodLimitRefusesUnreadableChat(t *testing.T) {
	tb := NewTB("t")
	defer tb.Close()
	fake := telegramtest.NewServer(tb)
	flood, err := NewFloodLimit(fake.URL(), NewWindows(30, 20))
	if err != nil {
		t.Fatal(err)
	}
	defer flood.Close()
	for _, chat := range []string{"@kanaal", "", "-100x"} {
		resp, err := http.PostForm(flood.URL()+"/bot"+fake.Token+"/sendMessage", url.Values{"chat_id": {chat}, "text": {"hoi"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("chat_id %q: status %d, want 400", chat, resp.StatusCode)
		}
	}
	if admitted, tooMany, unread := flood.Counts(); admitted != 0 || tooMany != 0 || unread != 3 {
		t.Fatalf("counts admitted=%d 429=%d unreadable=%d, want 0 0 3", admitted, tooMany, unread)
	}
	if n := len(fake.Calls("sendMessage")); n != 0 {
		t.Fatalf("%d messages reached the API", n)
	}
}

// TestCheckFanout: a chat served twice or not at all, or an admitted count
// that does not match, fails the figure.
func TestCheckFanout(t *testing.T) {
	a, b := TelegramGroupOf(0, 0), TelegramGroupOf(0, 1)
	good := []telegramtest.Sent{{ChatID: a}, {ChatID: b}}
	res := FanoutResult{Admitted: 2}
	if err := CheckFanout(res, good, map[int64]int{a: 1, b: 1}, 0, 1, 2); err != nil {
		t.Fatalf("a correct fan-out: %v", err)
	}
	for name, tc := range map[string]struct {
		sent     []telegramtest.Sent
		admitted map[int64]int
		res      FanoutResult
		unread   int
	}{
		"served twice":         {append(good, telegramtest.Sent{ChatID: a}), map[int64]int{a: 2, b: 1}, FanoutResult{Admitted: 3}, 0},
		"not served":           {good[:1], map[int64]int{a: 1}, FanoutResult{Admitted: 1}, 0},
		"admitted not counted": {good, map[int64]int{a: 1, b: 1}, FanoutResult{Admitted: 0}, 0},
		"unreadable let by":    {good, map[int64]int{a: 1, b: 1}, res, 1},
	} {
		if err := CheckFanout(tc.res, tc.sent, tc.admitted, tc.unread, 1, 2); err == nil {
			t.Errorf("%s: passed", name)
		}
	}
}

// TestFanout runs a small fan-out: 2 × 40 check-ins need at least two
// seconds; every group gets its check-in once and nothing is refused.
func TestFanout(t *testing.T) {
	if testing.Short() {
		t.Skip("takes three seconds")
	}
	res, err := Fanout{Dir: t.TempDir(), Collectives: 40}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Admitted, 80; got != want || res.Chats != want {
		t.Fatalf("admitted=%d chats=%d, want %d", got, res.Chats, want)
	}
	if res.TooMany != 0 {
		t.Fatalf("%d answers 429, want 0", res.TooMany)
	}
	if res.Elapsed < res.Minimum {
		t.Fatalf("elapsed %v below the minimum %v: the limiter is not enforcing", res.Elapsed, res.Minimum)
	}
	if !strings.Contains(res.Minimum.String(), "2s") {
		t.Fatalf("minimum %v for 80 messages, want 2s", res.Minimum)
	}
	t.Logf("%+v", res)
}
