//go:build !unix

package storage

import "os"

// lockShared takes no lock where the system has no flock: Restore then
// checks only the run lease.
func lockShared(string) (*os.File, error) { return nil, nil }

// lockExclusive takes no lock where the system has no flock.
func lockExclusive(string) (*os.File, error) { return nil, nil }
