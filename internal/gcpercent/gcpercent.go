// Package gcpercent sets how often the garbage collector runs in the
// bot's processes: at GOGC=200 instead of Go's 100, unless the operator
// chose with GOGC.
//
// Why: the bot keeps little alive (its heap is a few MiB, even with
// 10,000 collectives) while every command allocates some tens of KB, so
// at Go's default it collects often, and each collection costs about the
// same however little it frees: it scans every goroutine's stack, and a
// burst of interactions has hundreds. In wijkbench's burst of 200 first
// interactions that was about a sixth of the CPU. At 200 the collector
// runs half as often, for a heap that may grow to three times what is
// alive instead of two: a few MiB more (idle_rss_mib 46.1 → 49.1 in the
// footprint benchmark, against its target of 60).
package gcpercent

import "runtime/debug"

// Default is the GOGC the bot runs with when GOGC is not set.
const Default = 200

// Apply sets Default unless getenv("GOGC") is set, in which case the
// runtime has applied it at start; it returns the percent in force (-1:
// the collector is off).
func Apply(getenv func(string) string) int {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(Default)
		return Default
	}
	p := debug.SetGCPercent(100) // reads it; set back at once
	debug.SetGCPercent(p)
	return p
}
