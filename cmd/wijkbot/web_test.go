package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestConsoleServesWebPages: with WIJKBOT_HTTP_ADDR the console serves the
// web pages too, and /dashboard in its staff chat gives a link that logs in
// (the README's first steps with the pages).
func TestConsoleServesWebPages(t *testing.T) {
	addr := freeAddr(t)
	in, typing := io.Pipe()
	out := &lockedBuffer{}
	m := &Main{In: in, Out: out, Err: io.Discard, Getenv: env(
		"WIJKBOT_DB", filepath.Join(t.TempDir(), "wijkbot.db"),
		"WIJKBOT_HTTP_ADDR", addr,
	)}
	ctx := context.Background()
	if err := m.ParseFlags(ctx, []string{"console"}); err != nil {
		t.Fatal(err)
	}
	if got, want := m.Config.WebURL, "http://"+addr; got != want {
		t.Fatalf("WebURL %q, want %q", got, want)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	defer func() {
		typing.Close()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		if err := m.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}()

	io.WriteString(typing, "/collectief Bewonersbedrijf Noord\n/dashboard\n")
	linkRE := regexp.MustCompile(`http://` + regexp.QuoteMeta(addr) + `/login/[A-Za-z0-9_-]{43}`)
	var link string
	for deadline := time.Now().Add(10 * time.Second); link == ""; time.Sleep(20 * time.Millisecond) {
		if link = linkRE.FindString(out.String()); link == "" && time.Now().After(deadline) {
			t.Fatalf("no login link in the console:\n%s", out.String())
		}
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(link)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET link: %v %v", res, err)
	}
	res.Body.Close()
	res, err = c.Post(link, "application/x-www-form-urlencoded", nil)
	if err != nil || res.StatusCode != http.StatusSeeOther || len(res.Cookies()) != 1 {
		t.Fatalf("POST link: %v %v", res, err)
	}
	res.Body.Close()
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/", nil)
	req.AddCookie(res.Cookies()[0])
	res, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "Bewonersbedrijf Noord") {
		t.Fatalf("overview: %d\n%s", res.StatusCode, body)
	}
	for _, path := range []string{"/healthz", "/metrics"} {
		res, err := http.Get("http://" + addr + path)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Errorf("GET %s beside the pages: %v %v", path, res, err)
		} else {
			res.Body.Close()
		}
	}
}

func TestParseFlagsWebURL(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		want string
		err  bool
	}{
		{nil, "", false},
		{[]string{"WIJKBOT_HTTP_ADDR", "127.0.0.1:8080"}, "http://127.0.0.1:8080", false},
		{[]string{"WIJKBOT_HTTP_ADDR", "127.0.0.1:8080", "WIJKBOT_WEB_URL", "https://wijkbot.example.nl/"}, "https://wijkbot.example.nl", false},
		{[]string{"WIJKBOT_WEB_URL", "ftp://wijkbot.example.nl"}, "", true},
		{[]string{"WIJKBOT_WEB_URL", "wijkbot.example.nl"}, "", true},
		{[]string{"WIJKBOT_WEB_URL", "https://wijkbot.example.nl/?x=1"}, "", true},
	} {
		m := &Main{Out: io.Discard, Getenv: env(tc.env...)}
		err := m.ParseFlags(context.Background(), nil)
		switch {
		case tc.err && (err == nil || !strings.Contains(err.Error(), "WIJKBOT_WEB_URL")):
			t.Errorf("env %v: error %v, want one naming WIJKBOT_WEB_URL", tc.env, err)
		case !tc.err && err != nil:
			t.Errorf("env %v: %v", tc.env, err)
		case !tc.err && m.Config.WebURL != tc.want:
			t.Errorf("env %v: WebURL %q, want %q", tc.env, m.Config.WebURL, tc.want)
		}
	}
}
