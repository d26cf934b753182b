package bench

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
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

// FloodLimit is Telegram's flood control in front of a fake Bot API: at
// most Global messages in any one second over all chats and PerGroup in
// any minute per group (chat ids below zero). A message beyond either is
// answered 429 with retry_after and not passed on. Sliding windows are the
// strict reading of "30 messages a second": no second, wherever it starts,
// holds more.
type FloodLimit struct {
	Global   int // per second; Telegram's is 30
	PerGroup int // per minute; Telegram's is 20

	srv  *httptest.Server
	mu   sync.Mutex
	all  []time.Time           // accepted messages of the last second
	grp  map[int64][]time.Time // accepted messages of the last minute, per group
	n429 int
	ok   int
}

// NewFloodLimit starts the limiter in front of the Bot API at upstream.
func NewFloodLimit(upstream string, global, perGroup int) (*FloodLimit, error) {
	target, err := url.Parse(upstream)
	if err != nil {
		return nil, err
	}
	f := &FloodLimit{Global: global, PerGroup: perGroup, grp: map[int64][]time.Time{}}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ErrorLog = log.New(io.Discard, "", 0)
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isMessage(path.Base(r.URL.Path)) {
			chat, err := chatOf(r)
			if err == nil {
				if wait, ok := f.admit(chat, time.Now()); !ok {
					tooMany(w, wait)
					return
				}
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

// Counts returns the messages passed on and the 429 answers given.
func (f *FloodLimit) Counts() (ok, tooMany int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ok, f.n429
}

// admit counts a message to chat at now, or says how long to wait.
func (f *FloodLimit) admit(chat int64, now time.Time) (time.Duration, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.all = drop(f.all, now.Add(-time.Second))
	if len(f.all) >= f.Global {
		f.n429++
		return f.all[0].Add(time.Second).Sub(now), false
	}
	if chat < 0 {
		g := drop(f.grp[chat], now.Add(-time.Minute))
		f.grp[chat] = g
		if len(g) >= f.PerGroup {
			f.n429++
			return g[0].Add(time.Minute).Sub(now), false
		}
		f.grp[chat] = append(g, now)
	}
	f.all = append(f.all, now)
	f.ok++
	return 0, true
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
