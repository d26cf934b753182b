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

// A damaged or read-only database is found by Check, with a message that
// says what is wrong (issue 16, item 11). The read-only file is made so by
// its header (write version 3), which holds also for root.
func TestCheckFindsUnusableDatabase(t *testing.T) {
	ctx := context.Background()
	newDB := func(t *testing.T) string {
		t.Helper()
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
	patch := func(t *testing.T, path string, off int64, b []byte) {
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
	for _, tc := range []struct {
		name string
		harm func(t *testing.T, path string)
		want string
	}{
		{"read-only", func(t *testing.T, path string) { patch(t, path, 18, []byte{3}) }, "takes no writes"},
		{"damaged", func(t *testing.T, path string) {
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			garbage := make([]byte, 4096)
			for i := range garbage {
				garbage[i] = byte(i * 7)
			}
			patch(t, path, fi.Size()-4096, garbage) // the last page
		}, "damaged"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := newDB(t)
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
