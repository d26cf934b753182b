package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// "wijkbot backup -help" and "restore -h" print the usage to standard
// output and succeed, as "wijkbot -help" does (issue 16, item 13).
func TestBackupHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{{"backup", "-help"}, {"restore", "-h"}, {"backup", "x.db", "--help"}} {
		var stdout, stderr bytes.Buffer
		environ := func(string) string { return "" }
		if code := runDBCommand(context.Background(), args, environ, &stdout, &stderr); code != 0 {
			t.Errorf("%q: exit %d, want 0; stderr %q", args, code, stderr.String())
		}
		if !strings.Contains(stdout.String(), "wijkbot backup FILE") || !strings.Contains(stdout.String(), "-db") {
			t.Errorf("%q: stdout %q lacks the usage", args, stdout.String())
		}
		if stderr.Len() != 0 {
			t.Errorf("%q: stderr %q, want nothing", args, stderr.String())
		}
	}
}
