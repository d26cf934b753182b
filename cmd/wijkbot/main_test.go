package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/commands"
)

// codePattern matches a link code: 8 characters from the code alphabet.
var codePattern = regexp.MustCompile(`\b[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}\b`)

// promptLine matches a console echo: "chat/user> input".
var promptLine = regexp.MustCompile(`^[^\s\[/]+/[^\s/]+> (.*)$`)

// step is one input line of a console transcript and what was printed for it.
type step struct {
	input  string
	output []string
}

// transcript splits piped console output into its steps.
func transcript(out string) []step {
	var steps []step
	for _, line := range strings.Split(out, "\n") {
		if m := promptLine.FindStringSubmatch(line); m != nil {
			steps = append(steps, step{input: m[1]})
			continue
		}
		if len(steps) > 0 && line != "" {
			steps[len(steps)-1].output = append(steps[len(steps)-1].output, line)
		}
	}
	return steps
}

// session runs Main once as "wijkbot console" on the database in dir with
// script as standard input; it returns the transcript and the log.
func session(t *testing.T, dir string, clock *bot.Clock, script ...string) (steps []step, out, log string) {
	t.Helper()
	var stdout, stderr strings.Builder
	m := &Main{
		In:       strings.NewReader(strings.Join(script, "\n") + "\n"),
		Out:      &stdout,
		Err:      &stderr,
		Getenv:   env("WIJKBOT_DB", filepath.Join(dir, "wijkbot.db")),
		Clock:    clock,
		ImageDir: filepath.Join(dir, "files"),
	}
	ctx := context.Background()
	if err := m.ParseFlags(ctx, []string{"console"}); err != nil {
		t.Fatal(err)
	}
	err := m.Run(ctx)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("Run: %v\nlog:\n%s", err, stderr.String())
	}
	if strings.Contains(stderr.String(), "level=ERROR") {
		t.Errorf("errors logged:\n%s", stderr.String())
	}
	return transcript(stdout.String()), stdout.String(), stderr.String()
}

// find returns the output of the first step with the input, after index from.
func find(t *testing.T, steps []step, from int, input string) (int, string) {
	t.Helper()
	for i := from; i < len(steps); i++ {
		if steps[i].input == input {
			return i, strings.Join(steps[i].output, "\n")
		}
	}
	t.Fatalf("no step %q after step %d", input, from)
	return 0, ""
}

// lineWith returns the first line of out containing every part
// (case-insensitively), or "".
func lineWith(out string, parts ...string) string {
	for _, line := range strings.Split(out, "\n") {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(strings.ToLower(line), strings.ToLower(p))
		}
		if ok {
			return line
		}
	}
	return ""
}

// TestStory plays the whole mission in the console, as a newcomer would:
// the staff create a collective, its group links its chat, logs progress,
// asks for help that the staff pick up, answer and close, and moves sliders.
func TestStory(t *testing.T) {
	dir := t.TempDir()
	clock := &bot.Clock{}
	clock.Freeze(time.Date(2026, time.December, 8, 11, 0, 0, 0, time.UTC)) // a Tuesday, no check-in due

	// First run: the staff create the collective.
	steps, out, _ := session(t, dir, clock, ":staf", "/collectief Noord")
	_, created := find(t, steps, 0, "/collectief Noord")
	code := codePattern.FindString(created)
	if code == "" {
		t.Fatalf("/collectief printed no link code:\n%s", out)
	}

	// Second run on the same database: the rest of the story.
	const (
		progress  = "/voortgang Eerste gesprek met de woningcorporatie #energie"
		milestone = "/mijlpaal Energiecoöperatie opgericht"
		question  = "/hulpvraag juridisch Hoe maken we een koopovereenkomst voor het buurthuis?"
		answer    = "/antwoord 1 Bel advocaat Jansen, zij kent het buurthuis"
		claim     = "/" + commands.CmdClaim + " 1"
	)
	steps, out, _ = session(t, dir, clock,
		":chat noord",
		"/koppel "+code,
		progress,
		":klok +10m",
		milestone,
		"/tijdlijn",
		question,
		":staf",
		claim,
		answer,
		"/afronden 1",
		":chat noord",
		"/hulpvragen",
		"/schuif zeggenschap 7 De buurt beslist mee",
		"/mengpaneel",
		"/element Zonnepanelen Panelen op het dak van het buurthuis",
		"/schuif zonnepanelen 4",
		"/mengpaneel",
		":klok 2026-12-14T10:01", // next Monday, just after the default check-in time
		"/checkin We hebben de subsidie aangevraagd",
	)
	for _, bad := range []string{"Er ging iets mis", "Onbekend commando", "Onbekende console-opdracht", "nog niet gekoppeld"} {
		if strings.Contains(out, bad) {
			t.Fatalf("transcript contains %q:\n%s", bad, out)
		}
	}

	t.Run("link", func(t *testing.T) {
		_, got := find(t, steps, 0, "/koppel "+code)
		if !strings.Contains(got, "Noord") {
			t.Errorf("/koppel does not name the collective:\n%s", got)
		}
	})
	t.Run("timeline newest first", func(t *testing.T) {
		_, got := find(t, steps, 0, "/tijdlijn")
		p := strings.Index(got, "Eerste gesprek met de woningcorporatie")
		m := strings.Index(got, "Energiecoöperatie opgericht")
		if p < 0 || m < 0 || m > p {
			t.Errorf("/tijdlijn does not show the milestone before the progress:\n%s", got)
		}
	})
	t.Run("help request reaches the staff chat", func(t *testing.T) {
		_, got := find(t, steps, 0, question)
		if lineWith(got, "[staf]", "#1") == "" {
			t.Errorf("no [staf] line naming #1:\n%s", got)
		}
		if lineWith(got, "[staf]", "koopovereenkomst") == "" {
			t.Errorf("the question did not reach the staff chat:\n%s", got)
		}
	})
	t.Run("claim, answer, resolve", func(t *testing.T) {
		i, got := find(t, steps, 0, claim)
		if !strings.Contains(got, "#1") {
			t.Errorf("%s does not name #1:\n%s", claim, got)
		}
		i, got = find(t, steps, i, answer)
		if lineWith(got, "[noord]", "advocaat Jansen") == "" {
			t.Errorf("the answer did not reach the noord chat:\n%s", got)
		}
		_, got = find(t, steps, i, "/afronden 1")
		if !strings.Contains(got, "#1") {
			t.Errorf("/afronden 1 does not name #1:\n%s", got)
		}
	})
	t.Run("requests show resolved", func(t *testing.T) {
		_, got := find(t, steps, 0, "/hulpvragen")
		if lineWith(got, "#1") == "" || !strings.Contains(strings.ToLower(got), "afgerond") {
			t.Errorf("/hulpvragen does not show #1 as afgerond:\n%s", got)
		}
	})
	t.Run("sliders", func(t *testing.T) {
		i, got := find(t, steps, 0, "/mengpaneel")
		if line := lineWith(got, "zeggenschap"); !strings.Contains(line, "7") {
			t.Errorf("/mengpaneel line for zeggenschap=%q, want value 7:\n%s", line, got)
		}
		if lineWith(got, "zonnepanelen") != "" {
			t.Errorf("zonnepanelen on the panel before it was added:\n%s", got)
		}
		_, got = find(t, steps, i+1, "/mengpaneel")
		if line := lineWith(got, "zonnepanelen"); !strings.Contains(line, "4") {
			t.Errorf("/mengpaneel line for zonnepanelen=%q, want value 4:\n%s", line, got)
		}
		if line := lineWith(got, "zeggenschap"); !strings.Contains(line, "7") {
			t.Errorf("zeggenschap lost its value 7:\n%s", got)
		}
	})
	t.Run("check-in", func(t *testing.T) {
		_, got := find(t, steps, 0, ":klok 2026-12-14T10:01")
		if lineWith(got, "check-in") == "" {
			t.Errorf(":klok to Monday 10:01 posted no check-in:\n%s", got)
		}
		_, got = find(t, steps, 0, "/checkin We hebben de subsidie aangevraagd")
		if got == "" || strings.Contains(strings.ToLower(got), "geen check-in") {
			t.Errorf("/checkin was not taken as an answer:\n%s", got)
		}
	})
}

// TestPipedScript is "printf ':staf\n/collectief Noord\n' | wijkbot": the
// default command with no token runs the console on WIJKBOT_DB and prints
// the new collective's link code.
func TestPipedScript(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("WIJKBOT_DB", filepath.Join(dir, "piped.db"))
	for _, name := range []string{"WIJKBOT_TELEGRAM_TOKEN", "WIJKBOT_DISCORD_TOKEN", "WIJKBOT_ADMINS", "WIJKBOT_TIMEZONE", "WIJKBOT_LANG", "WIJKBOT_CHECKIN_SCHEDULE"} {
		t.Setenv(name, "")
	}
	var stdout, stderr strings.Builder
	m := NewMain()
	m.In, m.Out, m.Err = strings.NewReader(":staf\n/collectief Noord\n"), &stdout, &stderr
	m.ImageDir = filepath.Join(dir, "files")
	ctx := context.Background()
	if err := m.ParseFlags(ctx, nil); err != nil {
		t.Fatal(err)
	}
	err := m.Run(ctx)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, stderr.String())
	}
	if code := codePattern.FindString(stdout.String()); code == "" {
		t.Fatalf("no link code printed:\n%s\nlog:\n%s", stdout.String(), stderr.String())
	}
}

func TestExitStatus(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		env  []string
		args []string
		in   string
		want int
		out  string // in stdout or stderr
	}{
		{"help", nil, []string{"-help"}, "", 0, "WIJKBOT_CHECKIN_SCHEDULE"},
		{"bad language", []string{"WIJKBOT_LANG", "fr"}, nil, "", 2, `WIJKBOT_LANG (-lang): "fr" is not a supported language`},
		{"bad time zone", nil, []string{"-timezone", "Mars/Olympus"}, "", 2, "WIJKBOT_TIMEZONE"},
		{"bad admins", []string{"WIJKBOT_ADMINS", "telegram"}, nil, "", 2, "WIJKBOT_ADMINS"},
		// 213504 days wrapped to 25 minutes and deleted the answers (16.1).
		{"retention too long", []string{"WIJKBOT_CHECKIN_RETENTION", "213504d"}, nil, "", 2, `WIJKBOT_CHECKIN_RETENTION: "213504d" is too long; use a period from 1d to 3650d`},
		{"nudge too long", []string{"WIJKBOT_CHECKIN_NUDGE", "107000d"}, nil, "", 2, `WIJKBOT_CHECKIN_NUDGE: "107000d" is too long; use a period from 1m to 90d`},
		{"database cannot open", nil, []string{"-db", dir}, "", 1, "wijkbot: "},
		{"backup without file", nil, []string{"backup"}, "", 1, "usage: wijkbot backup"},
		{"export without database", []string{"WIJKBOT_DB", filepath.Join(dir, "missing.db")}, []string{"export", "-dir", filepath.Join(dir, "out")}, "", 1, "export: no database at"},
		{"console to the end of input", []string{"WIJKBOT_DB", filepath.Join(dir, "ok.db")}, []string{"console"}, ":help\n", 0, ":klok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			m := &Main{In: strings.NewReader(tt.in), Out: &stdout, Err: &stderr, Getenv: env(tt.env...), Clock: &bot.Clock{}, ImageDir: filepath.Join(dir, "files")}
			if got := run(context.Background(), m, tt.args); got != tt.want {
				t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", got, tt.want, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String()+stderr.String(), tt.out) {
				t.Errorf("output lacks %q\nstdout:\n%s\nstderr:\n%s", tt.out, stdout.String(), stderr.String())
			}
		})
	}
}
