package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Limiter decides whether the Bot API admits a message to chat at now;
// when not, it says how long to wait.
type Limiter interface {
	Admit(chat int64, now time.Time) (wait time.Duration, ok bool)
}

// Windows is Telegram's flood control: at most Global messages in any one
// second over all chats and PerGroup in any minute per group (chat ids
// below zero). Sliding windows are the strict reading of "30 messages a
// second": no second, wherever it starts, holds more.
type Windows struct {
	Global   int // per second; Telegram's is 30
	PerGroup int // per minute; Telegram's is 20

	mu  sync.Mutex
	all []time.Time           // admitted messages of the last second
	grp map[int64][]time.Time // admitted messages of the last minute, per group
}

// NewWindows returns Telegram's limits with global and perGroup.
func NewWindows(global, perGroup int) *Windows {
	return &Windows{Global: global, PerGroup: perGroup, grp: map[int64][]time.Time{}}
}

// Admit implements Limiter.
func (f *Windows) Admit(chat int64, now time.Time) (time.Duration, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.all = drop(f.all, now.Add(-time.Second))
	if len(f.all) >= f.Global {
		return f.all[0].Add(time.Second).Sub(now), false
	}
	if chat < 0 {
		g := drop(f.grp[chat], now.Add(-time.Minute))
		f.grp[chat] = g
		if len(g) >= f.PerGroup {
			return g[0].Add(time.Minute).Sub(now), false
		}
		f.grp[chat] = append(g, now)
	}
	f.all = append(f.all, now)
	return 0, true
}

// ProbeLimiter checks, on explicit times, that l enforces Telegram's
// limits before a fan-out trusts it: of 31 messages to 31 groups within
// one second the 31st is refused, of 21 messages to one group within a
// minute (spaced so the global window never fills) the 21st is refused,
// and a group's window frees a minute after its first message. A limiter
// that admits everything fails here, not silently in the figures.
func ProbeLimiter(l Limiter) error {
	t0 := time.Unix(1_000_000, 0)
	for i := range 31 {
		_, ok := l.Admit(-1-int64(i), t0.Add(time.Duration(i)*time.Millisecond))
		if want := i < 30; ok != want {
			return fmt.Errorf("flood limit: message %d of 31 within a second to 31 groups: admitted=%v, want %v", i+1, ok, want)
		}
	}
	t1 := t0.Add(time.Hour)
	for i := range 21 {
		_, ok := l.Admit(-999, t1.Add(time.Duration(i)*2*time.Second))
		if want := i < 20; ok != want {
			return fmt.Errorf("flood limit: message %d of 21 within a minute to one group: admitted=%v, want %v", i+1, ok, want)
		}
	}
	if _, ok := l.Admit(-999, t1.Add(time.Minute+time.Millisecond)); !ok {
		return fmt.Errorf("flood limit: a group's window is still full a minute after its first message")
	}
	return nil
}

// FloodLimit is a proxy in front of a fake Bot API that applies a Limiter
// to every message: a message beyond the limits is answered 429 with
// retry_after and not passed on; a message whose chat_id it cannot read is
// refused (400), never let through uncounted. It records every message it
// admitted, per chat.
type FloodLimit struct {
	limit Limiter
	srv   *httptest.Server

	mu        sync.Mutex
	n429      int
	unread    int
	admitted  map[int64]int
	nAdmitted int
}

// NewFloodLimit starts l in front of the Bot API at upstream.
func NewFloodLimit(upstream string, l Limiter) (*FloodLimit, error) {
	target, err := url.Parse(upstream)
	if err != nil {
		return nil, err
	}
	f := &FloodLimit{limit: l, admitted: map[int64]int{}}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ErrorLog = log.New(io.Discard, "", 0)
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isMessage(path.Base(r.URL.Path)) {
			chat, err := chatOf(r)
			if err != nil {
				f.mu.Lock()
				f.unread++
				f.mu.Unlock()
				badRequest(w, "flood limit: chat_id unreadable: "+err.Error())
				return
			}
			wait, ok := f.limit.Admit(chat, time.Now())
			f.mu.Lock()
			if ok {
				f.admitted[chat]++
				f.nAdmitted++
			} else {
				f.n429++
			}
			f.mu.Unlock()
			if !ok {
				tooMany(w, wait)
				return
			}
		}
		rp.ServeHTTP(w, r)
	}))
	return f, nil
}

// URL is the limiter's address, for the bot's API URL.
func (f *FloodLimit) URL() string { return f.srv.URL }

// Close stops the limiter.
func (f *FloodLimit) Close() { f.srv.Close() }

// Counts returns the messages admitted, the 429 answers given and the
// messages refused because their chat could not be read.
func (f *FloodLimit) Counts() (admitted, tooMany, unreadable int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.nAdmitted, f.n429, f.unread
}

// Admitted returns the messages admitted per chat.
func (f *FloodLimit) Admitted() map[int64]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.admitted)
}

// drop removes the times not after cutoff from the front of ts.
func drop(ts []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(cutoff) {
		i++
	}
	return ts[i:]
}

// isMessage says whether a Bot API method posts a message.
func isMessage(method string) bool {
	switch strings.ToLower(method) {
	case "sendmessage", "sendphoto", "senddocument", "sendmediagroup", "copymessage", "forwardmessage":
		return true
	}
	return false
}

// chatOf reads chat_id from a form, multipart or JSON request, leaving the
// body readable for the upstream.
func chatOf(r *http.Request) (int64, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return 0, err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	var raw string
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/json":
		var v struct {
			ChatID json.RawMessage `json:"chat_id"`
		}
		if err := json.Unmarshal(body, &v); err != nil {
			return 0, err
		}
		raw = strings.Trim(string(v.ChatID), `"`)
	case "multipart/form-data":
		cp := r.Clone(r.Context())
		cp.Body = io.NopCloser(bytes.NewReader(body))
		if err := cp.ParseMultipartForm(1 << 20); err != nil {
			return 0, err
		}
		raw = cp.FormValue("chat_id")
	default:
		q, err := url.ParseQuery(string(body))
		if err != nil {
			return 0, err
		}
		raw = q.Get("chat_id")
		if raw == "" {
			raw = r.URL.Query().Get("chat_id")
		}
	}
	return strconv.ParseInt(raw, 10, 64)
}

// tooMany answers as the Bot API does when flood control kicks in.
func tooMany(w http.ResponseWriter, wait time.Duration) {
	secs := int((wait + time.Second - 1) / time.Second)
	if secs < 1 {
		secs = 1
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusTooManyRequests)
	json.NewEncoder(w).Encode(map[string]any{
		"ok": false, "error_code": 429,
		"description": "Too Many Requests: retry after " + strconv.Itoa(secs),
		"parameters":  map[string]any{"retry_after": secs},
	})
}

// badRequest answers as the Bot API does to a request it cannot use.
func badRequest(w http.ResponseWriter, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	json.NewEncoder(w).Encode(map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: " + desc})
}
