package storage

import "github.com/wijkbv/wijkbot/commands"

// peopleCache keeps the people row (id and name) of the authors of recent
// writes, so that a write by a known person need not look them up: nearly
// every write begins with upsertPerson, inside the committer's transaction,
// where one goroutine does all the writes of the process one after another
// (the look-up was a sixth of a /voortgang's write).
//
// Only the committer's goroutine uses it, inside a write transaction, so it
// needs no lock, and what it holds is what is committed:
//   - upsertPerson notes what it read or wrote in the write's own list
//     (writeReq.people); the committer adds those to the cache only after
//     the transaction committed, for the writes that succeeded, so nothing
//     rolled back ever gets in. A person upsertPerson creates or renames
//     leaves the cache at once, so a later write in the same transaction
//     does not find the old name.
//   - A write not submitted with writeKeepCaches may change people in any
//     way (/vergeetmij deletes them): the cache is emptied before it runs
//     and again when its transaction ends.
//   - A commit of another connection (another process on the same file) is
//     noticed when the transaction begins (committer.noticeOthers), while
//     this one holds the write lock, and empties it.
type peopleCache map[personKey]author

// personKey is a person as the platforms name them.
type personKey struct{ platform, id string }

// maxCachedPeople bounds the cache; when full it starts again empty.
const maxCachedPeople = 4096

func keyOf(u commands.UserRef) personKey { return personKey{u.Platform, u.ID} }

// notedPerson is a people row upsertPerson saw in a write's transaction.
type notedPerson struct {
	key personKey
	who author
}
