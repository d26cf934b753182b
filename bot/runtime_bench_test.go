package bot_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/commands"
)

// benchRuntime is a runtime on a real database with chats linked collectives.
func benchRuntime(b *testing.B, chats int) (*bot.Runtime, []commands.ChatRef) {
	b.Helper()
	ctx := context.Background()
	db := bot.OpenTestDB(b)
	quiet := slog.New(slog.DiscardHandler)
	admin := commands.UserRef{Platform: commands.Telegram, ID: "1", Name: "Staf"}
	refs := make([]commands.ChatRef, chats)
	for i := range refs {
		c := &commands.Collective{Name: fmt.Sprintf("Collectief %d", i), Code: fmt.Sprintf("BNCH%04d", i)}
		c.Code = strings.NewReplacer("0", "A", "1", "B").Replace(c.Code)
		if err := db.CreateCollective(ctx, "", c, admin); err != nil {
			b.Fatal(err)
		}
		refs[i] = commands.ChatRef{Platform: commands.Telegram, ID: fmt.Sprint(-1000 - i)}
		if _, err := db.LinkChat(ctx, "", refs[i], c.Name, c.Code, admin); err != nil {
			b.Fatal(err)
		}
	}
	rt := &bot.Runtime{
		Handler: &commands.Handler{Store: db, Location: time.UTC, DefaultLang: commands.NL, Logger: quiet},
		Store:   db,
		Logger:  quiet,
	}
	return rt, refs
}

// BenchmarkHandleVoortgang is the hot path of every adapter: /voortgang
// through Runtime.Handle (event check, chat lookup, validation, one write
// transaction with synchronous=FULL, reply). One command at a time, so each
// pays its own fsync.
func BenchmarkHandleVoortgang(b *testing.B) {
	rt, refs := benchRuntime(b, 1)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		voortgang(b, ctx, rt, refs[0], i)
	}
}

// BenchmarkHandleVoortgangParallel runs /voortgang from many chats at once,
// as the adapters do: concurrent writes share commits (group commit).
func BenchmarkHandleVoortgangParallel(b *testing.B) {
	rt, refs := benchRuntime(b, 64)
	ctx := context.Background()
	var seq atomic.Int64
	b.SetParallelism(32)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := int(seq.Add(1))
			voortgang(b, ctx, rt, refs[n%len(refs)], n)
		}
	})
}

func voortgang(b *testing.B, ctx context.Context, rt *bot.Runtime, chat commands.ChatRef, n int) {
	reply := rt.Handle(ctx, commands.Request{
		EventID: fmt.Sprint("telegram:update:", n),
		Chat:    chat,
		User:    commands.UserRef{Platform: commands.Telegram, ID: fmt.Sprint(100 + n%50), Name: "Lid"},
		Command: "voortgang",
		Args:    map[string]string{"tekst": "Gesprek met de woningcorporatie #vastgoed"},
	})
	if reply.Code != "" || !strings.Contains(reply.Text, "#vastgoed") {
		b.Fatalf("reply %q (%s)", reply.Text, reply.Code)
	}
}
