//go:build unix

package bench

import (
	"syscall"
	"time"
)

// ProcessCPU is the user and system time this process has used
// (getrusage RUSAGE_SELF: every thread, the fake's included).
func ProcessCPU() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}
