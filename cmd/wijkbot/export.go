package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/export"
)

// cmdExport is "wijkbot export": the files of /export, written to a folder.
const cmdExport = "export"

// exportUsage documents the export subcommand, also for -help.
const exportUsage = `  wijkbot export [-collectief NAAM] [-dir MAP] [-db FILE]
                            write the CSV files and the Markdown case reports
                            of /export to MAP (default: the current folder);
                            without -collectief every collective; files of
                            the same name are replaced
`

// isExportCommand says whether the first argument is export.
func isExportCommand(args []string) bool {
	return len(args) > 0 && args[0] == cmdExport
}

// runExportCommand runs "export ..." (args without the word export) and
// returns the exit code; WIJKBOT_DB and WIJKBOT_TIMEZONE apply as for run.
func runExportCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if err := runExport(ctx, args, getenv, stdout); errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, exportUsage)
		return 0
	} else if err != nil {
		fmt.Fprintf(stderr, "wijkbot: %v\n\n%s", err, exportUsage)
		return 1
	}
	return 0
}

// runExport writes the export to a folder and lists what it wrote.
func runExport(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fset := flag.NewFlagSet("wijkbot "+cmdExport, flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	name := fset.String("collectief", "", "export only this collective")
	dir := fset.String("dir", ".", "folder to write the files to")
	dbPath := fset.String("db", settingValue(getenv, "WIJKBOT_DB"), "SQLite database file (WIJKBOT_DB)")
	tz := fset.String("timezone", settingValue(getenv, "WIJKBOT_TIMEZONE"), "time zone of the dates (WIJKBOT_TIMEZONE)")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if fset.NArg() > 0 {
		return fmt.Errorf("export: unexpected %q (a name of several words goes in quotes: -collectief \"Groen Zuid\")", fset.Arg(0))
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		return fmt.Errorf("export: WIJKBOT_TIMEZONE (-timezone) %q: %w", *tz, err)
	}
	db, err := openExisting(ctx, cmdExport, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()

	files, err := commands.Export(ctx, db, export.Files{}, *name, time.Now(), loc, commands.NL)
	if code := commands.ErrorCode(err); code != "" && code != commands.EINTERNAL {
		return errors.New(commands.ErrorMessage(commands.NL, err))
	} else if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	for _, f := range files {
		path := filepath.Join(*dir, f.Name)
		if err := writeFileAtomic(path, f.Data); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		fmt.Fprintf(stdout, "%s (%d bytes)\n", path, len(f.Data))
	}
	return nil
}

// writeFileAtomic writes through a temporary file and a rename, so a
// spreadsheet that has the old file open never sees half a new one. The
// files hold personal data: readable by the owner only.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
