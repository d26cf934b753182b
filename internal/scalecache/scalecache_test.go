package scalecache

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Copy hands out a private copy (the cached file is never written), with
// the same bytes, readable by the owner only.
func TestCopy(t *testing.T) {
	src := filepath.Join(t.TempDir(), Name(10, 1))
	want := []byte("SQLite format 3\x00 and the rest")
	if err := os.WriteFile(src, want, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("WIJKBOT_SCALE_DB", src)
	dst := Copy(t, 10, 1)
	if dst == src {
		t.Fatal("Copy returned the cached file itself")
	}
	got, err := os.ReadFile(dst)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("copy holds %q (%v), want %q", got, err, want)
	}
	if st, err := os.Stat(dst); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("copy's mode %v (%v), want 0600", st.Mode().Perm(), err)
	}
}

// TestPrune removes the databases of other versions, with their side
// files, and nothing else: this version's files and files that are not
// scale databases stay.
func TestPrune(t *testing.T) {
	dir := t.TempDir()
	old := fmt.Sprintf("scale-v%d-10-1y.db", Version-1)
	files := map[string]bool{ // name: removed
		old:                   true,
		old + "-wal":          true,
		old + "-wijkbot.lock": true,
		fmt.Sprintf("scale-v%d-10000-1y.db", Version+1): true,
		Name(10, 1):                   false,
		Name(10, 1) + "-wijkbot.lock": false,
		"notes.txt":                   false,
		"scale-vX.db":                 false,
	}
	for name := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("12345"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	removed, size, err := Prune(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 4 || size != 20 {
		t.Fatalf("removed %v (%d bytes), want the 4 files of other versions (20 bytes)", removed, size)
	}
	for name, gone := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if gone != os.IsNotExist(err) {
			t.Errorf("%s: removed %v, want %v", name, os.IsNotExist(err), gone)
		}
	}
	if removed, _, err := Prune(filepath.Join(dir, "absent")); err != nil || len(removed) != 0 {
		t.Fatalf("an absent folder: %v, %v", removed, err)
	}
}
