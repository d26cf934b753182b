package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/wijkbv/wijkbot/internal/bench"
	"github.com/wijkbv/wijkbot/internal/scalecache"
)

// runFootprint builds the shipped binary once, copies the scale database
// of -footprint-collectives collectives with a year of history, and starts
// the bot on it -runs times with both platforms (fakes) and the HTTP
// server on.
func runFootprint(ctx context.Context, o *options, out io.Writer, sum summary) error {
	dir, err := os.MkdirTemp("", "wijkbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin, err := bench.Build(ctx, dir)
	if err != nil {
		return err
	}
	st, err := os.Stat(bin)
	if err != nil {
		return err
	}
	src, err := bench.ScaleDB(ctx, o.cache(), bench.ScalePoint{Collectives: o.seedCollectives, Years: 1})
	if err != nil {
		return err
	}
	db := filepath.Join(dir, "wijkbot.db")
	if err := scalecache.CopyFile(db, src); err != nil {
		return err
	}
	dbSize := fileSize(db) + fileSize(db+"-wal")
	var starts, checked, rss []float64
	for i := range o.runs {
		res, err := bench.Footprint{Binary: bin, DB: db, Idle: 5 * time.Second}.Run(ctx)
		if err != nil {
			return err
		}
		starts = append(starts, bench.Milliseconds(res.Start))
		checked = append(checked, bench.Milliseconds(res.Checked))
		rss = append(rss, float64(res.RSS)/(1<<20))
		o.log.Info("footprint run", "run", i+1, "start", res.Start, "checked", res.Checked, "rss_mib", rss[i], "healthz", res.Healthz)
	}
	binMiB := float64(st.Size()) / (1 << 20)
	printFigures(out,
		bench.Figure{Name: "footprint_collectives", Value: float64(o.seedCollectives), Unit: "collectives"},
		bench.Figure{Name: "footprint_platforms", Value: 2, Unit: "platforms"},
		bench.Figure{Name: "footprint_http_server", Value: 1, Unit: "on"},
		bench.Figure{Name: "footprint_db", Value: float64(dbSize) / (1 << 20), Unit: "MiB"},
		bench.Figure{Name: "idle_rss", Value: bench.Median(rss), Unit: "MiB"},
		bench.Figure{Name: "start_to_first_poll", Value: bench.Median(starts), Unit: "ms"},
		// The whole-file check runs after the first poll; idle RSS is taken after it.
		bench.Figure{Name: "start_to_database_checked", Value: bench.Median(checked), Unit: "ms"},
		bench.Figure{Name: "binary_size", Value: binMiB, Unit: "MiB"},
		bench.Figure{Name: "binary_size_bytes", Value: float64(st.Size()), Unit: "bytes"},
	)
	sum["idle_rss_mib"] = bench.Format(bench.Median(rss))
	sum["start_ms"] = bench.Format(bench.Median(starts))
	// Two decimals: three significant digits round 24.96 MiB up to "25.0",
	// which reads as the target's limit itself.
	sum["binary_mib"] = strconv.FormatFloat(binMiB, 'f', 2, 64)
	return nil
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}
