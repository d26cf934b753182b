//go:build !unix

package storage

// oNoFollow is 0 where the system has no O_NOFOLLOW; O_EXCL still refuses
// an existing name, a symlink included.
const oNoFollow = 0
