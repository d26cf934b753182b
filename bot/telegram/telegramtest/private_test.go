package telegramtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
)

func call(t *testing.T, s *Server, method string, params url.Values) wireResponse {
	t.Helper()
	resp, err := http.PostForm(s.URL()+"/bot"+s.Token+"/"+method, params)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r wireResponse
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r
}

// A deep link becomes "/start <code>" in the user's private chat; getMe
// names the bot the link must point to; a blocked user's chat answers 403.
func TestPrivateChat(t *testing.T) {
	s := NewServer(t)
	jan := User{ID: 301, FirstName: "Jan", Username: "jan_t"}
	me := call(t, s, "getMe", nil)
	if got := me.Result.(map[string]any)["username"]; got != "WijkBot" {
		t.Fatalf("getMe username %v", got)
	}
	s.OpenDeepLink(jan, "https://t.me/WijkBot?start=JJJJ2345")
	updates := call(t, s, "getUpdates", url.Values{"timeout": {"0"}}).Result.([]any)
	msg := updates[0].(map[string]any)["message"].(map[string]any)
	chat := msg["chat"].(map[string]any)
	if msg["text"] != "/start JJJJ2345" || chat["type"] != "private" || chat["id"] != float64(301) ||
		msg["from"].(map[string]any)["username"] != "jan_t" {
		t.Fatalf("deep link message %v", msg)
	}
	if r := call(t, s, "sendMessage", url.Values{"chat_id": {"301"}, "text": {"hoi"}}); !r.OK {
		t.Fatalf("send before blocking: %+v", r)
	}
	s.Block(jan)
	r := call(t, s, "sendMessage", url.Values{"chat_id": {"301"}, "text": {"hoi"}})
	if r.OK || r.ErrorCode != 403 || r.Description != "Forbidden: bot was blocked by the user" {
		t.Fatalf("send after blocking: %+v", r)
	}
	if got := len(s.Sent(301)); got != 1 {
		t.Fatalf("%d messages sent, want 1", got)
	}
}
