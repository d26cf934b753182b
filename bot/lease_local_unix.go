//go:build unix

package bot

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// localDead reports whether holder (NewHolder's "host:pid:random") is a
// process of this machine that no longer exists. Anything else (another
// host, a pid that exists, possibly reused, a name of another shape) is not
// known dead: then the lease's expiry decides.
func localDead(holder string) bool {
	parts := strings.Split(holder, ":")
	if len(parts) != 3 {
		return false
	}
	host, err := os.Hostname()
	if err != nil || host == "" || parts[0] != host {
		return false
	}
	pid, err := strconv.Atoi(parts[1])
	if err != nil || pid <= 0 || pid == os.Getpid() {
		return false
	}
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
