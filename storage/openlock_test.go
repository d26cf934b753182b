//go:build unix

package storage

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// While a restore holds the lock beside the database, Open refuses at once
// and leaves no file behind (an empty database created meanwhile would be
// in the way of the restored one); afterwards it opens. A database open in
// this process keeps a restore's lock from being taken, and the refusal
// names this process where the system says.
func TestOpenWhileRestoring(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wijkbot.db")
	lock, err := lockExclusive(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, path); !errors.Is(err, ErrRestoring) {
		t.Fatalf("Open during a restore: %v, want ErrRestoring", err)
	}
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Open during a restore left %s (%v)", path, err)
	}
	closeLock(lock)

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open after the restore: %v", err)
	}
	_, err = lockExclusive(path)
	var inUse *InUseError
	if !errors.As(err, &inUse) || inUse.Path != path {
		t.Fatalf("restore lock with the database open: %v, want an InUseError", err)
	}
	if _, err := os.Stat("/proc/locks"); err == nil {
		if want := fmt.Sprintf("pid %d", os.Getpid()); len(inUse.Holders) != 1 || !strings.HasPrefix(inUse.Holders[0], want) {
			t.Errorf("holders %q, want this process (%s)", inUse.Holders, want)
		}
	}
	db.Close()
	lock, err = lockExclusive(path)
	if err != nil {
		t.Fatalf("restore lock after Close: %v", err)
	}
	closeLock(lock)
}
