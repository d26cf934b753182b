package main

import (
	"context"
	"io"
)

// runScale measures the scale curves (see internal/bench/scale.go).
func runScale(ctx context.Context, o *options, out io.Writer, sum summary) error {
	return nil
}
