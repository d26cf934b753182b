package main

import (
	"context"
	"io"

	"github.com/wijkbv/wijkbot/internal/bench"
)

// runLatency reports the median over runs of each run's p50 and p99 of
// the interactions answered with a message, and the deferrals of all runs.
func runLatency(ctx context.Context, o *options, out io.Writer, sum summary) error {
	var p50s, p99s, maxs, recv99, stored99, cpus []float64
	deferred := 0
	err := eachRun(o.runs, func(i int, dir string) error {
		var st bench.Stages
		res, err := bench.Latency{Dir: dir, Interactions: o.interactions, Stages: &st}.Run(ctx)
		if err != nil {
			return err
		}
		lat := res.Answered
		deferred += res.Deferred
		p50s = append(p50s, bench.Milliseconds(bench.Percentile(lat, 50)))
		p99s = append(p99s, bench.Milliseconds(bench.Percentile(lat, 99)))
		maxs = append(maxs, bench.Milliseconds(bench.Percentile(lat, 100)))
		recv99 = append(recv99, bench.Milliseconds(bench.Percentile(st.Received, 99)))
		stored99 = append(stored99, bench.Milliseconds(bench.Percentile(st.Stored, 99)))
		cpus = append(cpus, res.CPU.Per(o.interactions))
		o.log.Info("latency run", "run", i+1, "p50_ms", p50s[i], "p99_ms", p99s[i], "deferred", res.Deferred, "cpu_us", cpus[i])
		return nil
	})
	if err != nil {
		return err
	}
	p99 := bench.Median(p99s)
	printFigures(out,
		bench.Figure{Name: "interaction_p50", Value: bench.Median(p50s), Unit: "ms"},
		bench.Figure{Name: "interaction_p99", Value: p99, Unit: "ms"},
		bench.Figure{Name: "interaction_max", Value: bench.Median(maxs), Unit: "ms"},
		bench.Figure{Name: "interaction_deferred", Value: float64(deferred), Unit: "interactions"},
		// Where the time goes: dispatch until the runtime sees the
		// interaction (gateway and decoding) and until its entry is committed.
		bench.Figure{Name: "interaction_received_p99", Value: bench.Median(recv99), Unit: "ms"},
		bench.Figure{Name: "interaction_committed_p99", Value: bench.Median(stored99), Unit: "ms"},
		// What sets the p99 of a burst: the CPU an interaction costs the
		// process (bot and fake), spread over the machine's cores.
		bench.Figure{Name: "interaction_cpu_per_interaction", Value: bench.Median(cpus), Unit: "us"},
	)
	sum["interaction_p99_ms"] = bench.Format(p99)
	sum["deferred"] = bench.Format(float64(deferred))
	return nil
}
