package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// privateMode is the mode of every file that holds personal data: the
// database, its -wal and -shm, backups and the copies restore keeps. Only
// the bot's own user may read them, whatever the umask.
const privateMode fs.FileMode = 0o600

// dbSuffixes are the files of one SQLite database in WAL mode.
var dbSuffixes = []string{"", "-wal", "-shm"}

// makePrivate creates the database file at path if it is missing, with
// privateMode, and narrows an existing one (and its -wal and -shm) to it.
// SQLite creates a -wal and -shm with the mode of the database file, so the
// file's mode is what keeps them private too; creating the file ourselves
// keeps the umask out of it (SQLite's default is 0644).
func makePrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, privateMode)
	if err != nil {
		return err
	}
	f.Close()
	for _, suffix := range dbSuffixes {
		if err := chmodPrivate(path + suffix); err != nil {
			return err
		}
	}
	return nil
}

// chmodPrivate gives the file at path privateMode if it is more open than
// that; a missing file is fine.
func chmodPrivate(path string) error {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	if fi.Mode().Perm()&^privateMode == 0 {
		return nil
	}
	if err := os.Chmod(path, privateMode); err != nil {
		return fmt.Errorf("%s is readable by others (%v) and cannot be made private: %w", path, fi.Mode().Perm(), err)
	}
	return nil
}
