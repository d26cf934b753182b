package bench

import (
	"fmt"
	"os"
	"sync"
	"testing"
)

// TB lets the fake platform servers of telegramtest and discordtest, which
// are written for tests, run inside the wijkbench command. It implements
// the few testing.TB methods they use; a fatal call panics with a *Failure,
// which the scenario that started the fake recovers as its error. Any other
// testing.TB method panics: it would be a fake needing more than a
// benchmark offers.
type TB struct {
	testing.TB // never set: only there to satisfy testing.TB's private method

	name string
	mu   sync.Mutex
	ups  []func()
	dir  string
	fail bool
}

// Failure is what a fake's fatal call panics with.
type Failure struct{ Msg string }

func (f *Failure) Error() string { return f.Msg }

// NewTB returns a TB named name; call Close to run its cleanups.
func NewTB(name string) *TB { return &TB{name: name} }

// Close runs the registered cleanups, last first, and removes TempDir.
func (t *TB) Close() {
	t.mu.Lock()
	ups := t.ups
	t.ups = nil
	t.mu.Unlock()
	for i := len(ups) - 1; i >= 0; i-- {
		ups[i]()
	}
	if t.dir != "" {
		os.RemoveAll(t.dir)
	}
}

func (t *TB) Cleanup(f func())    { t.mu.Lock(); t.ups = append(t.ups, f); t.mu.Unlock() }
func (t *TB) Helper()             {}
func (t *TB) Name() string        { return t.name }
func (t *TB) Failed() bool        { t.mu.Lock(); defer t.mu.Unlock(); return t.fail }
func (t *TB) Log(args ...any)     {}
func (t *TB) Logf(string, ...any) {}
func (t *TB) Error(args ...any)   { t.Errorf("%s", fmt.Sprint(args...)) }
func (t *TB) Errorf(format string, args ...any) {
	t.mu.Lock()
	t.fail = true
	t.mu.Unlock()
	fmt.Fprintf(os.Stderr, "%s: %s\n", t.name, fmt.Sprintf(format, args...))
}
func (t *TB) Fatal(args ...any) { t.Fatalf("%s", fmt.Sprint(args...)) }
func (t *TB) Fatalf(format string, args ...any) {
	t.mu.Lock()
	t.fail = true
	t.mu.Unlock()
	panic(&Failure{Msg: t.name + ": " + fmt.Sprintf(format, args...)})
}
func (t *TB) FailNow() { t.Fatalf("failed") }
func (t *TB) Fail()    { t.mu.Lock(); t.fail = true; t.mu.Unlock() }

// TempDir is one temporary directory per TB, removed by Close.
func (t *TB) TempDir() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dir == "" {
		d, err := os.MkdirTemp("", "wijkbench-")
		if err != nil {
			panic(&Failure{Msg: err.Error()})
		}
		t.dir = d
	}
	return t.dir
}

// recoverFailure turns a fake's fatal panic into *err.
func recoverFailure(err *error) {
	if p := recover(); p != nil {
		if f, ok := p.(*Failure); ok {
			*err = f
			return
		}
		panic(p)
	}
}
