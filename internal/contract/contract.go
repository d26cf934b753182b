// Package contract keeps the tally the test fakes of both platforms keep of
// the requests they held against a platform's published specification: how
// many were checked and how each departed from it.
package contract

import (
	"fmt"
	"sync"
	"testing"
)

// Ledger records checked requests and their violations; it is safe for
// concurrent use by a fake's handlers. The zero value is ready to use.
type Ledger[V fmt.Stringer] struct {
	mu         sync.Mutex
	checked    int
	violations []V
}

// Record counts one checked request and keeps its violations.
func (l *Ledger[V]) Record(v []V) {
	l.mu.Lock()
	l.checked++
	l.violations = append(l.violations, v...)
	l.mu.Unlock()
}

// Violations returns the violations recorded so far.
func (l *Ledger[V]) Violations() []V {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]V(nil), l.violations...)
}

// Take returns the violations recorded so far and forgets them, for a test
// that sends wrong requests on purpose.
func (l *Ledger[V]) Take() []V {
	l.mu.Lock()
	defer l.mu.Unlock()
	v := l.violations
	l.violations = nil
	return v
}

// Checked is the number of requests held against the specification.
func (l *Ledger[V]) Checked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.checked
}

// FailOn fails t for every violation recorded, naming the fake and the
// specification. A fake registers it as its first cleanup, so it runs last,
// after the bot has stopped sending.
func (l *Ledger[V]) FailOn(t testing.TB, fake, spec string) {
	t.Helper()
	violations := l.Violations()
	t.Logf("%s: %d requests checked against the %s specification, %d violations", fake, l.Checked(), spec, len(violations))
	for _, v := range violations {
		t.Errorf("%s: request departs from the %s specification: %s", fake, spec, v)
	}
}
