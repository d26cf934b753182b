package bench

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
)

func TestSeed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "seed.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	ids, err := Seed{Collectives: 3, History: true, Now: now}.Run(ctx, db, path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(ids), 3; got != want {
		t.Fatalf("collectives=%d, want %d", got, want)
	}
	entries, err := db.Entries(ctx, ids[2], 100)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(entries), 52; got != want {
		t.Fatalf("entries=%d, want %d", got, want)
	}
	chat, err := db.Chat(ctx, commands.ChatRef{Platform: commands.Telegram, ID: "-100000001"})
	if err != nil {
		t.Fatal(err)
	}
	if chat.CollectiveID != ids[1] {
		t.Fatalf("group of collective 1 linked to %d, want %d", chat.CollectiveID, ids[1])
	}
	if Code(0) == Code(1) || len(Code(999)) != 8 {
		t.Fatalf("codes %q %q %q", Code(0), Code(1), Code(999))
	}
}
