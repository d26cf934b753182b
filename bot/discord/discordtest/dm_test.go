package discordtest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// post sends a JSON body with the bot token and decodes the answer.
func post(t *testing.T, s *Server, path, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+"/api/v10/"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bot "+s.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v map[string]any
	json.NewDecoder(resp.Body).Decode(&v)
	return resp.StatusCode, v
}

// A DM is found by its user (create_dm), carries the user as recipient, and
// refuses messages with 50007 once the user blocks the bot.
func TestDMs(t *testing.T) {
	s := NewServer(t)
	eva := Member{ID: "1300000000000000001", Username: "eva"}
	dm := s.DMWith(eva)
	if again := s.DMWith(eva); again != dm {
		t.Fatalf("DMWith twice: %s and %s", dm, again)
	}
	status, ch := post(t, s, "users/@me/channels", `{"recipient_id":"`+eva.ID+`"}`)
	if status != http.StatusOK || ch["id"] != dm || ch["type"] != float64(1) {
		t.Fatalf("create_dm: %d %v", status, ch)
	}
	recipients, _ := ch["recipients"].([]any)
	if len(recipients) != 1 || recipients[0].(map[string]any)["id"] != eva.ID {
		t.Fatalf("recipients: %v", ch["recipients"])
	}
	if status, _ := post(t, s, "users/@me/channels", `{"recipient_id":"1"}`); status != http.StatusNotFound {
		t.Fatalf("create_dm with an unknown user: %d", status)
	}
	if status, _ := post(t, s, "channels/"+dm+"/messages", `{"content":"hoi"}`); status != http.StatusOK {
		t.Fatalf("message before blocking: %d", status)
	}
	s.BlockDMs(eva.ID)
	status, body := post(t, s, "channels/"+dm+"/messages", `{"content":"hoi"}`)
	if status != http.StatusForbidden || body["code"] != float64(CodeCannotMessageUser) {
		t.Fatalf("message after blocking: %d %v", status, body)
	}
	if got := len(s.Messages(dm)); got != 1 {
		t.Fatalf("%d messages in the DM, want 1", got)
	}
}
