//go:build unix

package storage

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// openLockFile opens the lock file of the database at path: to write,
// creating it (where flock is emulated with POSIX locks, as on NFS, an
// exclusive lock needs that), or else to read an existing one.
func openLockFile(path string, create bool) (*os.File, error) {
	flags := os.O_RDONLY | oNoFollow
	if create {
		flags = os.O_RDWR | os.O_CREATE | oNoFollow
	}
	return os.OpenFile(path+lockSuffix, flags, privateMode)
}

// lockShared takes the shared lock Open holds (see openlock.go). A lock
// file that cannot be created (a read-only folder) is no reason not to
// open the database: then it is not locked (nil, nil), as before the lock.
// Returns ErrRestoring while a restore holds the lock.
func lockShared(path string) (*os.File, error) {
	f, err := openLockFile(path, true)
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
		if f, err = openLockFile(path, false); err != nil {
			return nil, nil
		}
	} else if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path+lockSuffix, err)
	}
	if err := flock(f, syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrRestoring
		}
		return nil, fmt.Errorf("lock %s: %w", path+lockSuffix, err)
	}
	return f, nil
}

// lockExclusive takes the lock Restore holds while it replaces the
// database. Returns an *InUseError while any process has it open.
func lockExclusive(path string) (*os.File, error) {
	f, err := openLockFile(path, true)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path+lockSuffix, err)
	}
	if err := flock(f, syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holders := lockHolders(f)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &InUseError{Path: path, Holders: holders}
		}
		return nil, fmt.Errorf("lock %s: %w", path+lockSuffix, err)
	}
	return f, nil
}

func flock(f *os.File, how int) error {
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if err != syscall.EINTR {
			return err
		}
	}
}

// lockHolders names the processes holding a lock on the file f, from
// Linux's /proc/locks ("1: FLOCK ADVISORY READ <pid> <maj>:<min>:<inode>
// 0 EOF") and each one's command line; nil where there is no /proc/locks.
func lockHolders(f *os.File) []string {
	fi, err := f.Stat()
	if err != nil {
		return nil
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	dev := uint64(st.Dev)
	// Linux's encoding of a device number (glibc's gnu_dev_major/minor).
	major := (dev>>8)&0xfff | (dev>>32)&^uint64(0xfff)
	minor := dev&0xff | (dev>>12)&^uint64(0xff)
	id := fmt.Sprintf("%02x:%02x:%d", major, minor, uint64(st.Ino))
	locks, err := os.ReadFile("/proc/locks")
	if err != nil {
		return nil
	}
	var holders []string
	seen := map[string]bool{}
	for _, line := range strings.Split(string(locks), "\n") {
		fields := strings.Fields(line)
		// A waiting lock is shown as "->": it holds nothing.
		if len(fields) < 6 || fields[1] == "->" || fields[1] != "FLOCK" || fields[5] != id {
			continue
		}
		pid := fields[4]
		if seen[pid] {
			continue
		}
		seen[pid] = true
		holders = append(holders, "pid "+pid+commandOf(pid))
	}
	return holders
}

// commandOf is ": " and the command line of the process pid, at most 80
// characters, or "" if it cannot be read.
func commandOf(pid string) string {
	if _, err := strconv.Atoi(pid); err != nil {
		return ""
	}
	b, err := os.ReadFile("/proc/" + pid + "/cmdline")
	if err != nil || len(b) == 0 {
		return ""
	}
	cmd := strings.TrimSpace(string(bytes.ReplaceAll(bytes.TrimRight(b, "\x00"), []byte{0}, []byte{' '})))
	if r := []rune(cmd); len(r) > 80 {
		cmd = string(r[:79]) + "…"
	}
	return ": " + cmd
}
