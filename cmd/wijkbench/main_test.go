package main

import (
	"bytes"
	"context"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/internal/bench"
)

// A tiny run of the scenarios prints well-formed figures and, last, the
// summary line with its keys in the order, "-" for those not run.
func TestRunPrintsFiguresAndSummary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the bot and runs every scenario (about 10 s)")
	}
	var out, errOut bytes.Buffer
	args := []string{"-runs", "1", "-chats", "10", "-per-chat", "2",
		"-interactions", "10", "-collectives", "40", "-footprint-collectives", "5", "-cache", t.TempDir(),
		"-only", "throughput,storage,latency,fanout,footprint"}
	if err := run(context.Background(), args, &out, &errOut); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	figure := regexp.MustCompile(`^[a-z0-9_]+ -?[0-9.]+ [A-Za-z/%-]+$`)
	for _, l := range lines[:len(lines)-1] {
		if !figure.MatchString(l) {
			t.Errorf("line %q is not `name value unit`", l)
		}
	}
	// The throughput scenario says what CPU each side used.
	for _, name := range []string{"echo_cpu_per_msg", "voortgang_cpu_per_cmd", "echo_cores", "voortgang_cores"} {
		if !regexp.MustCompile(`(?m)^` + name + ` [0-9.]*[1-9][0-9.]* (us|cores)$`).MatchString(out.String()) {
			t.Errorf("no positive %s line in:\n%s", name, out.String())
		}
	}
	summary := regexp.MustCompile(`^summary: throughput_vs_echo=[0-9.]+ storage_vs_batched=[0-9.]+ fsyncs_per_cmd=[0-9.]+ interaction_p99_ms=[0-9.]+ deferred=0 fanout_vs_min=[0-9.]+ fanout_429=0 scale_p99_ratio=- overview_10k_ms=- chart_ms=- chart_alloc_mib=- idle_rss_mib=[0-9.]+ start_ms=[0-9.]+ binary_mib=[0-9.]+$`)
	if last := lines[len(lines)-1]; !summary.MatchString(last) {
		t.Fatalf("last line %q is not the summary", last)
	}
}

func TestOnlySkipsTheRest(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"-runs", "1", "-only", "latency", "-interactions", "5"}, &out, &errOut); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "summary: throughput_vs_echo=- storage_vs_batched=- fsyncs_per_cmd=- interaction_p99_ms=") {
		t.Fatalf("output:\n%s", out.String())
	}
}

func TestOnlyRejectsUnknownScenario(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-only", "latncy"}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), `"latncy"`) {
		t.Fatalf("err=%v, want one naming the unknown scenario", err)
	}
	if out.Len() != 0 {
		t.Fatalf("printed %q for a run that measured nothing", out.String())
	}
}

// TestMixedOrder: the ratio's two points run first and next to each other
// in the mixed load (bench.MixedLoad alternates neighbours), every point
// once; without the 10,000 point (-quick) the others keep their order.
func TestMixedOrder(t *testing.T) {
	order := mixedOrder(bench.ScalePoints)
	got := make([]bench.ScalePoint, len(order))
	for k, i := range order {
		got[k] = bench.ScalePoints[i]
	}
	want := []bench.ScalePoint{ratioSmall, ratioBig, {Collectives: 100, Years: 1}, {Collectives: 1000, Years: 1}, {Collectives: 1000, Years: 3}}
	if !slices.Equal(got, want) {
		t.Errorf("mixed order %v, want %v", got, want)
	}
	quick := []bench.ScalePoint{{Collectives: 10, Years: 1}, {Collectives: 100, Years: 1}, {Collectives: 1000, Years: 1}, {Collectives: 1000, Years: 3}}
	if got := mixedOrder(quick); !slices.Equal(got, []int{0, 1, 2, 3}) {
		t.Errorf("quick order %v, want 0 1 2 3", got)
	}
}

// TestBracketedCancelsDrift: on a machine getting faster at a steady
// pace, a bot at 0.8 of the echo's rate reads as 0.8 against the echo
// runs around it; set against the run before it alone, as the scenario
// once did, it read as more than it is.
func TestBracketedCancelsDrift(t *testing.T) {
	echos := []float64{100, 110, 120, 130} // the machine speeds up 10 a step
	bots := []float64{0.8 * 105, 0.8 * 115, 0.8 * 125}
	for i, r := range bracketed(bots, echos) {
		if math.Abs(r-0.8) > 1e-9 {
			t.Errorf("run %d: ratio %v, want 0.8", i, r)
		}
		if before := bots[i] / echos[i]; before <= 0.8 {
			t.Errorf("run %d: against the echo before alone %v; the example should show that flattering", i, before)
		}
	}
}
