package bench

import (
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/chart"
	"github.com/wijkbv/wijkbot/commands"
)

// DefaultElements are the eleven elements a new collective's mengpaneel
// starts with (migration 001), the chart's default panel.
var DefaultElements = []string{"eigenaarschap", "zeggenschap", "ondernemerschap", "bezit (grond en gebouwen)",
	"geldstromen in de wijk", "economische machtsbasis", "financiële duurzaamheid", "geworteld in de wijk",
	"impact op wonen", "impact op werk", "impact op zorg"}

// PanelChart is a benchmark of /mengpaneel's chart: the default panel,
// every slider set, half of them moved in the last four weeks, drawn by
// the renderer the bot uses. wijkbench runs it with testing.Benchmark.
func PanelChart(b *testing.B) {
	draw := PanelRenderer()
	b.ReportAllocs()
	for b.Loop() {
		if err := draw(); err != nil {
			b.Fatal(err)
		}
	}
}

// PanelRenderer returns a function that draws PanelChart's chart once.
func PanelRenderer() func() error {
	r := &chart.Renderer{Now: func() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) }}
	elems := make([]commands.Element, len(DefaultElements))
	before := map[int64]int{}
	for i, name := range DefaultElements {
		elems[i] = commands.Element{ID: int64(i + 1), Name: name, Value: i % 11, IsSet: true}
		if i%2 == 0 {
			before[int64(i+1)] = (i + 3) % 11
		}
	}
	return func() error {
		_, err := r.Panel(commands.NL, "Bewonersbedrijf Noord", elems, before)
		return err
	}
}
