package scalecache

import (
	"bytes"
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
