package telegram

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

var splitTests = []struct {
	name string
	in   string
	max  int
	want []string
}{
	{"short", "hallo", 10, []string{"hallo"}},
	{"blank", "  \n\n ", 10, nil},
	{"exactly max", "0123456789", 10, []string{"0123456789"}},
	{"at line ends", "aaaa\nbbbb\ncccc", 10, []string{"aaaa\nbbbb", "cccc"}},
	{"line longer than max cut at a space", "aaaaaa bbbbbb", 10, []string{"aaaaaa", "bbbbbb"}},
	{"line without spaces cut hard", "abcdefghijklmnopqrstuvwxy", 10, []string{"abcdefghij", "klmnopqrst", "uvwxy"}},
	{"emoji count two units", "😀😀😀😀😀😀", 4, []string{"😀😀", "😀😀", "😀😀"}},
	{"accents count one unit", "ééééé", 4, []string{"éééé", "é"}},
	{"blank lines between parts dropped", "aaaa\n\n\n\nbbbbbbbbbb", 10, []string{"aaaa", "bbbbbbbbbb"}},
}

func TestSplit(t *testing.T) {
	for _, tt := range splitTests {
		t.Run(tt.name, func(t *testing.T) {
			got := split(tt.in, tt.max)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Fatalf("split(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			for _, p := range got {
				if n := utf16Len(p); n > tt.max {
					t.Errorf("part %q has %d units, more than %d", p, n, tt.max)
				}
			}
		})
	}
}

func TestSplitKeepsEveryCharacter(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 20000; i++ {
		b.WriteString(strings.Repeat("woord ", i%40) + "<&> 😀\n")
	}
	in := b.String()
	parts := split(in, maxText)
	if len(parts) < 5 {
		t.Fatalf("got %d parts, want at least 5", len(parts))
	}
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	if got, want := squash(strings.Join(parts, " ")), squash(in); got != want {
		t.Fatalf("split lost or changed text")
	}
	for i, p := range parts {
		if n := utf16Len(p); n > maxText {
			t.Errorf("part %d has %d units", i, n)
		}
	}
}

var judgeTests = []struct {
	name       string
	err        error
	idempotent bool
	retry      bool
	wait       time.Duration
}{
	{"429 waits retry_after", &tgbotapi.Error{Code: 429, Message: "Too Many Requests: retry after 7", ResponseParameters: tgbotapi.ResponseParameters{RetryAfter: 7}}, false, true, 7 * time.Second},
	{"429 from an upload has no code", &tgbotapi.Error{Message: "Too Many Requests: retry after 2", ResponseParameters: tgbotapi.ResponseParameters{RetryAfter: 2}}, false, true, 2 * time.Second},
	{"429 with an absurd wait is given up", &tgbotapi.Error{Code: 429, ResponseParameters: tgbotapi.ResponseParameters{RetryAfter: 3600}}, false, false, 0},
	{"JSON 500 retried", &tgbotapi.Error{Code: 500, Message: "Internal Server Error"}, false, true, 0},
	{"HTML 502 retried", &statusError{method: "sendMessage", status: http.StatusBadGateway}, false, true, 0},
	{"400 is final", &tgbotapi.Error{Code: 400, Message: "Bad Request: chat not found"}, false, false, 0},
	{"403 is final", &tgbotapi.Error{Code: 403, Message: "Forbidden: bot was kicked from the group chat"}, false, false, 0},
	{"not written: retried", &netError{method: "sendMessage", err: errors.New("connection refused")}, false, true, 0},
	{"written, no answer: not retried", &netError{method: "sendMessage", err: context.DeadlineExceeded, wrote: true}, false, false, 0},
	{"written, no answer, idempotent: retried", &netError{method: "getChatMember", err: context.DeadlineExceeded, wrote: true}, true, true, 0},
	{"our own cancel: stop", context.Canceled, true, false, 0},
}

func TestJudge(t *testing.T) {
	for _, tt := range judgeTests {
		t.Run(tt.name, func(t *testing.T) {
			v := judge(tt.err, tt.idempotent)
			if v.retry != tt.retry || (v.retry && v.wait != tt.wait) {
				t.Fatalf("judge = retry %v wait %v, want retry %v wait %v", v.retry, v.wait, tt.retry, tt.wait)
			}
		})
	}
}

func TestJudgeMigration(t *testing.T) {
	v := judge(&tgbotapi.Error{Code: 400, Message: "Bad Request: group chat was upgraded to a supergroup chat",
		ResponseParameters: tgbotapi.ResponseParameters{MigrateToChatID: -1001234}}, false)
	if !v.retry || v.migrate != -1001234 {
		t.Fatalf("judge = %+v, want a retry in -1001234", v)
	}
}
