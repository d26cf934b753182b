package bot

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// readCounter is the real store, counting the reads the scheduler makes
// for one collective at a time.
type readCounter struct {
	SchedulerStore
	mu    sync.Mutex
	reads int
}

func (c *readCounter) count() {
	c.mu.Lock()
	c.reads++
	c.mu.Unlock()
}

func (c *readCounter) LastRoundAt(ctx context.Context, id int64) (time.Time, error) {
	c.count()
	return c.SchedulerStore.LastRoundAt(ctx, id)
}

func (c *readCounter) LatestRound(ctx context.Context, id int64) (*commands.Round, error) {
	c.count()
	return c.SchedulerStore.LatestRound(ctx, id)
}

// An idle tick reads where every collective's rounds stand at once, not
// collective by collective (issue 15: at 10,000 collectives those reads
// cost 0.5 s every minute); a tick with work reads only for that work.
func TestIdleTickReadsNoCollectiveAlone(t *testing.T) {
	f := newSchedFixture(t, time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC))
	e := f.process()
	for i := range 20 {
		f.collective(e.db, "Wijk"+string(commands.CodeAlphabet[i]), 1)
	}
	f.staffChat(e.db)
	f.run(e, f.local(2026, 11, 30, 10, 0)) // Monday's rounds
	if got := len(f.sender.find("", checkinMark)); got != 20 {
		t.Fatalf("%d check-ins posted, want 20", got)
	}
	counter := &readCounter{SchedulerStore: e.db}
	e.sched.Store = counter
	f.run(e, f.local(2026, 11, 30, 10, 1))
	f.run(e, f.local(2026, 11, 30, 15, 0))
	if counter.reads != 0 {
		t.Errorf("idle ticks read rounds collective by collective %d times, want 0", counter.reads)
	}
	// Wednesday: the unanswered rounds are due a reminder, each found
	// from the marks and checked once more before it is claimed and sent.
	f.run(e, f.local(2026, 12, 2, 10, 0))
	if got := len(f.sender.find("", nudgeMark)); got != 20 {
		t.Errorf("%d reminders, want 20", got)
	}
	if counter.reads > 3*20 {
		t.Errorf("the reminders' tick read rounds %d times for 20 collectives", counter.reads)
	}
}
