package console

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Amsterdam also where the system has no zoneinfo

	"github.com/wijkbv/wijkbot/bot"
	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/storage"
)

var amsterdam = mustLoad("Europe/Amsterdam")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// start is a fixed Monday morning in the programme time zone.
var start = time.Date(2026, time.December, 7, 9, 0, 0, 0, amsterdam)

// fixture is a console on a real database, with a frozen clock.
type fixture struct {
	db    *storage.DB
	rt    *bot.Runtime
	clock *bot.Clock
	dir   string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	db, err := storage.Open(context.Background(), filepath.Join(dir, "wijkbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := &bot.Clock{}
	clock.Freeze(start)
	db.Now = clock.Now
	h := &commands.Handler{Store: db, Now: clock.Now, Location: amsterdam, DefaultLang: commands.NL, DefaultSchedule: "0 10 * * MON"}
	return &fixture{db: db, rt: &bot.Runtime{Handler: h, Store: db}, clock: clock, dir: dir}
}

// run feeds script to a fresh console and returns everything it printed.
func (f *fixture) run(t *testing.T, script string, tick func(context.Context) error) (string, *Console) {
	t.Helper()
	var out strings.Builder
	c := &Console{
		In:       strings.NewReader(script),
		Out:      &out,
		Runtime:  f.rt,
		Clock:    f.clock,
		Tick:     tick,
		ImageDir: filepath.Join(f.dir, "files"),
		Location: amsterdam,
	}
	if err := c.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	f.rt.Wait()
	return out.String(), c
}

func TestStaffChatExistsFromTheStart(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ref := commands.ChatRef{Platform: commands.Console, ID: StaffChat}
	for i := range 2 { // a second start finds it and leaves it alone
		f.run(t, "", nil)
		chat, err := f.db.Chat(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := chat.Kind, commands.ChatStaff; got != want {
			t.Fatalf("start %d: staff chat kind=%q, want %q", i+1, got, want)
		}
		staff, err := f.db.StaffChats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(staff), 1; got != want {
			t.Fatalf("start %d: %d staff chats, want %d", i+1, got, want)
		}
	}
}

func TestDirectives(t *testing.T) {
	f := newFixture(t)
	out, c := f.run(t, strings.Join([]string{
		"# a comment is skipped",
		"",
		":chat Noord Oost",
		":user Bram",
		":staf",
		":user anna",
		":chat",
		":user",
		":bestaatniet",
		"hallo allemaal",
		":help",
		":quit",
		":chat na-quit",
	}, "\n"), nil)
	for _, want := range []string{
		"staf/anna> :chat Noord Oost\n",
		"noord-oost/anna> :user Bram\n",
		"noord-oost/bram> :staf\n",
		"staf/bram> :user anna\n",
		"Geef een naam: :chat noord",
		"Geef een naam: :user bram",
		"Onbekende console-opdracht :bestaatniet. Typ :help",
		"Gewone berichten negeert de bot",
		":klok 2026-12-07T10:00",
		"staf/anna> :quit\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "a comment") || strings.Contains(out, "na-quit") {
		t.Errorf("comment echoed or input read after :quit:\n%s", out)
	}
	if got, want := c.prompt(), "staf/anna> "; got != want {
		t.Errorf("prompt=%q, want %q", got, want)
	}
}

func TestCommandsRunAsCurrentUserInCurrentChat(t *testing.T) {
	f := newFixture(t)
	out, _ := f.run(t, strings.Join([]string{
		"/bestaatniet",
		":user bram",
		"/stafkanaal", // only bot admins; bram is not one
		":chat noord",
		"/voortgang iets", // noord is not linked yet
		"/voortgang@AndereBot iets",
	}, "\n"), nil)
	for _, want := range []string{
		"Onbekend commando /bestaatniet",
		"Alleen een beheerder van de bot (WIJKBOT_ADMINS) mag /stafkanaal gebruiken.",
		"Deze chat is nog niet gekoppeld aan een collectief",
		"(Dit commando is niet voor deze bot.)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestFirstUserIsBotAdmin(t *testing.T) {
	f := newFixture(t)
	out, _ := f.run(t, ":chat noord\n/stafkanaal\n", nil)
	if strings.Contains(out, "Alleen een beheerder") {
		t.Fatalf("%s was refused a bot admin command:\n%s", FirstUser, out)
	}
}

func TestMessagesForOtherChatsArePrefixed(t *testing.T) {
	f := newFixture(t)
	c := &Console{Out: &strings.Builder{}, Runtime: f.rt, ImageDir: filepath.Join(f.dir, "files")}
	out := c.Out.(*strings.Builder)
	c.chat = "noord"
	f.rt.Register(c)
	ctx := context.Background()
	msgs := []commands.Message{
		{Chat: commands.ChatRef{Platform: commands.Console, ID: "noord"}, Text: "hier"},
		{Chat: commands.ChatRef{Platform: commands.Console, ID: "staf"}, Text: "Hulpvraag #1\nregel twee"},
		{Chat: commands.ChatRef{Platform: commands.Console, ID: "staf"}, Text: "Oppakken?", Buttons: []commands.Button{{Label: "Oppakken", Command: commands.CmdClaim, Args: []commands.Arg{{Option: "nummer", Value: "1"}}}}},
		{Chat: commands.ChatRef{Platform: commands.Console, ID: "zuid"}, Text: "Het paneel", Image: &commands.File{Name: "mengpaneel.png", Data: []byte("PNG")}},
		{Chat: commands.ChatRef{Platform: commands.Console, ID: "noord"}, Files: []commands.File{{Name: "../export.csv", Data: []byte("a,b\n")}}},
	}
	for _, m := range msgs {
		if _, err := f.rt.Deliver(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{
		"hier",
		"[staf] Hulpvraag #1",
		"[staf] regel twee",
		"[staf] Oppakken?",
		"[staf]   [Oppakken] /" + commands.CmdClaim + " 1",
		"[zuid] Het paneel",
		"[zuid] (afbeelding: " + filepath.Join(f.dir, "files", "mengpaneel-"),
		"(bestand: " + filepath.Join(f.dir, "files", "export-"),
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i := range want {
		if !strings.HasPrefix(lines[i], want[i]) {
			t.Errorf("line %d=%q, want prefix %q", i, lines[i], want[i])
		}
	}
	// The files are really there, with their contents.
	for i, data := range map[int]string{6: "PNG", 7: "a,b\n"} {
		path := strings.TrimSuffix(lines[i][strings.Index(lines[i], ": ")+2:], ")")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != data {
			t.Errorf("%s holds %q, want %q", path, b, data)
		}
	}
}

// A button that leaves out its text (Beantwoorden) cannot be pressed on
// the console; it shows as the command to type, naming what goes after it.
func TestAskingButtonIsAHint(t *testing.T) {
	f := newFixture(t)
	c := &Console{Out: &strings.Builder{}, Runtime: f.rt, ImageDir: filepath.Join(f.dir, "files")}
	out := c.Out.(*strings.Builder)
	c.chat = "staf"
	f.rt.Register(c)
	nr := []commands.Arg{{Option: "nummer", Value: "1"}}
	m := commands.Message{Chat: commands.ChatRef{Platform: commands.Console, ID: "staf"}, Text: "Hulpvraag #1",
		Buttons: []commands.Button{{Label: "Oppakken", Command: commands.CmdClaim, Args: nr}, {Label: "Beantwoorden", Command: commands.CmdAnswer, Args: nr}}}
	if _, err := f.rt.Deliver(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	want := "[Beantwoorden] /" + commands.CmdAnswer + " 1 <tekst>"
	if !strings.Contains(out.String(), want) {
		t.Fatalf("output lacks %q:\n%s", want, out)
	}
}

func TestKlokMovesClockAndTicks(t *testing.T) {
	f := newFixture(t)
	var ticks []time.Time
	tick := func(ctx context.Context) error {
		ticks = append(ticks, f.clock.Now())
		return nil
	}
	out, _ := f.run(t, strings.Join([]string{
		":klok",
		":klok +3d",
		":klok +2h",
		":klok 2026-12-14T10:00",
		":klok 2026-12-01", // backwards: refused, no tick
		":klok overmorgen", // nonsense: refused, no tick
		":klok -3d",        // backwards again, as a move
		":klok +4000w",     // too far at once
	}, "\n"), tick)
	// Hourly steps, each followed by a scheduler run, as if the bot ran all along.
	if got, want := len(ticks), 72+2+95; got != want {
		t.Fatalf("ticked %d times, want %d:\n%s", got, want, out)
	}
	for i := range ticks {
		if want := start.Add(time.Duration(i+1) * time.Hour); !ticks[i].Equal(want) {
			t.Fatalf("tick %d at %v, want %v", i, ticks[i], want)
		}
	}
	if got, want := ticks[len(ticks)-1], time.Date(2026, time.December, 14, 10, 0, 0, 0, amsterdam); !got.Equal(want) {
		t.Errorf("last tick at %v, want %v", got, want)
	}
	for _, w := range []string{
		"Het is nu maandag 7 december 2026 09:00",
		"Het is nu donderdag 10 december 2026 09:00",
		"Het is nu donderdag 10 december 2026 11:00",
		"Het is nu maandag 14 december 2026 10:00",
		"De klok kan alleen vooruit.",
		`Die tijd begrijp ik niet: "overmorgen"`,
		"Zo ver kan de klok niet in één keer",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if got := strings.Count(out, "De klok kan alleen vooruit."); got != 2 {
		t.Errorf("%d refusals of a move back, want 2 (a date and -3d):\n%s", got, out)
	}
}

func TestKlokLongMoveAndFailingScheduler(t *testing.T) {
	f := newFixture(t)
	ticks := 0
	out, _ := f.run(t, ":klok +1000d", func(context.Context) error { ticks++; return nil })
	if ticks > maxTicks+1 || ticks < maxTicks {
		t.Errorf("a move of 1000 days ran the scheduler %d times, want about %d", ticks, maxTicks)
	}
	if got, want := f.clock.Now(), start.Add(1000*24*time.Hour); !got.Equal(want) {
		t.Errorf("clock at %v, want %v", got, want)
	}
	if want := "Het is nu " + formatTime(commands.NL, start.Add(1000*24*time.Hour).In(amsterdam)); !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}

	f = newFixture(t)
	ticks = 0
	out, _ = f.run(t, ":klok +3d", func(context.Context) error { ticks++; return errors.New("boom") })
	if ticks != 1 {
		t.Errorf("a failing scheduler ran %d times, want 1", ticks)
	}
	if got, want := f.clock.Now(), start.Add(72*time.Hour); !got.Equal(want) {
		t.Errorf("clock at %v, want %v", got, want)
	}
	if got := strings.Count(out, "De planner liep tegen een fout aan"); got != 1 {
		t.Errorf("error reported %d times, want once:\n%s", got, out)
	}
}

var parseClockTests = []struct {
	in   string
	want time.Time
	err  bool
}{
	{"+3d", start.Add(72 * time.Hour), false},
	{"3d", start.Add(72 * time.Hour), false},
	{"+2h", start.Add(2 * time.Hour), false},
	{"+30m", start.Add(30 * time.Minute), false},
	{"+1w", start.Add(7 * 24 * time.Hour), false},
	{"+1d12h", start.Add(36 * time.Hour), false},
	{"+1D", start.Add(24 * time.Hour), false},
	{"2026-12-07T10:00", time.Date(2026, 12, 7, 10, 0, 0, 0, amsterdam), false},
	{"2026-12-07 10:00", time.Date(2026, 12, 7, 10, 0, 0, 0, amsterdam), false},
	{"2026-07-01T10:00", time.Date(2026, 7, 1, 10, 0, 0, 0, amsterdam), false}, // summer time
	{"2026-12-25", time.Date(2026, 12, 25, 0, 0, 0, 0, amsterdam), false},
	{"+", time.Time{}, true},
	{"+3", time.Time{}, true},
	{"+d", time.Time{}, true},
	{"+3j", time.Time{}, true},
	{"+3d4", time.Time{}, true},
	{"+-3d", time.Time{}, true},
	{"+99999999999w", time.Time{}, true},
	{"2026-13-01", time.Time{}, true},
	{"morgen", time.Time{}, true},
}

func TestParseClock(t *testing.T) {
	for _, tt := range parseClockTests {
		got, err := parseClock(tt.in, start, amsterdam)
		if (err != nil) != tt.err {
			t.Errorf("parseClock(%q) err=%v, want error %v", tt.in, err, tt.err)
			continue
		}
		if !got.Equal(tt.want) {
			t.Errorf("parseClock(%q)=%v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestInteractiveShowsPromptsWithoutEcho(t *testing.T) {
	f := newFixture(t)
	var out strings.Builder
	c := &Console{In: strings.NewReader(":chat noord\n:user bram\n"), Out: &out, Runtime: f.rt, Clock: f.clock, Interactive: true}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := "wijkbot console. Typ :help voor de console-opdrachten en /hulp voor de commando's van een chat.\n" +
		"staf/anna> noord/anna> noord/bram> \n"
	if got := out.String(); got != want {
		t.Fatalf("output=%q, want %q", got, want)
	}
}

func TestRunStopsWhenContextIsCancelled(t *testing.T) {
	f := newFixture(t)
	in, w := io.Pipe() // input that never ends
	defer w.Close()
	var out syncBuffer
	c := &Console{In: in, Out: &out, Runtime: f.rt, Clock: f.clock}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	if _, err := io.WriteString(w, ":chat noord\n"); err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run=%v, want nil after cancellation", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancellation")
	}
}

// syncBuffer is a strings.Builder safe for the console's goroutines and the test's.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
