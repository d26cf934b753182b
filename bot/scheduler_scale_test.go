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

// meetingReads is the real store, counting the meetings' answers the
// scheduler reads.
type meetingReads struct {
	SchedulerStore
	answers, chatReads int
	meetings           map[int64]bool // whose answers were read
}

func (c *meetingReads) read(list ...commands.Meeting) {
	for _, m := range list {
		c.answers += len(m.RSVPs)
		if len(m.RSVPs) > 0 {
			c.meetings[m.Number] = true
		}
	}
}

func (c *meetingReads) Meetings(ctx context.Context, from time.Time) ([]commands.Meeting, error) {
	list, err := c.SchedulerStore.Meetings(ctx, from)
	c.read(list...)
	return list, err
}

func (c *meetingReads) Meeting(ctx context.Context, number int64) (*commands.Meeting, error) {
	m, err := c.SchedulerStore.Meeting(ctx, number)
	if m != nil {
		c.read(*m)
	}
	return m, err
}

func (c *meetingReads) ReminderChats(ctx context.Context, number int64) ([]commands.Chat, error) {
	c.chatReads++
	c.meetings[number] = true
	return c.SchedulerStore.ReminderChats(ctx, number)
}

// An idle run reads no meeting's answers: not those of the many past
// meetings, nor those of meetings whose reminder is not due yet. Only a
// meeting within ReminderBefore of its start has its answers read (its
// reminder names who comes). The storage side (an index range of the
// meetings due, nothing of the others) is TestMeetingRemindersDuePlan.
func TestIdleRunReadsNoMeetingAnswers(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	f := newSchedFixture(t, start)
	e := f.process()
	f.collective(e.db, "Noord", 1)
	f.staffChat(e.db)
	meeting := func(at time.Time) int64 {
		m := &commands.Meeting{Title: "Netwerkavond", StartsAt: at}
		if err := e.db.CreateMeeting(ctx, "", m, user); err != nil {
			t.Fatal(err)
		}
		rsvp(t, e, m.Number, "Noord-1", "11", commands.RSVPYes)
		rsvp(t, e, m.Number, "Noord-1", "12", commands.RSVPMaybe)
		return m.Number
	}
	// 40 meetings in the coming hours, reminded at once and then past.
	for i := range 40 {
		meeting(start.Add(time.Duration(i+1) * time.Minute))
	}
	f.run(e, start)
	if got := len(f.sender.find("Noord-1", reminderMark)); got != 40 {
		t.Fatalf("%d reminders, want 40", got)
	}
	f.run(e, start.Add(2*time.Hour)) // the past meetings' reminders end
	// Two meetings next month: answered, not due.
	later := start.AddDate(0, 1, 0)
	first, second := meeting(later), meeting(later.Add(48*time.Hour))

	counter := &meetingReads{SchedulerStore: e.db, meetings: map[int64]bool{}}
	e.sched.Store = counter
	f.run(e, start.Add(2*time.Hour+time.Minute))
	f.run(e, start.AddDate(0, 0, 14))
	if counter.answers != 0 || counter.chatReads != 0 {
		t.Fatalf("idle runs read %d answers and the reminder chats of %d meetings, want none", counter.answers, counter.chatReads)
	}
	// The first is due: its reminder goes out, and only its answers are read.
	f.run(e, later.Add(-commands.ReminderBefore))
	f.run(e, later.Add(-commands.ReminderBefore+time.Minute))
	if got := len(f.sender.find("Noord-1", reminderMark)); got != 41 {
		t.Fatalf("%d reminders, want 41", got)
	}
	if !counter.meetings[first] || len(counter.meetings) != 1 {
		t.Errorf("read the answers of meetings %v, want only B%d's (not B%d's)", counter.meetings, first, second)
	}
}

// collectiveReads is the real store, counting every read the scheduler
// makes about one collective's round: where its rounds stand, its answers,
// whether its reminder was sent.
type collectiveReads struct {
	SchedulerStore
	reads int
}

func (c *collectiveReads) LastRoundAt(ctx context.Context, id int64) (time.Time, error) {
	c.reads++
	return c.SchedulerStore.LastRoundAt(ctx, id)
}

func (c *collectiveReads) LatestRound(ctx context.Context, id int64) (*commands.Round, error) {
	c.reads++
	return c.SchedulerStore.LatestRound(ctx, id)
}

func (c *collectiveReads) CheckinAnswers(ctx context.Context, roundID int64) ([]commands.CheckinAnswer, error) {
	c.reads++
	return c.SchedulerStore.CheckinAnswers(ctx, roundID)
}

func (c *collectiveReads) SendStatus(ctx context.Context, key string) (string, error) {
	c.reads++
	return c.SchedulerStore.SendStatus(ctx, key)
}

// From the moment the week's rounds are due a reminder (NudgeAfter) until
// the next round, every tick used to ask of each collective whether a
// later round exists, read its round's answers and whether it was
// reminded: at 10,000 collectives 30,000 reads a minute, five days a
// week (the figures' tick is Monday afternoon, before any of it). The
// marks now say which rounds were answered or reminded, so those ticks
// read nothing collective by collective either.
func TestIdleTickAfterRemindersReadsNoCollectiveAlone(t *testing.T) {
	ctx := context.Background()
	f := newSchedFixture(t, time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC))
	e := f.process()
	var all []*commands.Collective
	for i := range 20 {
		all = append(all, f.collective(e.db, "Wijk"+string(commands.CodeAlphabet[i]), 1))
	}
	f.staffChat(e.db)
	f.run(e, f.local(2026, 11, 30, 10, 0)) // Monday's rounds
	for _, c := range all[:12] {
		r, err := e.db.LatestRound(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.db.AddCheckinAnswer(ctx, "", r.ID, "Goed bezig", user); err != nil {
			t.Fatal(err)
		}
	}
	f.run(e, f.local(2026, 12, 2, 10, 0)) // Wednesday: the 8 unanswered are reminded
	if got := len(f.sender.find("", nudgeMark)); got != 8 {
		t.Fatalf("%d reminders, want 8", got)
	}
	counter := &collectiveReads{SchedulerStore: e.db}
	e.sched.Store = counter
	for _, at := range []time.Time{f.local(2026, 12, 2, 10, 1), f.local(2026, 12, 3, 15, 0), f.local(2026, 12, 6, 22, 0)} {
		f.run(e, at)
	}
	if counter.reads != 0 {
		t.Errorf("idle ticks after the reminders read %d times collective by collective, want 0", counter.reads)
	}
	if got := len(f.sender.find("", nudgeMark)); got != 8 {
		t.Errorf("%d reminders after the idle ticks, want still 8", got)
	}
	// Next Monday's rounds go out as before.
	f.run(e, f.local(2026, 12, 7, 10, 0))
	if got := len(f.sender.find("", checkinMark)); got != 40 {
		t.Errorf("%d check-ins after two Mondays, want 40", got)
	}
}

// reminderWork is meetingReads also counting the deliveries begun (each a
// write through the committer).
type reminderWork struct {
	meetingReads
	begun int
}

func (c *reminderWork) BeginDelivery(ctx context.Context, owner string, roundID int64, chat commands.ChatRef, max int) (bool, error) {
	c.begun++
	return c.meetingReads.SchedulerStore.BeginDelivery(ctx, owner, roundID, chat, max)
}

// A reminder stays claimed for the day before its meeting, so that a chat
// whose first yes comes later gets one too. Those minutes read the
// meeting's answers and begin a delivery (a write) to every chat already
// reminded only when a chat is still waiting for its reminder: 1,440
// times a day for each chat of a network meeting before.
func TestClaimedReminderIdleMinutes(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	f := newSchedFixture(t, start)
	e := f.process()
	for _, name := range []string{"Noord", "Zuid", "Oost"} {
		f.collective(e.db, name, 1)
	}
	m := &commands.Meeting{Title: "Netwerkavond", StartsAt: start.Add(30 * time.Hour)}
	if err := e.db.CreateMeeting(ctx, "", m, user); err != nil {
		t.Fatal(err)
	}
	rsvp(t, e, m.Number, "Noord-1", "11", commands.RSVPYes)
	rsvp(t, e, m.Number, "Zuid-1", "12", commands.RSVPMaybe)
	due := m.StartsAt.Add(-commands.ReminderBefore)
	f.run(e, due)
	if got := len(f.sender.find("", reminderMark)); got != 2 {
		t.Fatalf("%d reminders, want 2", got)
	}
	work := &reminderWork{meetingReads: meetingReads{SchedulerStore: e.db, meetings: map[int64]bool{}}}
	e.sched.Store = work
	for i := 1; i <= 5; i++ {
		f.run(e, due.Add(time.Duration(i)*time.Minute))
	}
	if work.answers != 0 || work.begun != 0 {
		t.Errorf("idle minutes of a claimed reminder read %d answers and began %d deliveries, want none", work.answers, work.begun)
	}
	// Oost says yes: the next minute reminds Oost, and only Oost.
	rsvp(t, e, m.Number, "Oost-1", "13", commands.RSVPYes)
	f.run(e, due.Add(time.Hour))
	if got := len(f.sender.find("Oost-1", reminderMark)); got != 1 {
		t.Errorf("Oost got %d reminders after its yes, want 1", got)
	}
	if got := len(f.sender.find("", reminderMark)); got != 3 {
		t.Errorf("%d reminders in all, want 3", got)
	}
	if work.begun != 1 {
		t.Errorf("began %d deliveries for Oost's reminder, want 1", work.begun)
	}
	// At the start the reminder is finished, and no later minute reads it.
	f.run(e, m.StartsAt)
	answers, begun := work.answers, work.begun
	f.run(e, m.StartsAt.Add(time.Minute))
	if work.answers != answers || work.begun != begun {
		t.Errorf("a minute after the start read %d answers and began %d deliveries", work.answers-answers, work.begun-begun)
	}
}
