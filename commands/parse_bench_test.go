package commands

import "testing"

// BenchmarkParseLine is what the Telegram adapter paid to learn a
// message's command (Parse, options and all), against Command.
func BenchmarkParseLine(b *testing.B) {
	const line = "/voortgang Stap 3 in de wijk #energie"
	t := Commands
	b.Run("Parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if cmd, _, err := t.Parse(line, "wijkbot"); cmd == nil || err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Command", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if cmd, err := t.Command(line, "wijkbot"); cmd == nil || err != nil {
				b.Fatal(err)
			}
		}
	})
}
