package main

import (
	"context"
	"io"

	"github.com/wijkbv/wijkbot/internal/bench"
)

// runFanout reports the median delivery time of the check-in wave, the
// minimum the flood limits allow, their ratio and the 429s (all runs).
func runFanout(ctx context.Context, o *options, out io.Writer, sum summary) error {
	var secs, ratios []float64
	var min float64
	tooMany, admitted, chats := 0, 0, 0
	err := eachRun(o.runs, func(i int, dir string) error {
		res, err := bench.Fanout{Dir: dir, Collectives: o.collectives}.Run(ctx)
		if err != nil {
			return err
		}
		min = res.Minimum.Seconds()
		secs = append(secs, res.Elapsed.Seconds())
		ratios = append(ratios, res.Elapsed.Seconds()/min)
		tooMany += res.TooMany
		admitted, chats = res.Admitted, res.Chats
		o.log.Info("fanout run", "run", i+1, "elapsed", res.Elapsed, "minimum", res.Minimum, "admitted", res.Admitted, "429s", res.TooMany)
		return nil
	})
	if err != nil {
		return err
	}
	ratio := bench.Median(ratios)
	printFigures(out,
		bench.Figure{Name: "fanout_collectives", Value: float64(o.collectives), Unit: "collectives"},
		bench.Figure{Name: "fanout_groups", Value: float64(chats), Unit: "chats"},
		bench.Figure{Name: "fanout_admitted", Value: float64(admitted), Unit: "messages"},
		bench.Figure{Name: "fanout_delivered_in", Value: bench.Median(secs), Unit: "s"},
		bench.Figure{Name: "fanout_minimum", Value: min, Unit: "s"},
		bench.Figure{Name: "fanout_vs_min", Value: ratio, Unit: "ratio"},
		bench.Figure{Name: "fanout_429", Value: float64(tooMany), Unit: "responses"},
	)
	sum["fanout_vs_min"] = bench.Format(ratio)
	sum["fanout_429"] = bench.Format(float64(tooMany))
	return nil
}
