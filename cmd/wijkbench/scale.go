package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/wijkbv/wijkbot/internal/bench"
	"github.com/wijkbv/wijkbot/internal/scalecache"
)

// runScale measures every scale point (bench.ScalePoints; -quick leaves
// out 10,000 collectives) on a copy of its cached database, prints each
// point's figures, the 10,000-over-10 ratio of the mixed load's p99 and
// /overzicht at 10,000 collectives, and with -plot draws the curves.
func runScale(ctx context.Context, o *options, out io.Writer, sum summary) error {
	cache := o.cache()
	var results []bench.ScaleSummary
	mixed99 := map[bench.ScalePoint]float64{}
	for _, p := range bench.ScalePoints {
		if o.quick && p.Collectives > 1000 {
			continue
		}
		t0 := time.Now()
		src, err := bench.ScaleDB(ctx, cache, p)
		if err != nil {
			return err
		}
		o.log.Info("scale database", "point", p.String(), "path", src, "ready_in", time.Since(t0))
		dir, err := os.MkdirTemp("", "wijkbench-")
		if err != nil {
			return err
		}
		db := filepath.Join(dir, "scale.db")
		err = scalecache.CopyFile(db, src)
		var runs []bench.ScaleResult
		// One run per point: the mixed load runs -runs rounds within it
		// (its figure is their median p99) and the single commands repeat
		// -scale-repeat times; /overzicht and the digest at 10,000
		// collectives take seconds each.
		for i := 0; err == nil && i < 1; i++ {
			var res bench.ScaleResult
			res, err = bench.Scale{DB: db, Point: p, Requests: o.scaleRequests, Rounds: o.runs, Workers: 8, Repeat: o.scaleRepeat}.Run(ctx)
			runs = append(runs, res)
			o.log.Info("scale run", "point", p.String(), "run", i+1, "mixed_p99", bench.Percentile(res.Mixed, 99))
		}
		os.RemoveAll(dir)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		res := bench.MedianScale(runs)
		results = append(results, res)
		mixed99[p] = res.MixedP99
		name := fmt.Sprintf("scale_%d_%dy_", p.Collectives, p.Years)
		printFigures(out,
			bench.Figure{Name: name + "mixed_p99", Value: res.MixedP99, Unit: "ms"},
			bench.Figure{Name: name + "tijdlijn_p99", Value: res.TimelineP99, Unit: "ms"},
			bench.Figure{Name: name + "mengpaneel_p99", Value: res.PanelP99, Unit: "ms"},
			bench.Figure{Name: name + "overzicht", Value: res.OverviewMS, Unit: "ms"},
			bench.Figure{Name: name + "overzicht_text", Value: float64(res.OverviewChars), Unit: "chars"},
			bench.Figure{Name: name + "overzicht_chart", Value: b2f(res.OverviewImage), Unit: "sent"},
			bench.Figure{Name: name + "digest", Value: res.DigestMS, Unit: "ms"},
			bench.Figure{Name: name + "digest_text", Value: float64(res.DigestChars), Unit: "chars"},
			bench.Figure{Name: name + "scheduler_tick", Value: res.TickMS, Unit: "ms"},
			bench.Figure{Name: name + "scheduler_tick_thursday", Value: res.TickThursdayMS, Unit: "ms"},
			bench.Figure{Name: name + "rss", Value: res.RSSMiB, Unit: "MiB"},
			bench.Figure{Name: name + "db", Value: res.DBMiB, Unit: "MiB"},
		)
		for _, w := range res.Web {
			printFigures(out,
				bench.Figure{Name: name + "web_" + w.Name, Value: w.MS, Unit: "ms"},
				bench.Figure{Name: name + "web_" + w.Name + "_bytes", Value: float64(w.Bytes), Unit: "bytes"},
				bench.Figure{Name: name + "web_" + w.Name + "_articles", Value: float64(w.Articles), Unit: "articles"},
			)
		}
		if p == (bench.ScalePoint{Collectives: 10000, Years: 1}) {
			sum["overview_10k_ms"] = bench.Format(res.OverviewMS)
		}
	}
	small, big := mixed99[bench.ScalePoint{Collectives: 10, Years: 1}], mixed99[bench.ScalePoint{Collectives: 10000, Years: 1}]
	if small > 0 && big > 0 {
		ratio := big / small
		printFigures(out, bench.Figure{Name: "scale_p99_ratio", Value: ratio, Unit: "ratio"})
		sum["scale_p99_ratio"] = bench.Format(ratio)
	}
	if o.plotDir != "" {
		if err := bench.PlotScale(o.plotDir, results); err != nil {
			return err
		}
		fmt.Fprintf(o.errOut, "wijkbench: curves written to %s\n", o.plotDir)
	}
	return nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// cache is the folder of the generated scale databases.
func (o *options) cache() string {
	if o.cacheDir != "" {
		return o.cacheDir
	}
	return scalecache.Dir()
}
