package storage

import (
	"context"
	"testing"

	"github.com/wijkbv/wijkbot/internal/scalecache"
)

// scaleDB opens a copy of wijkbench's cached database of 10,000
// collectives with a year of history each (WIJKBOT_SCALE_DB names another
// file), migrated to the current schema before the timer starts. The
// benchmark is skipped when the file is absent: `go run ./cmd/wijkbench
// -only scale` generates it (about 2 minutes).
func scaleDB(b *testing.B) *DB {
	b.Helper()
	dst := scalecache.Copy(b, 10000, 1)
	db, err := Open(context.Background(), dst)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkCollectives10k is Collectives at 10,000 collectives: what the
// scheduler pays every minute, and /overzicht, the digest and
// /collectieven once each.
func BenchmarkCollectives10k(b *testing.B) {
	db := scaleDB(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		list, err := db.Collectives(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if len(list) != 10000 || list[0].LastActivity.IsZero() {
			b.Fatalf("%d collectives, first active at %v", len(list), list[0].LastActivity)
		}
	}
}

// BenchmarkCollectiveNames10k is one keystroke of a collective's name on
// Discord (/contact, /schema, /export) at 10,000 collectives, named
// "Collectief 00001" and on: a prefix ("col", every name), a later word
// ("0828"), inside a word ("lectief", every name; "ief 0828", ten), and
// nothing ("xyz").
func BenchmarkCollectiveNames10k(b *testing.B) {
	db := scaleDB(b)
	ctx := context.Background()
	for _, partial := range []string{"col", "0828", "lectief", "ief 0828", "xyz"} {
		b.Run(partial, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := db.CollectiveNames(ctx, partial, 0, 25); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
