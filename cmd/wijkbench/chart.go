package main

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/wijkbv/wijkbot/internal/bench"
)

// runChart renders the default panel chart as /mengpaneel does and
// reports the time and the memory allocated per chart.
func runChart(ctx context.Context, o *options, out io.Writer, sum summary) error {
	var ms, mib []float64
	for range o.runs {
		r := testing.Benchmark(bench.PanelChart)
		if r.N == 0 {
			return errChart
		}
		ms = append(ms, float64(r.NsPerOp())/1e6)
		mib = append(mib, float64(r.AllocedBytesPerOp())/(1<<20))
	}
	printFigures(out,
		bench.Figure{Name: "chart_render", Value: bench.Median(ms), Unit: "ms"},
		bench.Figure{Name: "chart_alloc", Value: bench.Median(mib), Unit: "MiB"},
	)
	sum["chart_ms"] = bench.Format(bench.Median(ms))
	sum["chart_alloc_mib"] = bench.Format(bench.Median(mib))
	return nil
}

var errChart = errors.New("the chart benchmark failed")
