//go:build unix

package bot

import (
	"fmt"
	"os"
	"testing"
)

func TestLocalDead(t *testing.T) {
	host, err := os.Hostname()
	if err != nil {
		t.Skip("no host name")
	}
	for _, tc := range []struct {
		holder string
		dead   bool
	}{
		{NewHolder(), false}, // this process
		{fmt.Sprintf("%s:%d:ab", host, os.Getppid()), false}, // alive
		{fmt.Sprintf("%s:%d:ab", host, 1<<30), true},         // no such pid
		{fmt.Sprintf("elders-%s:%d:ab", host, 1<<30), false}, // another machine
		{"a", false},
	} {
		if got := localDead(tc.holder); got != tc.dead {
			t.Errorf("localDead(%q)=%v, want %v", tc.holder, got, tc.dead)
		}
	}
}
