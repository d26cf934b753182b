package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
)

func TestBackupAndRestoreCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "wijkbot.db")
	db, err := storage.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	by := commands.UserRef{Platform: commands.Console, ID: "1", Name: "Staf"}
	if err := db.CreateCollective(ctx, "", &commands.Collective{Name: "Energiecoöperatie West", Code: "WWWW2345"}, by); err != nil {
		t.Fatal(err)
	}

	backup := filepath.Join(dir, "backup.db")
	var out bytes.Buffer
	// The bot keeps the database open while the backup is made.
	if err := runBackup(ctx, []string{backup}, dbPath, &out); err != nil {
		t.Fatalf("backup: %v", err)
	}
	if !strings.Contains(out.String(), backup) {
		t.Fatalf("backup output %q does not name the file", out.String())
	}
	if err := runBackup(ctx, []string{backup}, dbPath, &out); err == nil {
		t.Fatal("a second backup overwrote the first")
	}
	if err := runBackup(ctx, []string{filepath.Join(dir, "x.db")}, filepath.Join(dir, "typo.db"), &out); err == nil {
		t.Fatal("backup of a database that does not exist succeeded")
	}
	if err := runBackup(ctx, nil, dbPath, &out); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Fatalf("backup without a file: err=%v, want usage", err)
	}
	db.Close() // stop the bot before a restore

	// Restore into another database with -db, after the flag or before it.
	for _, args := range [][]string{
		{"-db", filepath.Join(dir, "nieuw1.db"), backup},
		{backup, "-db", filepath.Join(dir, "nieuw2.db")},
	} {
		out.Reset()
		if err := runRestore(ctx, args, "ongebruikt.db", &out); err != nil {
			t.Fatalf("restore %q: %v", args, err)
		}
		target := args[1]
		if args[0] == backup {
			target = args[2]
		}
		restored, err := storage.Open(ctx, target)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := restored.CollectiveByName(ctx, "energiecoöperatie west"); err != nil {
			t.Fatalf("restored %s lacks the collective: %v", target, err)
		}
		restored.Close()
	}

	out.Reset()
	if err := runRestore(ctx, []string{backup}, dbPath, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "before-restore") {
		t.Fatalf("restore output %q does not say where the replaced database is", out.String())
	}
}
