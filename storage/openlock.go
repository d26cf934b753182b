package storage

import (
	"errors"
	"fmt"
	"strings"
)

// Every process that opens the database with Open (the bot, the console,
// a standby, a backup or an export) holds a shared lock on a file beside
// it, <db>-wijkbot.lock, until it closes the database; Restore takes that
// lock exclusively. So a restore refuses while any of them has the file
// open (SQLite itself cannot say so, and the run lease names only the
// process that runs the platforms, not a console on the same file), and
// no process opens the database while a restore puts another file in its
// place. The lock is the kernel's (flock): it goes with the process,
// also when it is killed, and the file itself is never removed (a holder
// of a removed file would lock nothing). Where the system has no flock
// (not unix), only the lease is checked.

// lockSuffix names the lock file beside the database.
const lockSuffix = "-wijkbot.lock"

// ErrRestoring is what Open returns while `wijkbot restore` replaces the
// database: opening it then would read the file being replaced.
var ErrRestoring = errors.New("wijkbot restore vervangt deze database nu; start opnieuw als het herstel klaar is " +
	"(wijkbot restore is replacing this database; start again when it is done)")

// InUseError is Restore's refusal while other processes have the database
// open. Its message is Dutch, then English on a line of its own, as the
// command line shows it.
type InUseError struct {
	Path string
	// Holders describes the processes holding the database open
	// ("pid 1234: wijkbot console"), where the system says (Linux).
	Holders []string
}

func (e *InUseError) Error() string {
	nlWho, enWho := "welk proces zegt dit systeem niet", "this system does not say which"
	if len(e.Holders) > 0 {
		nlWho = strings.Join(e.Holders, "; ")
		enWho = nlWho
	}
	return fmt.Sprintf("herstel geweigerd: de database %s is open in een ander proces (%s). "+
		"Stop dat eerst: de bot (wijkbot run, ook een reserve), de console (:quit of Ctrl-D), "+
		"of een wijkbot backup of export die nog loopt; herstel daarna opnieuw. Er is niets veranderd.\n"+
		"restore refused: the database %s is open in another process (%s). "+
		"Stop it first: the bot (wijkbot run, a standby too), the console (:quit or Ctrl-D), "+
		"or a wijkbot backup or export still running; then restore again. Nothing was changed.",
		e.Path, nlWho, e.Path, enWho)
}
