package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/storage"
)

func TestBackupAndRestoreCommands(t *testing.T) {
	ctx := context.Background()
	db, dbPath, _ := newDB(t, ctx, "Energiecoöperatie West")
	dir := filepath.Dir(dbPath)

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

// Bad input to backup and restore, as typed on the command line: a clear
// message, exit status 1, and the folder exactly as it was (no empty
// database, no half-written backup, the database untouched).
func TestBackupAndRestoreBadInput(t *testing.T) {
	ctx := context.Background()
	db, dbPath, _ := newDB(t, ctx, "Groen Zuid")
	db.Close()
	dir := filepath.Dir(dbPath)
	existing := filepath.Join(dir, "oud.db")
	if err := os.WriteFile(existing, []byte("een eerdere backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(dir, "kapot.db")
	if err := os.WriteFile(garbage, []byte("dit is geen SQLite-bestand"), 0o600); err != nil {
		t.Fatal(err)
	}
	dbBefore, err := os.ReadFile(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	environ := func(name string) string { return map[string]string{"WIJKBOT_DB": dbPath}[name] }

	for _, tc := range []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"backup of a missing database", []string{"backup", "-db", filepath.Join(dir, "typo.db"), filepath.Join(dir, "b.db")}, "no database at"},
		{"backup over an existing file", []string{"backup", existing}, "already exists"},
		{"backup into a missing folder", []string{"backup", filepath.Join(dir, "geen-map", "b.db")}, "geen-map"},
		{"backup without a file", []string{"backup"}, "usage"},
		{"restore of a missing backup", []string{"restore", filepath.Join(dir, "weg.db")}, "no backup at"},
		{"restore of a file that is no database", []string{"restore", garbage}, "kapot.db"},
		{"restore of the database itself", []string{"restore", dbPath}, "database itself"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := listDir(t, dir)
			var stdout, stderr bytes.Buffer
			if code := runDBCommand(ctx, tc.args, environ, &stdout, &stderr); code != 1 {
				t.Fatalf("exit %d, want 1; stdout %q", code, stdout.String())
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr %q does not contain %q", stderr.String(), tc.want)
			}
			if after := listDir(t, dir); after != before {
				t.Errorf("the folder changed:\n%s\nwas:\n%s", after, before)
			}
			if got, err := os.ReadFile(dbPath); err != nil || !bytes.Equal(got, dbBefore) {
				t.Errorf("the database changed (err %v)", err)
			}
			if got, _ := os.ReadFile(existing); string(got) != "een eerdere backup" {
				t.Errorf("the existing file now holds %q", got)
			}
		})
	}
}

// listDir names the files in dir with their sizes, one a line.
func listDir(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %d\n", e.Name(), info.Size())
	}
	return b.String()
}

// `wijkbot restore` refuses while a console (wijkbot without a token) has
// the database open, which holds no run lease, with a Dutch message and an
// English one; once the console has quit, the restore goes ahead. Before,
// the restore went ahead and the console wrote on into the replaced file.
func TestRestoreRefusedUnderConsole(t *testing.T) {
	ctx := context.Background()
	db, dbPath, _ := newDB(t, ctx, "Energiecoöperatie West")
	backup := filepath.Join(filepath.Dir(dbPath), "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	db.Close()

	in, typing := io.Pipe()
	outR, outW := io.Pipe()
	console := &Main{In: in, Out: outW, Err: io.Discard, Getenv: env("WIJKBOT_DB", dbPath)}
	if err := console.ParseFlags(ctx, nil); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		err := console.Run(ctx)
		if cerr := console.Close(); err == nil {
			err = cerr
		}
		outW.Close()
		done <- err
	}()
	lines := bufio.NewScanner(outR)
	io.WriteString(typing, ":staf\n/collectief Noord\n")
	for !strings.Contains(lines.Text(), "Noord") {
		if !lines.Scan() {
			t.Fatal("the console ended before it answered")
		}
	}
	go io.Copy(io.Discard, outR) // the rest of the console's output

	restore := func() (int, string, string) {
		var stdout, stderr bytes.Buffer
		m := &Main{Out: &stdout, Err: &stderr, Getenv: env("WIJKBOT_DB", dbPath)}
		return run(ctx, m, []string{"restore", backup}), stdout.String(), stderr.String()
	}
	code, _, stderr := restore()
	if code != 1 || !strings.Contains(stderr, "herstel geweigerd") || !strings.Contains(stderr, "restore refused") ||
		strings.Index(stderr, "herstel geweigerd") > strings.Index(stderr, "restore refused") {
		t.Fatalf("restore under the console: exit %d\n%s\nwant 1 with the Dutch refusal, then the English one", code, stderr)
	}

	typing.Close() // the console quits
	if err := <-done; err != nil {
		t.Fatalf("console: %v", err)
	}
	if code, stdout, stderr := restore(); code != 0 || !strings.Contains(stdout, "restored") {
		t.Fatalf("restore after the console quit: exit %d\n%s%s", code, stdout, stderr)
	}
	restored, err := storage.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if _, err := restored.CollectiveByName(ctx, "noord"); err == nil {
		t.Fatal("the restored database has the console's collective: it is not the backup")
	}
}
