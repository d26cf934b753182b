package main

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/wijkbv/wijkbot/internal/bench"
)

// runChart renders the default panel chart as /mengpaneel does and
// reports the wall time and the memory allocated per chart, and the CPU
// time per chart (user and system time of the process over a fixed number
// of charts): on a machine shared with other work the wall time includes
// waiting for a core, the CPU time does not.
func runChart(ctx context.Context, o *options, out io.Writer, sum summary) error {
	var ms, mib, cpu []float64
	for range o.runs {
		r := testing.Benchmark(bench.PanelChart)
		if r.N == 0 {
			return errChart
		}
		ms = append(ms, float64(r.NsPerOp())/1e6)
		mib = append(mib, float64(r.AllocedBytesPerOp())/(1<<20))
		c, err := chartCPU(20)
		if err != nil {
			return err
		}
		cpu = append(cpu, c)
	}
	printFigures(out,
		bench.Figure{Name: "chart_render", Value: bench.Median(ms), Unit: "ms"},
		bench.Figure{Name: "chart_render_cpu", Value: bench.Median(cpu), Unit: "ms"},
		bench.Figure{Name: "chart_alloc", Value: bench.Median(mib), Unit: "MiB"},
	)
	sum["chart_ms"] = bench.Format(bench.Median(ms))
	sum["chart_alloc_mib"] = bench.Format(bench.Median(mib))
	return nil
}

// chartCPU is the process's CPU time per chart over n charts.
func chartCPU(n int) (float64, error) {
	before, err := bench.ProcessCPU()
	if err != nil {
		return 0, err
	}
	draw := bench.PanelRenderer()
	for range n {
		if err := draw(); err != nil {
			return 0, err
		}
	}
	after, err := bench.ProcessCPU()
	if err != nil {
		return 0, err
	}
	return bench.Milliseconds(after-before) / float64(n), nil
}

var errChart = errors.New("the chart benchmark failed")
