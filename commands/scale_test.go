package commands_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wijkbv/wijkbot/commands"
)

// readCounter is the real store, counting the reads it is asked for one
// collective at a time: what grows with the programme.
type readCounter struct {
	commands.Store
	mu    sync.Mutex
	reads map[string]int
}

func (s *readCounter) count(what string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reads[what]++
}

func (s *readCounter) Entries(ctx context.Context, id int64, limit int) ([]commands.Entry, error) {
	s.count("Entries")
	return s.Store.Entries(ctx, id, limit)
}

func (s *readCounter) Panel(ctx context.Context, id int64) ([]commands.Element, error) {
	s.count("Panel")
	return s.Store.Panel(ctx, id)
}

func (s *readCounter) LatestRound(ctx context.Context, id int64) (*commands.Round, error) {
	s.count("LatestRound")
	return s.Store.LatestRound(ctx, id)
}

func (s *readCounter) SliderChanges(ctx context.Context, id, element int64, since time.Time) ([]commands.SliderChange, error) {
	s.count("SliderChanges")
	return s.Store.SliderChanges(ctx, id, element, since)
}

// CollectivesByAttention passes the store's ordering through uncounted:
// it reads summaries a page at a time, not one collective's details.
func (s *readCounter) CollectivesByAttention(ctx context.Context, name string, quietSince time.Time, offset, limit int) ([]commands.CollectiveSummary, int, error) {
	return s.Store.(commands.WebPageStore).CollectivesByAttention(ctx, name, quietSince, offset, limit)
}

// scaleProgramme is a programme of n collectives ("Wijk 000" …): every
// tenth without a chat, every second got this week's check-in, every
// fourth answered it. It returns how many collectives are in each digest
// state, and puts a counting store in the handler.
func scaleProgramme(t *testing.T, f *fixture, n int) (*readCounter, map[string]int) {
	t.Helper()
	ctx := f.ctx
	f.ok(staffChat, admin, "/stafkanaal")
	who := commands.UserRef{Platform: commands.Console, ID: "9", Name: "Lid"}
	want := map[string]int{}
	for i := range n {
		c := &commands.Collective{Name: fmt.Sprintf("Wijk %03d", i), Code: fmt.Sprintf("W%07d", i)}
		if err := f.db.CreateCollective(ctx, "", c, sanne); err != nil {
			t.Fatal(err)
		}
		if i%10 != 0 {
			if _, err := f.db.LinkChat(ctx, "", commands.ChatRef{Platform: commands.Console, ID: c.Name}, c.Name, c.Code, who); err != nil {
				t.Fatal(err)
			}
		}
		state := commands.DigestNoRound
		if i%10 == 0 {
			state = commands.DigestNoChat
		}
		if i%2 == 0 {
			r, _, err := f.db.ClaimRound(ctx, c.ID, f.now.Add(-24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if err := f.db.MarkRoundPosted(ctx, r.ID); err != nil {
				t.Fatal(err)
			}
			if state == commands.DigestNoRound {
				state = commands.DigestNoAnswer
			}
			if i%4 == 0 {
				if err := f.db.AddCheckinAnswer(ctx, "", r.ID, "Goed bezig", who); err != nil {
					t.Fatal(err)
				}
				state = commands.DigestAnswered
			}
		}
		want[state]++
	}
	cs := &readCounter{Store: f.db, reads: map[string]int{}}
	f.h.Store = cs
	return cs, want
}

// At 150 collectives the digest stays within two Telegram messages in
// both languages: a line counting every collective's state, those that
// need attention first, and how many it left out and where they are. It
// reads the details of no more collectives than it can show (100), not of
// all of them.
func TestDigestBoundedForLargeProgramme(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cs, states := scaleProgramme(t, f, 150)
	d, err := f.h.LoadDigest(f.ctx, f.now.AddDate(0, 0, -7), f.now)
	if err != nil {
		t.Fatal(err)
	}
	if got := cs.reads["Entries"]; got > 100 {
		t.Errorf("the digest read the progress of %d collectives, want at most 100", got)
	}
	for _, tc := range []struct {
		lang           commands.Lang
		summary, more  string
		unanswered     string
		collectivesFmt string
	}{
		{commands.NL, "%d collectieven: %d beantwoordden de check-in, %d niet, %d kregen er geen, %d zonder chat, %d gepauzeerd; 0 open hulpvragen.",
			"… en nog %d collectieven: elk collectief staat op het webdashboard (/dashboard)", "⚠ check-in van", ""},
		{commands.EN, "%d collectives: %d answered the check-in, %d did not, %d got none, %d without a chat, %d paused; 0 open help requests.",
			"… and %d more collectives: every collective is on the web dashboard (/dashboard)", "⚠ check-in of", ""},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			chat := commands.Chat{Ref: staffChat, Kind: commands.ChatStaff, Active: true, Lang: tc.lang}
			text := f.h.DigestMessage(d, chat).Text
			if n := utf8.RuneCountInString(text); n > 6000 {
				t.Errorf("digest of %d characters, over two Telegram messages", n)
			}
			shown := strings.Count(text, " — ")
			if shown < 20 || shown >= 150 {
				t.Fatalf("digest shows %d collectives, want a bounded part:\n%s", shown, text)
			}
			mustContain(t, "digest", text,
				fmt.Sprintf(tc.summary, 150, states[commands.DigestAnswered], states[commands.DigestNoAnswer],
					states[commands.DigestNoRound], states[commands.DigestNoChat], states[commands.DigestPaused]),
				fmt.Sprintf(tc.more, 150-shown))
			first := text[strings.Index(text, "Wijk"):]
			if !strings.Contains(first[:strings.Index(first, "\n")], tc.unanswered) {
				t.Errorf("the first collective named did not miss its check-in:\n%s", text[:min(len(text), 800)])
			}
		})
	}
}

// At 150 collectives /overzicht reads the details of the collectives it
// names and of those its chart compares, not of every collective, and
// says how many it left out, in both languages.
func TestOverviewReadsWhatItShows(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cs, _ := scaleProgramme(t, f, 150)
	for _, tc := range []struct {
		lang commands.Lang
		more string
	}{
		{commands.NL, "andere collectieven. /export geeft alles."},
		{commands.EN, "other collectives. /export has everything."},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			cs.reads = map[string]int{}
			req := f.request(staffChat, sanne)
			req.Command, req.Lang = "overzicht", tc.lang
			if err := f.db.SetChatLang(f.ctx, "", staffChat, tc.lang); err != nil {
				t.Fatal(err)
			}
			text := f.h.Handle(f.ctx, req).Text
			if n := utf8.RuneCountInString(text); n > 4096 {
				t.Errorf("overview of %d characters, over one Telegram message", n)
			}
			named := strings.Count(text, "• Wijk ")
			mustContain(t, "overview", text, fmt.Sprintf("%d %s", 150-named, tc.more))
			// The line that no longer fits is read to know that.
			bound := max(named+1, commands.OverviewChartPanels)
			if got := cs.reads["Panel"]; got > bound {
				t.Errorf("read %d panels for %d collectives named, want at most %d", got, named, bound)
			}
			if got := cs.reads["Entries"]; got > bound {
				t.Errorf("read the progress of %d collectives for %d named", got, named)
			}
		})
	}
}

// Without web pages (no WIJKBOT_HTTP_ADDR), the digest's line about the
// collectives it left out does not send the staff to /dashboard, which
// would only answer that the pages are off; /export still has them all.
func TestDigestMoreWithoutWebPages(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	scaleProgramme(t, f, 150)
	f.h.WebURL = ""
	d, err := f.h.LoadDigest(f.ctx, f.now.AddDate(0, 0, -7), f.now)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang commands.Lang
		more string
	}{
		{commands.NL, "collectieven: /export heeft ze allemaal."},
		{commands.EN, "more collectives: /export has them all."},
	} {
		chat := commands.Chat{Ref: staffChat, Kind: commands.ChatStaff, Active: true, Lang: tc.lang}
		text := f.h.DigestMessage(d, chat).Text
		if strings.Contains(text, "/dashboard") {
			t.Errorf("%s: the digest names /dashboard while the web pages are off:\n%s", tc.lang, text[max(0, len(text)-300):])
		}
		mustContain(t, "digest", text, tc.more)
	}
}
