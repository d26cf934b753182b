package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

func TestExportSubcommand(t *testing.T) {
	ctx := context.Background()
	db, dbPath, cs := newDB(t, ctx, "Groen Zuid", "Bewonersbedrijf Noord")
	dir := filepath.Dir(dbPath)
	for _, c := range cs {
		if err := db.AddEntry(ctx, "", &commands.Entry{CollectiveID: c.ID, Text: "Begonnen, \"echt\"\nmet " + c.Name}, staffUser); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	environ := func(name string) string {
		return map[string]string{"WIJKBOT_DB": dbPath, "WIJKBOT_TIMEZONE": "Europe/Amsterdam"}[name]
	}

	t.Run("one collective into a new folder", func(t *testing.T) {
		out := filepath.Join(dir, "export", "noord")
		var stdout, stderr bytes.Buffer
		code := runExportCommand(ctx, []string{"--collectief", "bewonersbedrijf noord", "--dir", out}, environ, &stdout, &stderr)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		names, err := filepath.Glob(filepath.Join(out, "*"))
		if err != nil {
			t.Fatal(err)
		}
		if len(names) != 6 {
			t.Errorf("wrote %d files, want 5 CSV + 1 report: %v", len(names), names)
		}
		data, err := os.ReadFile(filepath.Join(out, "bewonersbedrijf-noord-voortgang.csv"))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 2 || recs[1][3] != "Begonnen, \"echt\"\nmet Bewonersbedrijf Noord" {
			t.Errorf("progress=%q", recs)
		}
		if _, err := os.Stat(filepath.Join(out, "casus-bewonersbedrijf-noord.md")); err != nil {
			t.Error(err)
		}
		if !strings.Contains(stdout.String(), "casus-bewonersbedrijf-noord.md") {
			t.Errorf("stdout does not list the files: %q", stdout.String())
		}
	})

	t.Run("all collectives, flags with one dash", func(t *testing.T) {
		out := filepath.Join(dir, "alles")
		var stdout, stderr bytes.Buffer
		if code := runExportCommand(ctx, []string{"-dir", out}, environ, &stdout, &stderr); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		for _, name := range []string{"alle-collectieven-voortgang.csv", "casus-groen-zuid.md", "casus-bewonersbedrijf-noord.md"} {
			if _, err := os.Stat(filepath.Join(out, name)); err != nil {
				t.Error(err)
			}
		}
	})

	t.Run("unknown collective", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		code := runExportCommand(ctx, []string{"-collectief", "Groen Zuidd", "-dir", filepath.Join(dir, "x")}, environ, &stdout, &stderr)
		if code == 0 {
			t.Fatal("exit 0 for an unknown collective")
		}
		if msg := stderr.String(); !strings.Contains(msg, `Er is geen collectief "Groen Zuidd".`) || !strings.Contains(msg, `Bedoel je "Groen Zuid"?`) {
			t.Errorf("stderr=%q", msg)
		}
		if _, err := os.Stat(filepath.Join(dir, "x")); err == nil {
			t.Error("the folder was created for a failed export")
		}
	})

	t.Run("folder that is a file", func(t *testing.T) {
		file := filepath.Join(dir, "notities.txt")
		if err := os.WriteFile(file, []byte("niet overschrijven"), 0o600); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		if code := runExportCommand(ctx, []string{"-dir", file}, environ, &stdout, &stderr); code != 1 {
			t.Fatalf("exit %d, want 1", code)
		}
		if !strings.Contains(stderr.String(), "notities.txt") {
			t.Errorf("stderr %q does not name the folder", stderr.String())
		}
		if got, _ := os.ReadFile(file); string(got) != "niet overschrijven" {
			t.Errorf("the file now holds %q", got)
		}
	})

	t.Run("missing database is not created", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		missing := filepath.Join(dir, "nope.db")
		if code := runExportCommand(ctx, []string{"-db", missing}, environ, &stdout, &stderr); code == 0 {
			t.Fatal("exit 0 without a database")
		}
		if _, err := os.Stat(missing); err == nil {
			t.Error("an empty database was created")
		}
	})
}
