package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/commands"
)

// Subcommands.
const (
	cmdRun     = "run"
	cmdConsole = "console"
)

// Defaults, as documented in DESIGN.md, of the settings no other package
// owns; the check-in schedule's is commands.DefaultCheckinSchedule, the
// durations' are in package bot (bot.PeriodSettings, bot.DefaultRetention).
const (
	defaultDB       = "wijkbot.db"
	defaultTimezone = "Europe/Amsterdam"
	defaultLang     = "nl"
)

// Config is wijkbot's configuration, read from the environment and flags.
type Config struct {
	// Command is the subcommand: "run" (the default) or "console".
	Command string

	DB string

	TelegramToken  string
	TelegramAPIURL string

	DiscordToken  string
	DiscordAPIURL string
	DiscordGuild  string

	// Admins are the bot administrators as "platform:userid".
	Admins   map[string]bool
	Location *time.Location
	Schedule string
	Lang     commands.Lang

	// CheckinRetention is how long check-in answers are kept; 0 is forever.
	CheckinRetention time.Duration
	// DigestSchedule is when the staff digest goes out.
	DigestSchedule string
	// CatchUp, NudgeAfter, UnclaimedAlert and UnansweredAlert are the
	// scheduler's periods (see bot.Scheduler).
	CatchUp, NudgeAfter, UnclaimedAlert, UnansweredAlert time.Duration
	// HTTPAddr serves /healthz, /metrics and the web pages when set.
	HTTPAddr string
	// WebURL is the pages' public base URL, in login links.
	WebURL string
	// LogFormat is "text" or "json".
	LogFormat string
}

// setting is one configuration value: its environment variable, its flag
// (if it has one) and its documentation.
type setting struct {
	env, flag, def, doc string
}

// settings lists every setting once; -help and ParseFlags derive from it.
var settings = append(append([]setting{
	{"WIJKBOT_DB", "db", defaultDB, "SQLite database file"},
	{"WIJKBOT_TELEGRAM_TOKEN", "", "", "Telegram bot token; enables Telegram"},
	{"WIJKBOT_TELEGRAM_API_URL", "", "https://api.telegram.org", "Bot API server base (a self-hosted Bot API server, tests)"},
	{"WIJKBOT_DISCORD_TOKEN", "", "", "raw Discord bot token (without \"Bot \"); enables Discord"},
	{"WIJKBOT_DISCORD_API_URL", "", "https://discord.com", "replaces https://discord.com for every REST call (a proxy, tests)"},
	{"WIJKBOT_DISCORD_GUILD", "", "", "register the commands in this guild only (instant; development)"},
	{"WIJKBOT_ADMINS", "admins", "", "bot administrators, platform:userid comma-separated, e.g. telegram:1234,discord:5678"},
	{"WIJKBOT_TIMEZONE", "timezone", defaultTimezone, "programme time zone"},
	{"WIJKBOT_CHECKIN_SCHEDULE", "schedule", commands.DefaultCheckinSchedule, "default check-in schedule: 5-field cron or a descriptor (@weekly, @every 10s)"},
	{"WIJKBOT_LANG", "lang", defaultLang, "default language: nl or en"},
	{"WIJKBOT_CHECKIN_RETENTION", "", bot.FormatPeriod(bot.DefaultRetention), "how long check-in answers are kept: days (730d) or 0 for ever; from " + bot.RetentionRange.String()},
	{"WIJKBOT_DIGEST_SCHEDULE", "", commands.DefaultDigestSchedule, "when the weekly staff digest goes out: 5-field cron or a descriptor"},
}, periodSettings()...), []setting{
	{"WIJKBOT_HTTP_ADDR", "", "", "serve /healthz, /metrics and the web pages at this address, e.g. 127.0.0.1:8080"},
	{"WIJKBOT_WEB_URL", "", "", "public base URL of the web pages, in /dashboard's login links (https://wijkbot.example.nl); default http:// + WIJKBOT_HTTP_ADDR"},
	{"WIJKBOT_LOG_FORMAT", "", "text", "log format: text or json"},
}...)

// settingValue is a setting's value in the environment, or its default:
// the one way every subcommand reads a setting (WIJKBOT_DB above all).
func settingValue(getenv func(string) string, env string) string {
	if v := strings.TrimSpace(getenv(env)); v != "" {
		return v
	}
	for _, s := range settings {
		if s.env == env {
			return s.def
		}
	}
	return ""
}

// periodSettings are the scheduler's durations as settings, from bot.
func periodSettings() []setting {
	var list []setting
	for _, p := range bot.PeriodSettings {
		list = append(list, setting{p.Env, "", bot.FormatPeriod(p.Default), p.Doc + "; from " + p.Range.String()})
	}
	return list
}

// ParseFlags reads the configuration from the environment (Getenv) and the
// command line; a flag beats its environment variable. args are the
// arguments after the program name: an optional subcommand and flags, in
// either order. It returns flag.ErrHelp after printing the usage for -help,
// and an error naming the setting for any invalid value.
func (m *Main) ParseFlags(ctx context.Context, args []string) error {
	values := map[string]string{}
	for _, s := range settings {
		values[s.env] = settingValue(m.getenv, s.env)
	}

	fs := flag.NewFlagSet("wijkbot", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned, usage printed below
	flagEnv := map[string]string{}
	for _, s := range settings {
		if s.flag != "" {
			fs.String(s.flag, "", s.doc)
			flagEnv[s.flag] = s.env
		}
	}
	parse := func(args []string) error {
		if err := fs.Parse(args); err == flag.ErrHelp {
			m.usage(m.out())
			return err
		} else if err != nil {
			return err
		}
		return nil
	}

	command := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		command, args = args[0], args[1:]
	}
	if err := parse(args); err != nil {
		return err
	}
	if command == "" && fs.NArg() > 0 {
		// Flags first, then the subcommand: "wijkbot -db x.db console".
		command = fs.Arg(0)
		if err := parse(fs.Args()[1:]); err != nil {
			return err
		}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	switch command {
	case "":
		command = cmdRun
	case cmdRun, cmdConsole:
	default:
		return fmt.Errorf("unknown command %q (want %s or %s)", command, cmdRun, cmdConsole)
	}
	fs.Visit(func(f *flag.Flag) {
		values[flagEnv[f.Name]] = strings.TrimSpace(f.Value.String())
	})

	cfg := Config{
		Command:        command,
		DB:             values["WIJKBOT_DB"],
		TelegramToken:  values["WIJKBOT_TELEGRAM_TOKEN"],
		TelegramAPIURL: values["WIJKBOT_TELEGRAM_API_URL"],
		DiscordToken:   values["WIJKBOT_DISCORD_TOKEN"],
		DiscordAPIURL:  values["WIJKBOT_DISCORD_API_URL"],
		DiscordGuild:   values["WIJKBOT_DISCORD_GUILD"],
		Schedule:       values["WIJKBOT_CHECKIN_SCHEDULE"],
		HTTPAddr:       values["WIJKBOT_HTTP_ADDR"],
		WebURL:         strings.TrimRight(values["WIJKBOT_WEB_URL"], "/"),
		LogFormat:      strings.ToLower(values["WIJKBOT_LOG_FORMAT"]),
	}
	if cfg.DB == "" {
		return fmt.Errorf("WIJKBOT_DB (-db) is empty; give the SQLite file, e.g. %s", defaultDB)
	}
	var err error
	if cfg.Admins, err = bot.ParseAdmins(values["WIJKBOT_ADMINS"]); err != nil {
		return err
	}
	if cfg.Location, err = time.LoadLocation(values["WIJKBOT_TIMEZONE"]); err != nil {
		return fmt.Errorf("WIJKBOT_TIMEZONE (-timezone): %q is not a time zone; use an IANA name such as %s", values["WIJKBOT_TIMEZONE"], defaultTimezone)
	}
	switch lang := strings.ToLower(values["WIJKBOT_LANG"]); lang {
	case string(commands.NL), string(commands.EN):
		cfg.Lang = commands.Lang(lang)
	default:
		return fmt.Errorf("WIJKBOT_LANG (-lang): %q is not a supported language; use nl or en", values["WIJKBOT_LANG"])
	}
	if cfg.CheckinRetention, err = bot.ParseRetention(values["WIJKBOT_CHECKIN_RETENTION"]); err != nil {
		return fmt.Errorf("WIJKBOT_CHECKIN_RETENTION: %v", err)
	}
	cfg.DigestSchedule = values["WIJKBOT_DIGEST_SCHEDULE"]
	periods := map[string]*time.Duration{
		"WIJKBOT_CHECKIN_CATCHUP":  &cfg.CatchUp,
		"WIJKBOT_CHECKIN_NUDGE":    &cfg.NudgeAfter,
		"WIJKBOT_ALERT_UNCLAIMED":  &cfg.UnclaimedAlert,
		"WIJKBOT_ALERT_UNANSWERED": &cfg.UnansweredAlert,
	}
	for _, p := range bot.PeriodSettings {
		if *periods[p.Env], err = bot.ParsePeriod(values[p.Env], p.Range); err != nil {
			return fmt.Errorf("%s: %v", p.Env, err)
		}
	}
	if cfg.WebURL == "" && cfg.HTTPAddr != "" {
		cfg.WebURL = "http://" + cfg.HTTPAddr
	}
	if cfg.WebURL != "" {
		u, err := url.Parse(cfg.WebURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("WIJKBOT_WEB_URL: %q is not an http(s) base URL such as https://wijkbot.example.nl", values["WIJKBOT_WEB_URL"])
		}
	}
	if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		return fmt.Errorf("WIJKBOT_LOG_FORMAT: %q is not text or json", values["WIJKBOT_LOG_FORMAT"])
	}
	if _, err := commands.ParseSchedule(cfg.Schedule, cfg.Location, commands.NL); err != nil {
		return fmt.Errorf("WIJKBOT_CHECKIN_SCHEDULE (-schedule): %s", commands.ErrorMessage(commands.NL, err))
	}
	if _, err := commands.ParseSchedule(cfg.DigestSchedule, cfg.Location, commands.NL); err != nil {
		return fmt.Errorf("WIJKBOT_DIGEST_SCHEDULE: %s", commands.ErrorMessage(commands.NL, err))
	}
	m.Config = cfg
	return nil
}

// usage documents the subcommands, the flags and the environment.
func (m *Main) usage(w io.Writer) {
	fmt.Fprint(w, `wijkbot: the WijkBV chat bot for resident collectives and the programme team.

Usage:
  wijkbot [run] [flags]     run every platform whose token is set;
                            with no token set, the console
  wijkbot console [flags]   the console: play group chats and the staff chat
                            in this terminal (type :help there)
`+backupUsage+exportUsage+`
Flags (a flag beats its environment variable):
`)
	for _, s := range settings {
		if s.flag == "" {
			continue
		}
		fmt.Fprintf(w, "  -%-10s %s (%s)\n", s.flag, s.doc, s.env)
	}
	fmt.Fprint(w, "\nEnvironment:\n")
	for _, s := range settings {
		def := s.def
		if def == "" {
			def = "unset"
		}
		fmt.Fprintf(w, "  %-26s %s; default %s\n", s.env, s.doc, def)
	}
}
