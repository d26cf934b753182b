package main

import (
	"io"
	"os"

	"github.com/wijkbv/wijkbot/internal/bench"
)

// eachRun calls run n times, each with a fresh temporary folder that is
// removed afterwards, so one run's database never warms the next; it
// stops at the first error.
func eachRun(n int, run func(i int, dir string) error) error {
	for i := range n {
		dir, err := os.MkdirTemp("", "wijkbench-")
		if err != nil {
			return err
		}
		err = run(i, dir)
		os.RemoveAll(dir)
		if err != nil {
			return err
		}
	}
	return nil
}

// printFigures prints one "name value unit" line per figure.
func printFigures(out io.Writer, figs ...bench.Figure) {
	for _, f := range figs {
		f.Print(out)
	}
}
