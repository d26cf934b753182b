package gcpercent

import (
	"runtime/debug"
	"testing"
)

// TestApply: without GOGC the bot runs at Default; with GOGC the
// operator's choice stays, and is what Apply reports.
func TestApply(t *testing.T) {
	before := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(before) })
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "GOGC" {
				return v
			}
			return ""
		}
	}

	if got := Apply(env("")); got != Default {
		t.Fatalf("Apply without GOGC = %d, want %d", got, Default)
	}
	if now := debug.SetGCPercent(100); now != Default {
		t.Fatalf("GC percent after Apply without GOGC = %d, want %d", now, Default)
	}

	// The runtime applied GOGC=50 at start; Apply leaves it.
	debug.SetGCPercent(50)
	if got := Apply(env("50")); got != 50 {
		t.Fatalf("Apply with GOGC=50 = %d, want 50", got)
	}
	if now := debug.SetGCPercent(100); now != 50 {
		t.Fatalf("GC percent after Apply with GOGC=50 = %d, want it left at 50", now)
	}

	debug.SetGCPercent(-1)
	if got := Apply(env("off")); got != -1 {
		t.Fatalf("Apply with GOGC=off = %d, want -1 (off)", got)
	}
}
