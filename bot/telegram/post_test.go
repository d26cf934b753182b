package telegram

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// answerTransport answers every request with body; length -1 sends it
// without a Content-Length, as a chunked answer arrives.
type answerTransport struct {
	body   string
	length int64
}

func (t answerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader([]byte(t.body))), ContentLength: t.length, Request: r}, nil
}

// TestPostReadsTheAnswer: post reads a sent message, with or without an
// announced length, and reports Telegram's refusals as the library does
// (*tgbotapi.Error with its ResponseParameters, which the retries read).
func TestPostReadsTheAnswer(t *testing.T) {
	const endpoint = "https://api.telegram.invalid/bot%s/%s"
	call := func(body string, length int64) (sent, error) {
		api := &tgbotapi.BotAPI{Token: "1:x", Client: &http.Client{Transport: answerTransport{body, length}}}
		return post(api, endpoint, "sendMessage", []field{{"chat_id", "-5"}, {"text", "hoi"}})
	}
	for _, length := range []int64{int64(len(sentAnswer)), -1} {
		s, err := call(sentAnswer, length)
		if err != nil || s.MessageID != 1234 || s.Chat.ID != -1001234567890 {
			t.Errorf("length %d: got %+v, %v; want message 1234 in chat -1001234567890", length, s, err)
		}
	}
	_, err := call(`{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}`, -1)
	var apiErr *tgbotapi.Error
	if !errors.As(err, &apiErr) || apiErr.Code != 429 || apiErr.RetryAfter != 3 {
		t.Errorf("a 429: got %v, want *tgbotapi.Error 429 with retry_after 3", err)
	}
	_, err = call(`{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1009}}`, -1)
	if !errors.As(err, &apiErr) || apiErr.MigrateToChatID != -1009 {
		t.Errorf("an upgrade: got %v, want *tgbotapi.Error with migrate_to_chat_id -1009", err)
	}
	for _, body := range []string{`{"ok":true}`, `{"ok":true,"result":null}`, `{"ok":true,"result":{"message_id":"x"}}`, `{"ok":tru`} {
		if s, err := call(body, -1); err == nil {
			t.Errorf("%s: got %+v and no error", body, s)
		}
	}
	if _, err := call(sentAnswer[:100], int64(len(sentAnswer))); err == nil {
		t.Error("an answer cut short of its length: no error")
	}
}
