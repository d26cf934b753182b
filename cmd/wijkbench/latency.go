package main

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/wijkbv/wijkbot/internal/bench"
)

// runLatency reports the median over runs of each run's p50 and p99.
func runLatency(ctx context.Context, o *options, out io.Writer, sum *summary) error {
	var p50s, p99s, maxs, recv99, stored99 []float64
	for i := range o.runs {
		dir, err := os.MkdirTemp("", "wijkbench-")
		if err != nil {
			return err
		}
		var st bench.Stages
		lat, err := bench.Latency{Dir: dir, Interactions: o.interactions, Stages: &st}.Run(ctx)
		os.RemoveAll(dir)
		if err != nil {
			return err
		}
		p50s = append(p50s, msOf(bench.Percentile(lat, 50)))
		p99s = append(p99s, msOf(bench.Percentile(lat, 99)))
		maxs = append(maxs, msOf(bench.Percentile(lat, 100)))
		recv99 = append(recv99, msOf(bench.Percentile(st.Received, 99)))
		stored99 = append(stored99, msOf(bench.Percentile(st.Stored, 99)))
		o.log.Info("latency run", "run", i+1, "p50_ms", p50s[i], "p99_ms", p99s[i])
	}
	p99 := bench.Median(p99s)
	for _, f := range []bench.Figure{
		{Name: "interaction_p50", Value: bench.Median(p50s), Unit: "ms"},
		{Name: "interaction_p99", Value: p99, Unit: "ms"},
		{Name: "interaction_max", Value: bench.Median(maxs), Unit: "ms"},
		// Where the time goes: dispatch until the runtime sees the
		// interaction (gateway and decoding) and until its entry is committed.
		{Name: "interaction_received_p99", Value: bench.Median(recv99), Unit: "ms"},
		{Name: "interaction_committed_p99", Value: bench.Median(stored99), Unit: "ms"},
	} {
		f.Print(out)
	}
	sum.interactionP99 = bench.Format(p99)
	return nil
}

func msOf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
