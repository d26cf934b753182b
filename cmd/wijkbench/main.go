// Command wijkbench measures wijkbot against the limits that matter
// (issues 8 and 15), each against a yardstick doing the same work in the
// same run: an echo bot on the same client library and fake, SQLite with
// the same batching, Discord's interaction deadline, Telegram's flood
// limits, growth from 10 to 10,000 collectives and a small machine's
// memory. It prints one "name value unit" line per figure, each the median
// of -runs runs, and last one summary line to track from run to run:
//
//	summary: throughput_vs_echo=… storage_vs_batched=… fsyncs_per_cmd=… interaction_p99_ms=… deferred=… fanout_vs_min=… fanout_429=… scale_p99_ratio=… overview_10k_ms=… chart_ms=… chart_alloc_mib=… idle_rss_mib=… start_ms=… binary_mib=…
//
// Everything runs on this machine: the platforms are the fakes of
// bot/telegram/telegramtest and bot/discord/discordtest on 127.0.0.1.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"

	"github.com/wijkbv/wijkbot/bot/telegram"
	"github.com/wijkbv/wijkbot/internal/bench"
	"github.com/wijkbv/wijkbot/internal/gcpercent"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "wijkbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	var o options
	fs := flag.NewFlagSet("wijkbench", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.IntVar(&o.runs, "runs", 3, "runs per scenario, each figure the median (throughput: three times as many)")
	fs.IntVar(&o.chats, "chats", 200, "throughput and storage: group chats sending /voortgang at once")
	fs.IntVar(&o.perChat, "per-chat", 10, "throughput and storage: /voortgang commands per chat")
	fs.IntVar(&o.inFlight, "in-flight", telegram.DefaultInFlight, "throughput: the bot's replies under way at once (telegram.Limits.InFlight; 1000: as good as unbounded)")
	fs.IntVar(&o.echoInFlight, "echo-in-flight", echoInFlight, "throughput: the echo's replies under way at once (its best on the 2-core VM; 1000: as good as unbounded)")
	fs.IntVar(&o.interactions, "interactions", 200, "latency: Discord interactions at once")
	fs.IntVar(&o.collectives, "collectives", 1000, "fan-out: collectives due at the same minute")
	fs.BoolVar(&o.quick, "quick", false, "fan-out with 200 collectives (13 s instead of 67 s); scale curves without the 10,000 point")
	fs.IntVar(&o.seedCollectives, "footprint-collectives", 10000, "footprint: collectives (with a year of history each) in the bot's database")
	fs.StringVar(&o.only, "only", "", "comma-separated scenarios to run: "+scenarioNames()+" (default all)")
	fs.StringVar(&o.cacheDir, "cache", "", "scale: folder of the generated databases, kept between runs (default the user cache folder's wijkbench)")
	fs.IntVar(&o.scaleRequests, "scale-requests", 400, "scale: mixed-load commands a round (a burst from 8 chats at once)")
	fs.IntVar(&o.scaleRounds, "scale-rounds", 10, "scale: mixed-load rounds per point, the points' rounds alternating; the p99 is of all rounds' commands (whatever -runs)")
	fs.IntVar(&o.scaleRepeat, "scale-repeat", 3, "scale: times /tijdlijn, /mengpaneel, /overzicht, the digest and each web page are measured per point")
	fs.StringVar(&o.plotDir, "plot", "", "scale: write the curves as PNG charts into this folder")
	fs.BoolVar(&o.verbose, "v", false, "log progress to stderr")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if o.quick {
		o.collectives = 200
	}
	if o.runs < 1 {
		o.runs = 1
	}
	if o.inFlight < 1 || o.echoInFlight < 1 {
		return fmt.Errorf("-in-flight %d, -echo-in-flight %d: at least 1", o.inFlight, o.echoInFlight)
	}
	o.errOut = errOut
	o.log = slog.New(slog.DiscardHandler)
	if o.verbose {
		o.log = slog.New(slog.NewTextHandler(errOut, nil))
	}
	enabled := map[string]bool{}
	for _, s := range strings.Split(o.only, ",") {
		if s = strings.TrimSpace(s); s != "" {
			enabled[s] = true
		}
	}
	want := func(s string) bool { return len(enabled) == 0 || enabled[s] }
	// A misspelt name would otherwise run nothing and print a summary of
	// dashes, which reads like a run that measured nothing.
	known := map[string]bool{}
	for _, sc := range scenarios {
		known[sc.name] = true
	}
	for s := range enabled {
		if !known[s] {
			return fmt.Errorf("-only: unknown scenario %q (want one of %s)", s, scenarioNames())
		}
	}

	// The bot in this process collects garbage as cmd/wijkbot does; the
	// echo shares the setting.
	printFigures(out, bench.Figure{Name: "gc_percent", Value: float64(gcpercent.Apply(os.Getenv)), Unit: "GOGC"})
	sum := summary{}
	for _, sc := range scenarios {
		if !want(sc.name) {
			continue
		}
		o.log.Info("scenario", "name", sc.name)
		if err := sc.run(ctx, &o, out, sum); err != nil {
			return fmt.Errorf("%s: %w", sc.name, err)
		}
	}
	fmt.Fprintln(out, sum.line())
	if want("scale") || want("footprint") {
		return pruneCache(&o)
	}
	return nil
}

// options are the flags.
type options struct {
	runs                       int
	chats, perChat             int
	inFlight, echoInFlight     int
	interactions, collectives  int
	seedCollectives            int
	quick, verbose             bool
	only                       string
	cacheDir, plotDir          string
	scaleRequests, scaleRounds int
	scaleRepeat                int
	errOut                     io.Writer
	log                        *slog.Logger
}

// summary holds the last line's values as printed, by key.
type summary map[string]string

// summaryKeys are the summary line's keys, in order (issue 15).
var summaryKeys = []string{
	"throughput_vs_echo", "storage_vs_batched", "fsyncs_per_cmd",
	"interaction_p99_ms", "deferred", "fanout_vs_min", "fanout_429",
	"scale_p99_ratio", "overview_10k_ms", "chart_ms", "chart_alloc_mib",
	"idle_rss_mib", "start_ms", "binary_mib",
}

// line is the summary line; "-" for a figure that was not measured.
func (s summary) line() string {
	var b strings.Builder
	b.WriteString("summary:")
	for _, k := range summaryKeys {
		v := s[k]
		if v == "" {
			v = "-"
		}
		fmt.Fprintf(&b, " %s=%s", k, v)
	}
	return b.String()
}

type scenario struct {
	name string
	run  func(ctx context.Context, o *options, out io.Writer, sum summary) error
}

var scenarios = []scenario{
	{"throughput", runThroughput},
	{"storage", runStorage},
	{"latency", runLatency},
	{"fanout", runFanout},
	{"chart", runChart},
	{"scale", runScale},
	{"footprint", runFootprint},
}

func scenarioNames() string {
	var names []string
	for _, sc := range scenarios {
		names = append(names, sc.name)
	}
	return strings.Join(names, ",")
}
