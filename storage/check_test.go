package storage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// newCheckedDB makes a sound database with a few pages of rows to damage
// and returns its path, closed.
func newCheckedDB(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wijkbot.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 { // a few pages of rows to damage
		if err := db.SetState(ctx, "rij-"+time.Duration(i).String(), "een waarde die ruimte inneemt, een waarde die ruimte inneemt"); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Check(ctx); err != nil {
		t.Fatalf("Check of a sound database: %v", err)
	}
	db.Close()
	return path
}

// patchFile writes b into the file at path at offset off.
func patchFile(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

// makeReadOnly marks the file read-only in its header (write version 3),
// which holds also for root.
func makeReadOnly(t *testing.T, path string) { patchFile(t, path, 18, []byte{3}) }

// damageLastPage overwrites the file's last page with garbage: a page of
// the rows newCheckedDB wrote, which opening the file does not read.
func damageLastPage(t *testing.T, path string) {
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(i * 7)
	}
	patchFile(t, path, fi.Size()-4096, garbage)
}

// A damaged or read-only database is found by Check, with a message that
// says what is wrong (issue 16, item 11).
func TestCheckFindsUnusableDatabase(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		harm func(t *testing.T, path string)
		want string
	}{
		{"read-only", makeReadOnly, "takes no writes"},
		{"damaged", damageLastPage, "damaged"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := newCheckedDB(t)
			tc.harm(t, path)
			db, err := Open(ctx, path)
			if err != nil {
				t.Logf("Open refuses it already: %v", err)
				return
			}
			defer db.Close()
			err = db.Check(ctx)
			if !errors.Is(err, ErrUnusable) {
				t.Fatalf("Check: %v, want ErrUnusable", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Check: %v, want it to say %q", err, tc.want)
			}
		})
	}
}

// The two halves of Check as the bot runs them (issue 15, item 7): the
// cheap CheckWritable before start finds a read-only file; Verify after
// start finds damage in a page that opening the file does not read, and
// Health reports that damage from then on, although writes still work.
func TestCheckHalves(t *testing.T) {
	ctx := context.Background()
	t.Run("read-only", func(t *testing.T) {
		path := newCheckedDB(t)
		makeReadOnly(t, path)
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		err = db.CheckWritable(ctx)
		if !errors.Is(err, ErrUnusable) || !strings.Contains(err.Error(), "takes no writes") {
			t.Fatalf("CheckWritable: %v, want ErrUnusable saying it takes no writes", err)
		}
	})
	t.Run("damaged", func(t *testing.T) {
		path := newCheckedDB(t)
		damageLastPage(t, path)
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("Open: %v (the damage is meant to be in a page Open does not read)", err)
		}
		defer db.Close()
		if err := db.Health(ctx); err != nil {
			t.Fatalf("Health before Verify: %v (nothing found yet, writes work)", err)
		}
		err = db.Verify(ctx)
		if !errors.Is(err, ErrUnusable) || !strings.Contains(err.Error(), "damaged") {
			t.Fatalf("Verify: %v, want ErrUnusable saying the file is damaged", err)
		}
		if err := db.Probe(ctx); err != nil {
			t.Fatalf("Probe: %v (writes to the sound pages still work)", err)
		}
		if err := db.Health(ctx); !errors.Is(err, ErrUnusable) || !strings.Contains(err.Error(), "damaged") {
			t.Fatalf("Health after Verify found damage: %v, want the damage", err)
		}
	})
	t.Run("sound", func(t *testing.T) {
		db, err := Open(ctx, newCheckedDB(t))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Verify(ctx); err != nil {
			t.Fatalf("Verify of a sound database: %v", err)
		}
		if err := db.Health(ctx); err != nil {
			t.Fatalf("Health of a sound database: %v", err)
		}
	})
	t.Run("interrupted", func(t *testing.T) {
		path := newCheckedDB(t)
		damageLastPage(t, path)
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := db.Verify(cctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("Verify with a cancelled context: %v, want context.Canceled", err)
		}
		if err := db.Health(ctx); err != nil {
			t.Fatalf("Health after an interrupted Verify: %v, want nil (an interruption is no damage)", err)
		}
	})
}
