package storage

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// scaleDB opens a copy of wijkbench's cached database of 10,000
// collectives with a year of history each (WIJKBOT_SCALE_DB names another
// file), migrated to the current schema before the timer starts. The
// benchmark is skipped when the file is absent: `go run ./cmd/wijkbench
// -only scale` generates it (about 2 minutes).
func scaleDB(b *testing.B) *DB {
	b.Helper()
	src := os.Getenv("WIJKBOT_SCALE_DB")
	if src == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			b.Skip("no user cache folder:", err)
		}
		src = filepath.Join(dir, "wijkbench", "scale-v1-10000-1y.db")
	}
	in, err := os.Open(src)
	if err != nil {
		b.Skipf("no scale database (%v): run `go run ./cmd/wijkbench -only scale` first, or set WIJKBOT_SCALE_DB", err)
	}
	defer in.Close()
	dst := filepath.Join(b.TempDir(), "scale.db")
	out, err := os.Create(dst)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
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
