package main

import (
	"context"
	"io"
)

func runFanout(ctx context.Context, o *options, out io.Writer, sum *summary) error    { return nil }
func runFootprint(ctx context.Context, o *options, out io.Writer, sum *summary) error { return nil }
