package discordtest

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

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

const (
	commandsPath = "/api/v10/applications/1100000000000000001/guilds/1100000000000000002/commands"
	messagesPath = "/api/v10/channels/1200000000000000001/messages"
)

// TestContractCatchesWrongRequests holds requests Discord's specification
// forbids against it, and a correct one of each kind.
func TestContractCatchesWrongRequests(t *testing.T) {
	cases := []struct {
		name, method, path, body string
		want                     string // "" for a correct request
	}{
		{"correct commands", "PUT", commandsPath,
			`[{"name":"hulp","description":"Wat kan ik?","default_member_permissions":"32","options":[{"type":3,"name":"onderwerp","description":"d"}]}]`, ""},
		{"33-character command name", "PUT", commandsPath,
			`[{"name":"` + strings.Repeat("a", 33) + `","description":"d"}]`, "maxLength"},
		{"option of an unknown type", "PUT", commandsPath,
			`[{"name":"hulp","description":"d","options":[{"type":42,"name":"x","description":"d"}]}]`, "options"},
		{"correct message", "POST", messagesPath,
			`{"content":"hoi","allowed_mentions":{"parse":[]},"components":[{"type":1,"components":[{"type":2,"style":1,"label":"Oppakken","custom_id":"claim:1"}]}]}`, ""},
		{"component of the wrong type", "POST", messagesPath,
			`{"content":"hoi","components":[{"type":2,"style":1,"label":"Oppakken","custom_id":"claim:1"}]}`, "components"},
		{"button with a label over 80 characters", "POST", messagesPath,
			`{"content":"hoi","components":[{"type":1,"components":[{"type":2,"style":1,"label":"` + strings.Repeat("x", 81) + `","custom_id":"claim:1"}]}]}`, "components"},
		{"content too long", "POST", messagesPath, `{"content":"` + strings.Repeat("x", 4001) + `"}`, "maxLength"},
		{"old API version", "POST", "/api/v9/channels/1/messages", `{"content":"hoi"}`, `API version "9"`},
		{"no such operation", "DELETE", "/api/v10/gateway", ``, "no operation DELETE"},
		{"no such path", "GET", "/api/v10/nergens", ``, "no such path"},
		{"operation not vendored", "GET", "/api/v10/guilds/1/members", ``, "not vendored"},
		{"callback of an unknown type", "POST", "/api/v10/interactions/1/tok/callback", `{"type":99}`, "does not match"},
	}
	for _, c := range cases {
		ct := ""
		if c.body != "" {
			ct = "application/json"
		}
		got := CheckRequest(c.method, c.path, nil, ct, []byte(c.body))
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
	if v := CheckRequest("POST", "/api/v10/webhooks/1/tok", map[string][]string{"wait": {"true"}, "zonder": {"1"}}, "application/json", []byte(`{"content":"x"}`)); len(v) != 1 || !strings.Contains(v[0].Problem, `unknown query parameter "zonder"`) {
		t.Errorf("unknown query parameter: %v", v)
	}
}

// TestContractMultipart checks an upload's payload_json against the JSON
// schema and refuses other form fields.
func TestContractMultipart(t *testing.T) {
	body := func(payload string, extra string) (string, []byte) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		w.WriteField("payload_json", payload)
		fw, _ := w.CreateFormFile("files[0]", "paneel.png")
		fw.Write([]byte("png"))
		if extra != "" {
			w.WriteField(extra, "x")
		}
		w.Close()
		return w.FormDataContentType(), b.Bytes()
	}
	ct, b := body(`{"content":"hoi","attachments":[{"id":"0","filename":"paneel.png"}]}`, "")
	if v := CheckRequest("POST", messagesPath, nil, ct, b); v != nil {
		t.Errorf("correct upload: %v", v)
	}
	ct, b = body(`{"content":"hoi","components":[{"type":2,"label":"x"}]}`, "")
	if v := CheckRequest("POST", messagesPath, nil, ct, b); len(v) != 1 {
		t.Errorf("upload with a wrong component: %v, want one violation", v)
	}
	ct, b = body(`{"content":"hoi"}`, "bijlage")
	if v := CheckRequest("POST", messagesPath, nil, ct, b); len(v) != 1 || !strings.Contains(v[0].Problem, `"bijlage"`) {
		t.Errorf("upload with a stray field: %v", v)
	}
}

// TestContractFailsTheTest shows a wrong request reaching the fake fails
// the test that sent it, when it ends.
func TestContractFailsTheTest(t *testing.T) {
	rec := &recordingTB{TB: t}
	s := NewServer(rec)
	req, _ := http.NewRequest("GET", s.URL+"/api/v9/users/@me", nil)
	req.Header.Set("Authorization", "Bot "+s.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if s.Checked() != 1 {
		t.Errorf("Checked() = %d, want 1", s.Checked())
	}
	rec.end()
	if len(rec.errors) != 1 {
		t.Errorf("the test that sent a v9 request got %d errors at its end, want 1", len(rec.errors))
	}
}

// TestContractAuditedAtTheEnd: requests are held against the
// specification after they are answered (Server.check), so a wrong request
// no result was read for must still fail the test when it ends, and a
// correct one must not.
func TestContractAuditedAtTheEnd(t *testing.T) {
	for _, c := range []struct {
		version string
		errors  int
	}{{"v9", 1}, {"v" + APIVersion, 0}} {
		rec := &recordingTB{TB: t}
		s := NewServer(rec)
		req, _ := http.NewRequest("GET", s.URL+"/api/"+c.version+"/users/@me", nil)
		req.Header.Set("Authorization", "Bot "+s.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		rec.end()
		if len(rec.errors) != c.errors {
			t.Errorf("a %s request: %d errors at the test's end, want %d: %v", c.version, len(rec.errors), c.errors, rec.errors)
		}
	}
}
