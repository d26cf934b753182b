package telegram

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// TestFormBodyIsTheLibrarysForm: a message's body, written by formBody,
// decodes to the parameters the library's configs sent before (written
// out here, not derived from fields), and escapes each value as
// url.QueryEscape does; an upload's params hold the same parameters.
func TestFormBodyIsTheLibrarysForm(t *testing.T) {
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Ja & nee", "rsvp:7:ja")))
	const reply = "Genoteerd: Stap 3 in de wijk (thema&#39;s: energie). Dank je!\nZie <b>/tijdlijn</b> + 100% €"
	for _, tt := range []struct {
		out  outgoing
		want url.Values
	}{
		{outgoing{method: "sendMessage", chatID: -1001234567890, html: reply, replyTo: 1200}, url.Values{
			"chat_id": {"-1001234567890"}, "text": {reply}, "parse_mode": {"HTML"},
			"link_preview_options": {`{"is_disabled":true}`},
			"reply_parameters":     {`{"message_id":1200,"allow_sending_without_reply":true}`}}},
		{outgoing{method: "sendMessage", chatID: 42, html: "Kom je? ünïcödé ~_.-", keyboard: &kb}, url.Values{
			"chat_id": {"42"}, "text": {"Kom je? ünïcödé ~_.-"}, "parse_mode": {"HTML"},
			"link_preview_options": {`{"is_disabled":true}`},
			"reply_markup":         {`{"inline_keyboard":[[{"text":"Ja \u0026 nee","callback_data":"rsvp:7:ja"}]]}`}}},
		{outgoing{method: "sendMessage", chatID: 42, html: "Wat is je vraag?", forceReply: &tgbotapi.ForceReply{ForceReply: true, Selective: true}}, url.Values{
			"chat_id": {"42"}, "text": {"Wat is je vraag?"}, "parse_mode": {"HTML"},
			"link_preview_options": {`{"is_disabled":true}`},
			"reply_markup":         {`{"force_reply":true,"selective":true}`}}},
		{outgoing{method: "sendMessage", chatID: 42}, url.Values{
			"chat_id": {"42"}, "text": {""}, "link_preview_options": {`{"is_disabled":true}`}}},
		{outgoing{method: "sendPhoto", chatID: 42, html: "Het paneel"}, url.Values{
			"chat_id": {"42"}, "caption": {"Het paneel"}, "parse_mode": {"HTML"}}},
		{outgoing{method: "sendDocument", chatID: 42}, url.Values{"chat_id": {"42"}}},
	} {
		fs, err := tt.out.fields()
		if err != nil {
			t.Fatal(err)
		}
		body := formBody(fs)
		got, err := url.ParseQuery(body)
		if err != nil {
			t.Fatalf("%q: %v", body, err)
		}
		if got.Encode() != tt.want.Encode() {
			t.Errorf("%s: body %q\n decodes to %v\n want %v", tt.out.method, body, got, tt.want)
		}
		for _, f := range fs {
			if !strings.Contains(body, url.QueryEscape(f.key)+"="+url.QueryEscape(f.value)) {
				t.Errorf("body %q lacks %s as url.QueryEscape writes it", body, f.key)
			}
		}
		p, err := tt.out.params()
		if err != nil {
			t.Fatal(err)
		}
		upload := url.Values{}
		for k, v := range p {
			upload.Set(k, v)
		}
		if upload.Encode() != tt.want.Encode() {
			t.Errorf("%s: params %v, want %v", tt.out.method, upload, tt.want)
		}
	}
}

// TestFieldsJSON: the objects fields writes by hand are json.Marshal's.
func TestFieldsJSON(t *testing.T) {
	b, _ := json.Marshal(linkPreviewOptions{IsDisabled: true})
	if string(b) != noPreview {
		t.Errorf("noPreview %s, json.Marshal %s", noPreview, b)
	}
	for _, id := range []int{1, 1200, 2147483647} {
		b, _ := json.Marshal(replyParameters{MessageID: id, AllowSendingWithoutReply: true})
		if got := replyJSON(id); got != string(b) {
			t.Errorf("replyJSON(%d) %s, json.Marshal %s", id, got, b)
		}
	}
}

// FuzzQueryEscape: queryEscape writes what url.QueryEscape returns.
func FuzzQueryEscape(f *testing.F) {
	for _, s := range []string{"", "a b", "100%", "é€\x00\xff", "<b>x</b>&y=z+1", "~_.-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b strings.Builder
		queryEscape(&b, s)
		if want := url.QueryEscape(s); b.String() != want {
			t.Fatalf("queryEscape(%q) = %q, want %q", s, b.String(), want)
		}
	})
}
