package bot

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/wijkbv/wijkbot/storage"
)

// OpenTestDB opens a fresh SQLite database in tb's temporary directory,
// closed when the test ends. It is exported for this directory's bot_test
// files too (an exported name in a _test file exists only in tests).
func OpenTestDB(tb testing.TB) *storage.DB {
	tb.Helper()
	db, err := storage.Open(context.Background(), filepath.Join(tb.TempDir(), "wijkbot.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// storage.DB is the scheduler's store (the interface lives here, so the check
// does too: storage does not import bot).
var _ SchedulerStore = (*storage.DB)(nil)
