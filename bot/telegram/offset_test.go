package telegram

import (
	"context"
	"log/slog"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/wijkbv/wijkbot/storage"
)

// recordingState is the real store, recording the offsets it is given.
type recordingState struct {
	*storage.DB
	mu    sync.Mutex
	saved []string
}

func (s *recordingState) SetState(ctx context.Context, key, value string) error {
	s.mu.Lock()
	s.saved = append(s.saved, value)
	s.mu.Unlock()
	return s.DB.SetState(ctx, key, value)
}

// TestOffsetSaverStoresNewestLast: offsets handed over faster than they are
// committed are stored newest-last and never an older one after a newer
// one (a crash would then replay handled batches), and stop stores the
// last one before it returns.
func TestOffsetSaverStoresNewestLast(t *testing.T) {
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st := &recordingState{DB: db}
	b := &Bot{log: slog.New(slog.DiscardHandler), state: st}
	s := b.startSaver(ctx)
	const last = 300
	for i := 1; i <= last; i++ {
		s.save(i)
	}
	s.stop()
	prev := 0
	for _, v := range st.saved {
		n, _ := strconv.Atoi(v)
		if n <= prev {
			t.Fatalf("stored %d after %d (all: %v)", n, prev, st.saved)
		}
		prev = n
	}
	if prev != last {
		t.Fatalf("last stored offset %d, want %d", prev, last)
	}
	if got, _ := db.State(ctx, offsetKey); got != strconv.Itoa(last) {
		t.Fatalf("offset in the database %q after stop, want %d", got, last)
	}
}
