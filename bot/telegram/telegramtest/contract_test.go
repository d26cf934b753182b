package telegramtest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

// claimData is a button's callback data as the bot sends it: a command
// line built from the table's name.
const claimData = "/" + commands.CmdClaim + " 1"

// recordingTB catches what the contract check reports when the test ends,
// so a test can show that a wrong request fails the test that sent it.
type recordingTB struct {
	testing.TB
	errors   []string
	cleanups []func()
}

func (r *recordingTB) Helper()                           {}
func (r *recordingTB) Cleanup(f func())                  { r.cleanups = append(r.cleanups, f) }
func (r *recordingTB) Errorf(format string, args ...any) { r.errors = append(r.errors, format) }
func (r *recordingTB) end() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

func post(t *testing.T, s *Server, method string, form url.Values) {
	t.Helper()
	resp, err := http.PostForm(s.URL()+"/bot"+s.Token+"/"+method, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// TestContractCatchesWrongRequests sends requests the Bot API reference
// forbids and checks that each is reported, and that a correct one is not.
func TestContractCatchesWrongRequests(t *testing.T) {
	rec := &recordingTB{TB: t}
	s := NewServer(rec)
	s.knowChat(Group(-5, "Noord"))
	cases := []struct {
		name   string
		method string
		form   url.Values
		want   string // "" for a correct request
	}{
		{"correct reply", "sendMessage", url.Values{"chat_id": {"-5"}, "text": {"<b>hoi</b>"}, "parse_mode": {"HTML"},
			"reply_parameters":     {`{"message_id":1,"allow_sending_without_reply":true}`},
			"link_preview_options": {`{"is_disabled":true}`},
			"reply_markup":         {`{"inline_keyboard":[[{"text":"Oppakken","callback_data":"` + claimData + `"}]]}`}}, ""},
		{"question asking for a reply", "sendMessage", url.Values{"chat_id": {"-5"}, "text": {`<a href="tg://user?id=7">Bram</a> typ het antwoord`}, "parse_mode": {"HTML"},
			"reply_markup": {`{"force_reply":true,"input_field_placeholder":"Het antwoord","selective":true}`}}, ""},
		{"placeholder too long", "sendMessage", url.Values{"chat_id": {"-5"}, "text": {"hoi"},
			"reply_markup": {`{"force_reply":true,"input_field_placeholder":"` + strings.Repeat("x", 65) + `"}`}}, "allowed 1-64"},
		{"unknown parameter", "sendMessage", url.Values{"chat_id": {"-5"}, "text": {"hoi"}, "colour": {"red"}}, `unknown parameter "colour"`},
		{"parameter gone since 7.0", "sendMessage", url.Values{"chat_id": {"-5"}, "text": {"hoi"}, "reply_to_message_id": {"1"}}, `unknown parameter "reply_to_message_id"`},
		{"null entities", "sendMessage", url.Values{"chat_id": {"-5"}, "text": {"hoi"}, "entities": {"null"}}, "entities is null"},
		{"missing text", "sendMessage", url.Values{"chat_id": {"-5"}}, `required parameter "text" is missing`},
		{"text too long", "sendMessage", url.Values{"chat_id": {"-5"}, "text": {strings.Repeat("x", 4097)}}, "4097 characters, allowed 1-4096"},
		{"button without text", "sendMessage", url.Values{"chat_id": {"-5"}, "text": {"hoi"},
			"reply_markup": {`{"inline_keyboard":[[{"callback_data":"` + claimData + `"}]]}`}}, `lacks its required field "text"`},
		{"button without action", "sendMessage", url.Values{"chat_id": {"-5"}, "text": {"hoi"},
			"reply_markup": {`{"inline_keyboard":[[{"text":"Oppakken"}]]}`}}, "exactly one of its fields"},
		{"callback data over 64 bytes", "sendMessage", url.Values{"chat_id": {"-5"}, "text": {"hoi"},
			"reply_markup": {`{"inline_keyboard":[[{"text":"x","callback_data":"` + strings.Repeat("é", 33) + `"}]]}`}}, "66 bytes, allowed 1-64"},
		{"33-character command name", "setMyCommands", url.Values{
			"commands": {`[{"command":"` + strings.Repeat("a", 33) + `","description":"te lang"}]`}}, "33 characters, allowed 1-32"},
		{"upper case command", "setMyCommands", url.Values{"commands": {`[{"command":"Hulp","description":"d"}]`}}, "only lowercase"},
		{"unknown scope", "setMyCommands", url.Values{"commands": {`[{"command":"hulp","description":"d"}]`},
			"scope": {`{"type":"everyone"}`}}, "matches none of BotCommandScope's kinds"},
		{"scope chat without chat_id", "deleteMyCommands", url.Values{"scope": {`{"type":"chat"}`}}, "matches none of BotCommandScope's kinds"},
		{"wrong type", "getUpdates", url.Values{"timeout": {"dertig"}}, `"dertig" is not an Integer`},
		{"limit out of range", "getUpdates", url.Values{"limit": {"500"}}, "500 is outside 1-100"},
		{"no such method", "sendTelegram", url.Values{}, "no such method"},
		{"method not vendored", "sendPoll", url.Values{}, "not vendored"},
	}
	for _, c := range cases {
		post(t, s, c.method, c.form)
		got := s.TakeViolations()
		if c.want == "" {
			if len(got) != 0 {
				t.Errorf("%s: violations %v, want none", c.name, got)
			}
			continue
		}
		found := false
		for _, v := range got {
			found = found || strings.Contains(v.Problem, c.want)
		}
		if !found {
			t.Errorf("%s: violations %v, want one saying %q", c.name, got, c.want)
		}
	}
	if s.Checked() != len(cases) {
		t.Errorf("Checked() = %d, want %d", s.Checked(), len(cases))
	}

	// A violation left at the end fails the test that produced it.
	post(t, s, "sendMessage", url.Values{"chat_id": {"-5"}, "text": {"hoi"}, "disable_web_page_preview": {"true"}})
	rec.end()
	if len(rec.errors) != 1 {
		t.Errorf("the test that sent a wrong request got %d errors at its end, want 1", len(rec.errors))
	}
}

// TestContractMultipart checks uploads: the file must go to a parameter
// that takes an InputFile, and the other parts are checked as form values.
func TestContractMultipart(t *testing.T) {
	v := CheckRequest("sendPhoto", map[string]string{"chat_id": "-5", "caption": "x", "caption_entities": "null"}, []string{"photo"})
	if len(v) != 1 || !strings.Contains(v[0].Problem, "caption_entities is null") {
		t.Errorf("sendPhoto with null caption_entities: %v", v)
	}
	v = CheckRequest("sendDocument", map[string]string{"chat_id": "-5"}, []string{"photo"})
	if len(v) != 2 {
		t.Errorf("sendDocument with its file in the wrong part: %v, want an unknown file and a missing document", v)
	}
	if v := CheckRequest("sendDocument", map[string]string{"chat_id": "-5"}, []string{"document"}); v != nil {
		t.Errorf("correct sendDocument: %v", v)
	}
}
