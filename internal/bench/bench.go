// Package bench holds the scenarios of wijkbench (issue 8): each measures
// the bot against a limit that matters — SQLite's own commit rate, Discord's
// interaction deadline, Telegram's flood limits, a small machine's memory —
// and reports figures as name, value and unit.
package bench

import (
	"fmt"
	"io"
	"math"
	"sort"
	"time"
)

// Figure is one measured value.
type Figure struct {
	Name  string
	Value float64
	Unit  string
}

// Print writes f as one "name value unit" line.
func (f Figure) Print(w io.Writer) {
	fmt.Fprintf(w, "%s %s %s\n", f.Name, Format(f.Value), f.Unit)
}

// Format prints v with as many decimals as a figure of its size deserves.
func Format(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100 || v == math.Trunc(v):
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

// Median is the middle of xs (the mean of the two middle values for an
// even count); 0 for none. xs is not changed.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	} else {
		return (s[n/2-1] + s[n/2]) / 2
	}
}

// Percentile is the p-th percentile (0..100) of ds by the nearest-rank
// method, so p99 of 200 samples is the 198th smallest.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	rank = min(max(rank, 1), len(s))
	return s[rank-1]
}

// Milliseconds is d in (fractional) milliseconds, the unit of the
// latency figures; d.Milliseconds() would round a 0.4 ms commit to 0.
func Milliseconds(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
