// Package dbfiles reads a SQLite database's files as plain bytes, for the
// tests that prove erased or expired data is gone from disk: the database
// file and its write-ahead log, where old page images outlive a DELETE
// until a checkpoint empties the log.
package dbfiles

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"testing"
)

// Contain reports whether the database file at path, or its -wal, holds s
// anywhere in its bytes. A missing -wal holds nothing; a file that cannot
// be read fails the test.
func Contain(t testing.TB, path, s string) bool {
	t.Helper()
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(s)) {
			return true
		}
	}
	return false
}
