package telegram

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// sentAnswer is the Bot API's answer to a reply as the fake gives it: the
// message with its sender, chat and the command it answers.
const sentAnswer = `{"ok":true,"result":{"message_id":1234,"from":{"id":1,"is_bot":true,"first_name":"WijkBot","username":"wijkbot"},"chat":{"id":-1001234567890,"title":"Collectief 0001","type":"supergroup"},"date":1764536400,"reply_to_message":{"message_id":1200,"from":{"id":10001,"is_bot":false,"first_name":"Lid","language_code":"nl"},"chat":{"id":-1001234567890,"title":"Collectief 0001","type":"supergroup"},"date":1764536399,"text":"/voortgang Stap 3 in de wijk #energie","entities":[{"offset":0,"length":10,"type":"bot_command"},{"offset":30,"length":8,"type":"hashtag"}]},"text":"Genoteerd: Stap 3 in de wijk (thema's: energie). Dank je!","link_preview_options":{"is_disabled":true}}}`

// cannedTransport answers every request with sentAnswer without a
// network, so the benchmark measures the adapter's side of a send alone.
type cannedTransport struct{}

func (cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader([]byte(sentAnswer))), ContentLength: int64(len(sentAnswer)), Request: r}, nil
}

// BenchmarkSendReply is the adapter's side of sending one reply, as
// outbox.once makes it (the call's deadline and tracked client), with
// the transport answering at once.
func BenchmarkSendReply(b *testing.B) {
	const endpoint = "https://api.telegram.invalid/bot%s/%s"
	// DefaultHTTPClient's timeout with the default poll of 30 s, and the
	// default SendTimeout of 20 s, as New sets them up.
	const sendTO = 20 * time.Second
	client := callClient(&http.Client{Transport: cannedTransport{}, Timeout: 45 * time.Second}, sendTO)
	base := &tgbotapi.BotAPI{Token: "1:x", Client: client}
	base.SetAPIEndpoint(endpoint)
	out := outgoing{method: "sendMessage", chatID: -1001234567890, html: "Genoteerd: Stap 3 in de wijk (thema&#39;s: energie). Dank je!", replyTo: 1200}
	b.ReportAllocs()
	for b.Loop() {
		ctx, cancel := context.WithTimeout(context.Background(), sendTO)
		api := *base
		api.Client = &tracked{ctx: ctx, c: client}
		msg, err := out.send(&api, endpoint)
		cancel()
		if err != nil || msg.MessageID != 1234 {
			b.Fatal(msg, err)
		}
	}
}
