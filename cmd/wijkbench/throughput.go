package main

import (
	"context"
	"io"

	"github.com/wijkbv/wijkbot/internal/bench"
)

// echoInFlight is the echo's bound on replies under way, so the yardstick
// is the transport at its fastest, not at the adapter's setting: on the
// 2-core VM the echo is flat from 12 to 48 at once (22,400–23,100 messages
// a second, two sweeps of 12 runs a point), slower with 4 or 8 (about
// 21,000) and with 1,000 (16,900); 24 is the middle of that plateau
// (README, "Prestaties / Performance").
const echoInFlight = 24

// throughputRuns is how many bot runs the scenario makes for each of
// -runs: one run's ratio scatters widely on a shared VM (0.5 to 1.1 in
// the README's runs), more than any other figure, so its median is taken
// over three times as many runs.
const throughputRuns = 3

// runThroughput measures the echo bot and /voortgang in alternation,
// echo first and last (echo, bot, echo, …, bot, echo), and sets each bot
// run against the mean of the echo runs just before and after it
// (bracketed), so both sides of a ratio see the same machine even while
// its speed drifts. It reports the medians and their ratio, with the
// commits (fsyncs) per command of the bot's runs, and the process's CPU
// per message and cores kept busy over each timed window (the fake's CPU
// included for both: it runs in this process).
func runThroughput(ctx context.Context, o *options, out io.Writer, sum summary) error {
	var echos, bots, fsyncs []float64
	var echoCPU, botCPU, echoCores, botCores []float64
	echo := func() error {
		e, err := bench.Echo{Chats: o.chats, PerChat: o.perChat, InFlight: o.echoInFlight}.Run(ctx)
		if err != nil {
			return err
		}
		echos = append(echos, e.PerSec)
		echoCPU, echoCores = append(echoCPU, e.CPU.Per(e.Replies)), append(echoCores, e.CPU.Cores())
		return nil
	}
	if err := echo(); err != nil {
		return err
	}
	err := eachRun(throughputRuns*o.runs, func(i int, dir string) error {
		b, err := bench.Throughput{Dir: dir, Chats: o.chats, PerChat: o.perChat, InFlight: o.inFlight}.Run(ctx)
		if err != nil {
			return err
		}
		if err := echo(); err != nil {
			return err
		}
		bots = append(bots, b.PerSec)
		fsyncs = append(fsyncs, float64(b.Commits)/float64(b.Replies))
		botCPU, botCores = append(botCPU, b.CPU.Per(b.Replies)), append(botCores, b.CPU.Cores())
		o.log.Info("throughput run", "run", i+1, "echo_before", echos[i], "bot", b.PerSec, "echo_after", echos[i+1],
			"commits", b.Commits, "writes", b.Writes, "echo_cpu_us", echoCPU[i+1], "bot_cpu_us", botCPU[i])
		return nil
	})
	if err != nil {
		return err
	}
	ratios := bracketed(bots, echos)
	ratio := bench.Median(ratios)
	printFigures(out,
		bench.Figure{Name: "outgoing_pacing", Value: 0, Unit: "off"},
		bench.Figure{Name: "voortgang_in_flight", Value: float64(o.inFlight), Unit: "max"},
		bench.Figure{Name: "echo_in_flight", Value: float64(o.echoInFlight), Unit: "max"},
		bench.Figure{Name: "echo_end_to_end", Value: bench.Median(echos), Unit: "msg/s"},
		bench.Figure{Name: "voortgang_end_to_end", Value: bench.Median(bots), Unit: "cmd/s"},
		bench.Figure{Name: "throughput_vs_echo", Value: ratio, Unit: "ratio"},
		bench.Figure{Name: "fsyncs_per_cmd", Value: bench.Median(fsyncs), Unit: "commits/cmd"},
		bench.Figure{Name: "echo_cpu_per_msg", Value: bench.Median(echoCPU), Unit: "us"},
		bench.Figure{Name: "voortgang_cpu_per_cmd", Value: bench.Median(botCPU), Unit: "us"},
		bench.Figure{Name: "echo_cores", Value: bench.Median(echoCores), Unit: "cores"},
		bench.Figure{Name: "voortgang_cores", Value: bench.Median(botCores), Unit: "cores"},
	)
	sum["throughput_vs_echo"] = bench.Format(ratio)
	sum["fsyncs_per_cmd"] = bench.Format(bench.Median(fsyncs))
	return nil
}

// bracketed returns each bot run's rate over the mean of the echo runs
// before and after it: echos has one more run than bots, echos[i] just
// before bots[i] and echos[i+1] just after.
func bracketed(bots, echos []float64) []float64 {
	ratios := make([]float64, len(bots))
	for i, b := range bots {
		ratios[i] = b / ((echos[i] + echos[i+1]) / 2)
	}
	return ratios
}

// runStorage measures the store alone under the throughput scenario's
// concurrent writes, then raw SQLite inserting the same rows in
// transactions of the mean batch the group commit achieved in that run.
func runStorage(ctx context.Context, o *options, out io.Writer, sum summary) error {
	var stores, raws, ratios, batches []float64
	err := eachRun(o.runs, func(i int, dir string) error {
		s, err := bench.StoreWrites{Dir: dir, Writers: o.chats, PerWriter: o.perChat}.Run(ctx)
		if err != nil {
			return err
		}
		r, err := bench.BatchedSQLite{Dir: dir, Rows: int(s.Writes), Batch: s.MeanBatch()}.Run(ctx)
		if err != nil {
			return err
		}
		stores, raws, ratios = append(stores, s.PerSec), append(raws, r.PerSec), append(ratios, s.PerSec/r.PerSec)
		batches = append(batches, s.MeanBatch())
		o.log.Info("storage run", "run", i+1, "store", s.PerSec, "batched", r.PerSec, "mean_batch", s.MeanBatch())
		return nil
	})
	if err != nil {
		return err
	}
	ratio := bench.Median(ratios)
	printFigures(out,
		bench.Figure{Name: "store_writes", Value: bench.Median(stores), Unit: "writes/s"},
		bench.Figure{Name: "store_mean_batch", Value: bench.Median(batches), Unit: "writes/commit"},
		bench.Figure{Name: "sqlite_batched", Value: bench.Median(raws), Unit: "rows/s"},
		bench.Figure{Name: "storage_vs_batched", Value: ratio, Unit: "ratio"},
	)
	sum["storage_vs_batched"] = bench.Format(ratio)
	return nil
}
