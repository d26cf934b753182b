package telegram

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// TestFormBodyIsTheLibrarysForm: a message's body, written by formBody,
// decodes to the parameters the library's url.Values would have sent,
// and escapes each byte as url.QueryEscape does.
func TestFormBodyIsTheLibrarysForm(t *testing.T) {
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Ja & nee", "rsvp:7:ja")))
	for _, o := range []outgoing{
		{method: "sendMessage", chatID: -1001234567890, html: "Genoteerd: Stap 3 in de wijk (thema&#39;s: energie). Dank je!\nZie <b>/tijdlijn</b> + 100% €", replyTo: 1200},
		{method: "sendMessage", chatID: 42, html: "Kom je? ünïcödé ~_.-", keyboard: &kb},
		{method: "sendMessage", chatID: 42, html: "Wat is je vraag?", forceReply: &tgbotapi.ForceReply{ForceReply: true, Selective: true}},
		{method: "sendMessage", chatID: 42},
	} {
		fs, err := o.fields()
		if err != nil {
			t.Fatal(err)
		}
		body := formBody(fs)
		got, err := url.ParseQuery(body)
		if err != nil {
			t.Fatalf("%q: %v", body, err)
		}
		p, err := o.params()
		if err != nil {
			t.Fatal(err)
		}
		want := url.Values{}
		for k, v := range p {
			want.Set(k, v)
		}
		if got.Encode() != want.Encode() {
			t.Errorf("body %q\n decodes to %v\n want %v", body, got, want)
		}
		for _, f := range fs {
			if !strings.Contains(body, url.QueryEscape(f.key)+"="+url.QueryEscape(f.value)) {
				t.Errorf("body %q lacks %s as url.QueryEscape writes it", body, f.key)
			}
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
