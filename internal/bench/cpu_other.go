//go:build !unix

package bench

import (
	"errors"
	"time"
)

// ProcessCPU is the process's CPU time, read with getrusage, which only
// unix systems have: elsewhere the CPU figures fail with this error (the
// rest of wijkbench and the bot build and run).
func ProcessCPU() (time.Duration, error) {
	return 0, errors.New("wijkbench: the process's CPU time is read with getrusage, on unix systems only")
}
