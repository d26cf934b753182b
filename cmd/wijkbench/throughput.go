package main

import (
	"context"
	"io"

	"github.com/wijkbv/wijkbot/internal/bench"
)

// runThroughput measures raw SQLite and /voortgang in alternation, so both
// see the same machine noise, and reports the medians and their ratio.
func runThroughput(ctx context.Context, o *options, out io.Writer, sum *summary) error {
	var raws, bots, ratios []float64
	err := eachRun(o, func(i int, dir string) error {
		raw, err := bench.RawSQLite{Dir: dir, Inserts: o.inserts, Workers: o.writers}.Run(ctx)
		if err != nil {
			return err
		}
		b, err := bench.Throughput{Dir: dir, Chats: o.chats, PerChat: o.perChat}.Run(ctx)
		if err != nil {
			return err
		}
		raws, bots, ratios = append(raws, raw), append(bots, b), append(ratios, b/raw)
		o.log.Info("throughput run", "run", i+1, "raw", raw, "bot", b)
		return nil
	})
	if err != nil {
		return err
	}
	ratio := bench.Median(ratios)
	printFigures(out,
		bench.Figure{Name: "sqlite_insert_tx", Value: bench.Median(raws), Unit: "tx/s"},
		bench.Figure{Name: "voortgang_end_to_end", Value: bench.Median(bots), Unit: "cmd/s"},
		bench.Figure{Name: "throughput_vs_sqlite", Value: ratio, Unit: "ratio"},
	)
	sum.throughputRatio = bench.Format(ratio)
	return nil
}
