package main

import (
	"context"
	"io"
	"os"

	"github.com/wijkbv/wijkbot/internal/bench"
)

// runThroughput measures raw SQLite and /voortgang in alternation, so both
// see the same machine noise, and reports the medians and their ratio.
func runThroughput(ctx context.Context, o *options, out io.Writer, sum *summary) error {
	var raws, bots, ratios []float64
	for i := range o.runs {
		dir, err := os.MkdirTemp("", "wijkbench-")
		if err != nil {
			return err
		}
		raw, err := bench.RawSQLite{Dir: dir, Inserts: o.inserts, Workers: o.writers}.Run(ctx)
		if err == nil {
			var b float64
			b, err = bench.Throughput{Dir: dir, Chats: o.chats, PerChat: o.perChat}.Run(ctx)
			raws, bots, ratios = append(raws, raw), append(bots, b), append(ratios, b/raw)
			o.log.Info("throughput run", "run", i+1, "raw", raw, "bot", b)
		}
		os.RemoveAll(dir)
		if err != nil {
			return err
		}
	}
	ratio := bench.Median(ratios)
	for _, f := range []bench.Figure{
		{Name: "sqlite_insert_tx", Value: bench.Median(raws), Unit: "tx/s"},
		{Name: "voortgang_end_to_end", Value: bench.Median(bots), Unit: "cmd/s"},
		{Name: "throughput_vs_sqlite", Value: ratio, Unit: "ratio"},
	} {
		f.Print(out)
	}
	sum.throughputRatio = bench.Format(ratio)
	return nil
}
