package storage

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// TestChatCacheSeesEveryChatWrite changes a chat in every way a write can
// after Chat has cached it, and reads it again: a cache that a write does
// not drop fails here.
func TestChatCacheSeesEveryChatWrite(t *testing.T) {
	ctx := context.Background()
	grp := commands.ChatRef{Platform: commands.Telegram, ID: "-1001"}
	super := commands.ChatRef{Platform: commands.Telegram, ID: "-1009"}
	private := commands.ChatRef{Platform: commands.Telegram, ID: ana.ID}
	var zuidID int64 // of the subtest's database
	tests := []struct {
		name  string
		setup func(t *testing.T, db *DB) // before the chat is cached
		write func(t *testing.T, db *DB)
		ref   commands.ChatRef
		want  func(c *commands.Chat) bool
	}{
		{
			name:  "link (/koppel)",
			write: func(t *testing.T, db *DB) { mustLink(t, db, grp, "ZZZZ2345") },
			ref:   grp,
			want:  func(c *commands.Chat) bool { return c.Kind == commands.ChatCollective },
		},
		{
			name:  "relink to another collective",
			setup: func(t *testing.T, db *DB) { mustLink(t, db, grp, "NNNN2345") },
			write: func(t *testing.T, db *DB) { mustLink(t, db, grp, "ZZZZ2345") },
			ref:   grp,
			want:  func(c *commands.Chat) bool { return c.CollectiveID == zuidID },
		},
		{
			name:  "unlink (/ontkoppel)",
			setup: func(t *testing.T, db *DB) { mustLink(t, db, grp, "NNNN2345") },
			write: func(t *testing.T, db *DB) {
				if err := db.UnlinkChat(ctx, "", grp, ana); err != nil {
					t.Fatal(err)
				}
			},
			ref:  grp,
			want: func(c *commands.Chat) bool { return c.Kind == "" && c.CollectiveID == 0 },
		},
		{
			name: "staff chat",
			write: func(t *testing.T, db *DB) {
				if err := db.AddStaffChat(ctx, "", grp, "Staf", ana); err != nil {
					t.Fatal(err)
				}
			},
			ref:  grp,
			want: func(c *commands.Chat) bool { return c.Kind == commands.ChatStaff },
		},
		{
			name: "language (/taal)",
			write: func(t *testing.T, db *DB) {
				if err := db.SetChatLang(ctx, "", grp, commands.EN); err != nil {
					t.Fatal(err)
				}
			},
			ref:  grp,
			want: func(c *commands.Chat) bool { return c.Lang == commands.EN },
		},
		{
			name:  "bot removed from the chat",
			setup: func(t *testing.T, db *DB) { mustLink(t, db, grp, "NNNN2345") },
			write: func(t *testing.T, db *DB) {
				if err := db.SetChatActive(ctx, grp, false); err != nil {
					t.Fatal(err)
				}
			},
			ref:  grp,
			want: func(c *commands.Chat) bool { return !c.Active },
		},
		{
			name:  "group became a supergroup: the new id",
			setup: func(t *testing.T, db *DB) { mustLink(t, db, grp, "NNNN2345") },
			write: func(t *testing.T, db *DB) {
				if err := db.MoveChat(ctx, grp, super); err != nil {
					t.Fatal(err)
				}
			},
			ref:  super,
			want: func(c *commands.Chat) bool { return c.Kind == commands.ChatCollective },
		},
		{
			name:  "group became a supergroup: the old id",
			setup: func(t *testing.T, db *DB) { mustLink(t, db, grp, "NNNN2345") },
			write: func(t *testing.T, db *DB) {
				if err := db.MoveChat(ctx, grp, super); err != nil {
					t.Fatal(err)
				}
			},
			ref:  grp,
			want: func(c *commands.Chat) bool { return c.Kind == "" },
		},
		{
			name: "erasure (/vergeetmij) clears the private chat's title",
			setup: func(t *testing.T, db *DB) {
				if err := db.SetChatLang(ctx, "", private, commands.NL); err != nil {
					t.Fatal(err)
				}
				if _, err := db.db.Exec(`UPDATE chats SET title = 'Ana' WHERE chat_id = ?`, ana.ID); err != nil {
					t.Fatal(err)
				}
			},
			write: func(t *testing.T, db *DB) {
				if err := db.ForgetPerson(ctx, "", ana); err != nil {
					t.Fatal(err)
				}
			},
			ref:  private,
			want: func(c *commands.Chat) bool { return c.Title == "" },
		},
		{
			// A future write that changes chats and was not told about
			// the cache: write drops it by default.
			name: "any other write",
			write: func(t *testing.T, db *DB) {
				err := db.write(ctx, "", func(tx *sql.Tx) error {
					_, err := tx.ExecContext(ctx, `INSERT INTO chats (platform, chat_id, lang, created_at, updated_at)
						VALUES (?, ?, 'en', '', '')`, grp.Platform, grp.ID)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
			},
			ref:  grp,
			want: func(c *commands.Chat) bool { return c.Lang == commands.EN },
		},
		{
			// Another process (or a migration of a newer binary) changed
			// the chat: this one notices at its next write transaction,
			// whatever that write is.
			name: "another connection, then any write of ours",
			write: func(t *testing.T, db *DB) {
				setLangElsewhere(t, db, grp, commands.EN)
				if err := db.SetState(ctx, "k", "v"); err != nil { // keeps chats itself
					t.Fatal(err)
				}
			},
			setup: func(t *testing.T, db *DB) {
				if err := db.SetChatLang(ctx, "", grp, commands.NL); err != nil {
					t.Fatal(err)
				}
			},
			ref:  grp,
			want: func(c *commands.Chat) bool { return c.Lang == commands.EN },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := openTest(t)
			mustCollective(t, db, "Noord", "NNNN2345")
			zuidID = mustCollective(t, db, "Zuid", "ZZZZ2345").ID
			if tt.setup != nil {
				tt.setup(t, db)
			}
			before := mustChat(t, db, tt.ref)
			if tt.want(before) {
				t.Fatalf("before the write the chat is already %+v", before)
			}
			if _, ok := db.chats.get(tt.ref, db.now()); !ok {
				t.Fatal("Chat did not cache the chat")
			}
			tt.write(t, db)
			if got := mustChat(t, db, tt.ref); !tt.want(got) {
				t.Fatalf("after the write Chat = %+v (cached before: %+v)", got, before)
			}
		})
	}
}

// TestChatCacheKeptByEntries: the writes that say they change no chat
// (a progress entry, the Telegram offset) leave the cache, so a group's
// next command finds its chat there.
func TestChatCacheKeptByEntries(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	grp := commands.ChatRef{Platform: commands.Telegram, ID: "-1001"}
	mustLink(t, db, grp, "NNNN2345")
	mustChat(t, db, grp)
	e := &commands.Entry{CollectiveID: noord.ID, Text: "Stap #energie", Themes: []string{"energie"}, Source: commands.Telegram}
	if err := db.AddEntry(ctx, "telegram:update:1", e, ana); err != nil {
		t.Fatal(err)
	}
	if err := db.SetState(ctx, "telegram:offset", "2"); err != nil {
		t.Fatal(err)
	}
	if _, ok := db.chats.get(grp, db.now()); !ok {
		t.Fatal("AddEntry or SetState dropped the chat cache")
	}
}

// TestChatCacheKeptByLeases: taking, renewing, stealing and releasing
// the lease (every 5 s for the active bot) leave a cached chat; a real
// change of the chat after them still drops it, and a renewal still
// notices another process's change.
func TestChatCacheKeptByLeases(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	grp := cachedGroup(t, db)
	for i, renew := range []func() error{
		func() error { _, _, err := db.AcquireLease(ctx, "run", "a", time.Minute); return err },
		func() error { _, _, err := db.AcquireLease(ctx, "run", "a", time.Minute); return err },
		func() error { _, err := db.StealLease(ctx, "run", "a", "b", time.Minute); return err },
		func() error { return db.ReleaseLease(ctx, "run", "b") },
	} {
		if err := renew(); err != nil {
			t.Fatal(err)
		}
		if _, ok := db.chats.get(grp, db.now()); !ok {
			t.Fatalf("lease write %d dropped the chat cache", i+1)
		}
	}
	if err := db.SetChatLang(ctx, "", grp, commands.EN); err != nil {
		t.Fatal(err)
	}
	if got := mustChat(t, db, grp); got.Lang != commands.EN {
		t.Fatalf("lang %q after the change, want en", got.Lang)
	}
	setLangElsewhere(t, db, grp, commands.NL)
	if _, _, err := db.AcquireLease(ctx, "run", "a", time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := mustChat(t, db, grp); got.Lang != commands.NL {
		t.Fatalf("lang %q after a renewal following another process's change, want nl", got.Lang)
	}
}

// TestChatCacheReadRacingAWrite: a read that began before a write ended
// may have read the chat as it was; it must not put that in the cache.
func TestChatCacheReadRacingAWrite(t *testing.T) {
	var c chatCache
	ref := commands.ChatRef{Platform: commands.Telegram, ID: "-1001"}
	gen := c.gen.Load() // the read begins
	c.drop()            // a write ends
	c.put(ref, commands.Chat{Ref: ref, Kind: commands.ChatStaff}, gen, t0)
	if ch, ok := c.get(ref, t0); ok {
		t.Fatalf("cached %+v read before a write ended", ch)
	}
	c.put(ref, commands.Chat{Ref: ref}, c.gen.Load(), t0)
	if _, ok := c.get(ref, t0); !ok {
		t.Fatal("a read after the write was not cached")
	}
}

// TestChatCacheChangedElsewhere: a chat another process changed is served
// from the cache only until this process's next write (see chatCache).
func TestChatCacheChangedElsewhere(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	grp := cachedGroup(t, db)
	setLangElsewhere(t, db, grp, commands.EN)
	if got := mustChat(t, db, grp); got.Lang != commands.NL {
		t.Fatalf("lang %q: the cache was not used", got.Lang)
	}
	// A write of ours that changes nothing of the chat's begins a
	// transaction, and that notices the other connection's commit.
	if err := db.SetState(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
	if got := mustChat(t, db, grp); got.Lang != commands.EN {
		t.Fatalf("lang %q after our next write, want en", got.Lang)
	}
	// Our own commits do not count as another's.
	mustChat(t, db, grp)
	if err := db.SetState(ctx, "k", "w"); err != nil {
		t.Fatal(err)
	}
	if _, ok := db.chats.get(grp, db.now()); !ok {
		t.Fatal("our own commit dropped the cache as if another connection's")
	}
}

func mustLink(t *testing.T, db *DB, ref commands.ChatRef, code string) {
	t.Helper()
	if _, err := db.LinkChat(context.Background(), "", ref, "Groep", code, ana); err != nil {
		t.Fatal(err)
	}
}

func mustChat(t *testing.T, db *DB, ref commands.ChatRef) *commands.Chat {
	t.Helper()
	c, err := db.Chat(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// openOther opens db's file on a connection of its own, as another
// process would.
func openOther(t *testing.T, db *DB) *sql.DB {
	t.Helper()
	other, err := sql.Open("sqlite", DSN(dbPath(t, db)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}

// TestChatCacheIdleProcessSeesOthersChange: a process that writes nothing
// (the console next to a running bot holds no lease, so nothing makes it
// write) must still see a chat another process changed, within
// maxChatAge: here the bot's staff unlinked the console's chat, and the
// console went on treating it as the collective's chat.
func TestChatCacheIdleProcessSeesOthersChange(t *testing.T) {
	ctx := context.Background()
	console, clk := openTest(t)
	mustCollective(t, console, "Noord", "NNNN2345")
	grp := commands.ChatRef{Platform: commands.Console, ID: "noord"}
	mustLink(t, console, grp, "NNNN2345")
	if c := mustChat(t, console, grp); c.Kind != commands.ChatCollective {
		t.Fatalf("chat %+v, want linked", c)
	}
	bot, err := Open(ctx, dbPath(t, console)) // the running bot, a process of its own
	if err != nil {
		t.Fatal(err)
	}
	defer bot.Close()
	if err := bot.UnlinkChat(ctx, "", grp, ana); err != nil {
		t.Fatal(err)
	}
	clk.Add(maxChatAge)
	if c := mustChat(t, console, grp); c.Kind != "" || c.CollectiveID != 0 {
		t.Fatalf("after %v without a write of its own the console still reads %+v", maxChatAge, c)
	}
}

// dbPath is the file db was opened on.
func dbPath(t *testing.T, db *DB) string {
	t.Helper()
	var path string
	if err := db.db.QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path); err != nil {
		t.Fatal(err)
	}
	return path
}

// setLangElsewhere changes grp's language through a connection of its own,
// as another process would, out of sight of db's cache.
func setLangElsewhere(t *testing.T, db *DB, grp commands.ChatRef, lang commands.Lang) {
	t.Helper()
	if _, err := openOther(t, db).Exec(`UPDATE chats SET lang = ? WHERE chat_id = ?`, string(lang), grp.ID); err != nil {
		t.Fatal(err)
	}
}

// cachedGroup stores a Telegram group speaking Dutch and reads it once,
// so db's cache holds it.
func cachedGroup(t *testing.T, db *DB) commands.ChatRef {
	t.Helper()
	grp := commands.ChatRef{Platform: commands.Telegram, ID: "-1001"}
	if err := db.SetChatLang(context.Background(), "", grp, commands.NL); err != nil {
		t.Fatal(err)
	}
	mustChat(t, db, grp)
	return grp
}
