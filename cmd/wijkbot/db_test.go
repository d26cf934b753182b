package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
)

// staffUser creates the collectives of the subcommand tests.
var staffUser = commands.UserRef{Platform: commands.Console, ID: "1", Name: "Staf"}

// newDB opens a new database wijkbot.db in a temporary folder with the
// named collectives (each code made of the name's first letter, so the
// names must start differently), as the subcommands find a bot's
// database. The caller closes it; the collectives come back in order.
func newDB(t *testing.T, ctx context.Context, names ...string) (db *storage.DB, path string, cs []*commands.Collective) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "wijkbot.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		c := &commands.Collective{Name: name, Code: string([]rune(name)[:1]) + "2345678"}
		if err := db.CreateCollective(ctx, "", c, staffUser); err != nil {
			db.Close()
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	return db, path, cs
}
