package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/wijkbv/wijkbot/storage"
)

// Subcommands for the database, beside run and console.
const (
	cmdBackup  = "backup"
	cmdRestore = "restore"
)

// backupUsage documents backup and restore, also for -help.
const backupUsage = `  wijkbot backup FILE       write a consistent copy of the database to FILE
                            (a new file), also while the bot runs
  wijkbot restore BACKUP    STOP THE BOT AND ANY CONSOLE FIRST (it refuses
                            while a process has the database open); checks
                            BACKUP (with its -wal, if any, folded in) and puts
                            it in place of the database; the replaced database
                            is kept beside it as <db>.before-restore-<time>
`

// dbFlagUsage documents the one flag backup and restore take.
const dbFlagUsage = `Flags:
  -db FILE                  the database (WIJKBOT_DB); default ` + defaultDB + `
`

// parseDBArgs reads "[-db FILE] ARG" for backup and restore: the database
// defaults to dbPath (WIJKBOT_DB), a flag beats it. It returns flag.ErrHelp
// for -h, -help or --help anywhere.
func parseDBArgs(name string, args []string, dbPath string) (db, arg string, err error) {
	fs := flag.NewFlagSet("wijkbot "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&db, "db", dbPath, "SQLite database file (WIJKBOT_DB)")
	if err := fs.Parse(args); err != nil {
		return "", "", err
	}
	// Allow the flag after the file too: "wijkbot backup x.db -db wijkbot.db".
	rest := fs.Args()
	if len(rest) > 1 {
		first := rest[0]
		if err := fs.Parse(rest[1:]); err != nil {
			return "", "", err
		}
		rest = append([]string{first}, fs.Args()...)
	}
	if len(rest) != 1 || rest[0] == "" {
		return "", "", fmt.Errorf("usage: wijkbot %s [-db FILE] FILE", name)
	}
	if db == "" {
		return "", "", errors.New("WIJKBOT_DB (-db) is empty")
	}
	return db, rest[0], nil
}

// runBackup is "wijkbot backup FILE": a consistent copy of the database,
// safe while the bot runs (storage.DB.Backup). It never overwrites a file.
func runBackup(ctx context.Context, args []string, dbPath string, stdout io.Writer) error {
	dbPath, file, err := parseDBArgs(cmdBackup, args, dbPath)
	if err != nil {
		return err
	}
	db, err := openExisting(ctx, cmdBackup, dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, file); err != nil {
		return err
	}
	size := int64(0)
	if fi, err := os.Stat(file); err == nil {
		size = fi.Size()
	}
	fmt.Fprintf(stdout, "backup of %s written to %s (%d bytes)\n", dbPath, file, size)
	return nil
}

// runRestore is "wijkbot restore BACKUP": it checks the backup and puts it
// in place of the database (storage.Restore). The bot and any console must be
// stopped first (storage.Restore refuses otherwise): a process with the file
// open would keep writing to the replaced file.
func runRestore(ctx context.Context, args []string, dbPath string, stdout io.Writer) error {
	dbPath, backup, err := parseDBArgs(cmdRestore, args, dbPath)
	if err != nil {
		return err
	}
	// storage.Restore would say "stat ...: no such file or directory".
	if _, err := os.Stat(backup); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("restore: no backup at %s; the database is unchanged", backup)
	}
	keptAs, err := storage.Restore(ctx, backup, dbPath)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s into %s (integrity check ok)\n", backup, dbPath)
	if keptAs != "" {
		fmt.Fprintf(stdout, "the replaced database is kept as %s; delete it when the restore is confirmed\n", keptAs)
	}
	return nil
}

// openExisting opens the database at path for the subcommand what. Opening
// a missing file would create an empty database, and a typo in WIJKBOT_DB
// (-db) should fail rather than back up or export nothing.
func openExisting(ctx context.Context, what, path string) (*storage.DB, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: no database at %s (WIJKBOT_DB, -db)", what, path)
	}
	return storage.Open(ctx, path)
}

// isDBCommand says whether the first argument is backup or restore, which
// run before (and instead of) the bot's own configuration.
func isDBCommand(args []string) bool {
	return len(args) > 0 && (args[0] == cmdBackup || args[0] == cmdRestore)
}

// runDBCommand runs "backup ..." or "restore ..." (args[0]) and returns the
// exit code. The database is WIJKBOT_DB unless -db says otherwise.
func runDBCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	dbPath := settingValue(getenv, "WIJKBOT_DB")
	run := runBackup
	if args[0] == cmdRestore {
		run = runRestore
	}
	if err := run(ctx, args[1:], dbPath, stdout); errors.Is(err, flag.ErrHelp) {
		// Asked for, so not an error: the usage goes to standard output.
		fmt.Fprintf(stdout, "Usage:\n%s\n%s", backupUsage, dbFlagUsage)
		return 0
	} else if err != nil {
		fmt.Fprintf(stderr, "wijkbot: %v\n\n%s", err, backupUsage)
		return 1
	}
	return 0
}
