package main

import (
	"context"
	"errors"
	"flag"
	"strings"
	"testing"
	"time"
)

// env returns a Getenv over a fixed environment.
func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

var parseFlagsTests = []struct {
	name string
	env  []string
	args []string
	// want is checked against the parsed config; err is a substring of the
	// error ("" means no error).
	want func(Config) string
	err  string
}{
	{"defaults", nil, nil, func(c Config) string {
		return check(c.Command == "run" && c.DB == "wijkbot.db" && c.Location.String() == "Europe/Amsterdam" &&
			c.Schedule == "0 10 * * MON" && c.Lang == "nl" && len(c.Admins) == 0 && c.TelegramToken == "" && c.DiscordToken == "")
	}, ""},
	{"environment", []string{"WIJKBOT_DB", "/tmp/x.db", "WIJKBOT_TIMEZONE", "UTC", "WIJKBOT_LANG", "EN",
		"WIJKBOT_ADMINS", "telegram:1, console:anna", "WIJKBOT_CHECKIN_SCHEDULE", "@every 10s",
		"WIJKBOT_TELEGRAM_TOKEN", "t0k", "WIJKBOT_DISCORD_TOKEN", "d0k", "WIJKBOT_DISCORD_GUILD", "42",
		"WIJKBOT_DISCORD_API_URL", "http://127.0.0.1:1"}, nil, func(c Config) string {
		return check(c.DB == "/tmp/x.db" && c.Location.String() == "UTC" && c.Lang == "en" &&
			c.Admins["telegram:1"] && c.Admins["console:anna"] && c.Schedule == "@every 10s" &&
			c.TelegramToken == "t0k" && c.DiscordToken == "d0k" && c.DiscordGuild == "42" && c.DiscordAPIURL == "http://127.0.0.1:1")
	}, ""},
	{"flag beats environment", []string{"WIJKBOT_DB", "env.db", "WIJKBOT_LANG", "en"}, []string{"-db", "flag.db", "-lang=nl"}, func(c Config) string {
		return check(c.DB == "flag.db" && c.Lang == "nl")
	}, ""},
	{"console subcommand", nil, []string{"console", "-timezone", "UTC"}, func(c Config) string {
		return check(c.Command == "console" && c.Location.String() == "UTC")
	}, ""},
	{"flags before subcommand", nil, []string{"-db", "a.db", "console", "-lang", "en"}, func(c Config) string {
		return check(c.Command == "console" && c.DB == "a.db" && c.Lang == "en")
	}, ""},
	{"run subcommand", nil, []string{"run"}, func(c Config) string { return check(c.Command == "run") }, ""},
	{"unknown subcommand", nil, []string{"serve"}, nil, `unknown command "serve"`},
	{"extra argument", nil, []string{"console", "extra"}, nil, `unexpected argument "extra"`},
	{"unknown flag", nil, []string{"-token", "x"}, nil, "flag provided but not defined: -token"},
	{"bad time zone", []string{"WIJKBOT_TIMEZONE", "Europe/Amsterdm"}, nil, nil, `WIJKBOT_TIMEZONE (-timezone): "Europe/Amsterdm" is not a time zone`},
	{"bad time zone flag", nil, []string{"-timezone", "CEST+2"}, nil, "WIJKBOT_TIMEZONE"},
	{"bad admins", []string{"WIJKBOT_ADMINS", "1234"}, nil, nil, `WIJKBOT_ADMINS: "1234" is not platform:userid`},
	{"bad admin platform", nil, []string{"-admins", "slack:1"}, nil, `"slack:1" is not platform:userid`},
	{"bad lang", []string{"WIJKBOT_LANG", "de"}, nil, nil, `WIJKBOT_LANG (-lang): "de" is not a supported language; use nl or en`},
	{"bad schedule", []string{"WIJKBOT_CHECKIN_SCHEDULE", "elke maandag"}, nil, nil, "WIJKBOT_CHECKIN_SCHEDULE (-schedule): Ongeldig schema"},
	{"empty db flag", nil, []string{"-db", ""}, nil, "WIJKBOT_DB (-db) is empty"},
	{"scheduler defaults", nil, nil, func(c Config) string {
		return check(c.DigestSchedule == "0 16 * * FRI" && c.CatchUp == 24*time.Hour && c.NudgeAfter == 48*time.Hour &&
			c.UnclaimedAlert == 24*time.Hour && c.UnansweredAlert == 72*time.Hour)
	}, ""},
	{"scheduler settings", []string{"WIJKBOT_DIGEST_SCHEDULE", "@daily", "WIJKBOT_CHECKIN_CATCHUP", "6h",
		"WIJKBOT_CHECKIN_NUDGE", "3d", "WIJKBOT_ALERT_UNCLAIMED", "12h", "WIJKBOT_ALERT_UNANSWERED", "5D"}, nil, func(c Config) string {
		return check(c.DigestSchedule == "@daily" && c.CatchUp == 6*time.Hour && c.NudgeAfter == 72*time.Hour &&
			c.UnclaimedAlert == 12*time.Hour && c.UnansweredAlert == 120*time.Hour)
	}, ""},
	{"bad digest schedule", []string{"WIJKBOT_DIGEST_SCHEDULE", "CRON_TZ=X"}, nil, nil, "WIJKBOT_DIGEST_SCHEDULE"},
	{"bad nudge period", []string{"WIJKBOT_CHECKIN_NUDGE", "twee dagen"}, nil, nil, `WIJKBOT_CHECKIN_NUDGE: "twee dagen" is not a period`},
	{"zero alert period", []string{"WIJKBOT_ALERT_UNCLAIMED", "0"}, nil, nil, `WIJKBOT_ALERT_UNCLAIMED: "0" is not a period`},
	{"negative catch-up", []string{"WIJKBOT_CHECKIN_CATCHUP", "-1h"}, nil, nil, "WIJKBOT_CHECKIN_CATCHUP"},
}

// check turns a condition into the "" (fine) or a failure text want expects.
func check(ok bool) string {
	if ok {
		return ""
	}
	return "config differs"
}

func TestParseFlags(t *testing.T) {
	for _, tt := range parseFlagsTests {
		t.Run(tt.name, func(t *testing.T) {
			m := &Main{Getenv: env(tt.env...), Out: &strings.Builder{}}
			err := m.ParseFlags(context.Background(), tt.args)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err=%v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("err=%v", err)
			}
			if msg := tt.want(m.Config); msg != "" {
				t.Fatalf("%s: %+v", msg, m.Config)
			}
		})
	}
}

func TestHelpDocumentsFlagsAndEnvironment(t *testing.T) {
	var out strings.Builder
	m := &Main{Getenv: env(), Out: &out}
	if err := m.ParseFlags(context.Background(), []string{"-help"}); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err=%v, want flag.ErrHelp", err)
	}
	for _, s := range settings {
		if !strings.Contains(out.String(), s.env) {
			t.Errorf("-help does not mention %s", s.env)
		}
		if s.flag != "" && !strings.Contains(out.String(), "-"+s.flag+" ") {
			t.Errorf("-help does not mention flag -%s", s.flag)
		}
	}
	for _, want := range []string{"wijkbot console", "wijkbot [run]"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("-help lacks %q", want)
		}
	}
}
