// Package scalecache names the scale databases wijkbench generates and
// keeps in the user's cache folder between runs (internal/bench makes
// them), and gives benchmarks elsewhere a private copy of one. It imports
// nothing of the bot, so the storage package's own benchmarks can use it
// (internal/bench imports storage).
package scalecache

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Version changes whenever the generated history changes, so a cached
// database of another shape is not reused.
const Version = 2

// Dir is the default folder of the cached databases: wijkbench in the
// user's cache folder (the temporary folder when there is none).
func Dir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "wijkbench")
}

// Name is the file name of the database of collectives with years of
// history each.
func Name(collectives, years int) string {
	return fmt.Sprintf("scale-v%d-%d-%dy.db", Version, collectives, years)
}

// Prune removes from dir the databases of other versions than Version
// (with their log, shared memory and lock files), which no wijkbench of
// this version reads again: after the history changed shape the old files
// stayed, 700 MiB of them. It returns the names removed and their size in bytes.
// A file a process still has open is removed all the same: the copies a
// run measures are its own (CopyFile), never the cached file.
func Prune(dir string) (removed []string, size int64, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, 0, nil
		}
		return nil, 0, err
	}
	current := fmt.Sprintf("scale-v%d-", Version)
	for _, e := range entries {
		name := e.Name()
		var v int
		if _, scanErr := fmt.Sscanf(name, "scale-v%d-", &v); scanErr != nil || strings.HasPrefix(name, current) || e.IsDir() {
			continue
		}
		if info, err := e.Info(); err == nil {
			size += info.Size()
		}
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !os.IsNotExist(err) {
			return removed, size, err
		}
		removed = append(removed, name)
	}
	return removed, size, nil
}

// CopyFile copies src to dst (a scale database to a run's folder) and
// syncs the copy: otherwise the first fsync of the database file in the
// measurement (a checkpoint's) wrote the whole fresh copy out first, 430
// MiB at 10,000 collectives, a cost no running bot pays and one that fell
// on whichever command was waiting then.
func CopyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Copy returns the path of a private copy, in tb's temporary folder, of
// the cached database of collectives with years of history
// (WIJKBOT_SCALE_DB names another file). It skips tb, saying how to make
// the file, when the file is absent: a benchmark at 10,000 collectives
// needs wijkbench's generated history.
func Copy(tb testing.TB, collectives, years int) string {
	tb.Helper()
	src := os.Getenv("WIJKBOT_SCALE_DB")
	if src == "" {
		src = filepath.Join(Dir(), Name(collectives, years))
	}
	if _, err := os.Stat(src); err != nil {
		tb.Skipf("no scale database (%v): run `go run ./cmd/wijkbench -only scale` first, or set WIJKBOT_SCALE_DB", err)
	}
	dst := filepath.Join(tb.TempDir(), "scale.db")
	if err := CopyFile(dst, src); err != nil {
		tb.Fatal(err)
	}
	return dst
}
