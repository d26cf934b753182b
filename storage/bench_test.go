package storage

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

// BenchmarkAddEntry measures /voortgang's write: one immediate transaction
// recording the event, the person and the entry with a theme, from many
// goroutines at once.
func BenchmarkAddEntry(b *testing.B) {
	ctx := context.Background()
	db, _ := openTest(b)
	c := mustCollective(b, db, "Noord", "NNNN2345")
	var seq atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := seq.Add(1)
			who := commands.UserRef{Platform: commands.Telegram, ID: fmt.Sprint(n % 50), Name: "lid"}
			e := &commands.Entry{CollectiveID: c.ID, Text: "Pand bezocht #vastgoed", Themes: []string{"vastgoed"}, Source: commands.Telegram}
			if err := db.AddEntry(ctx, fmt.Sprint("telegram:update:", n), e, who); err != nil {
				b.Fatal(err)
			}
		}
	})
}
