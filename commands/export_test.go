package commands_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/chart"
	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/export"
	"github.com/wijkbv/wijkbot/storage"
)

// reportEnv is a handler on a real database with a staff chat and two
// collectives that have a history: what /overzicht and /export read.
type reportEnv struct {
	t     *testing.T
	db    *storage.DB
	h     *commands.Handler
	now   time.Time
	staff commands.ChatRef
	noord *commands.Collective
	zuid  *commands.Collective
}

// trickyText is user text with what breaks naive CSV and Markdown.
const trickyText = "Kopen, \"huren\" of\nsamen beheren? | *vet*"

func newReportEnv(t *testing.T) *reportEnv {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "wijkbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	e := &reportEnv{t: t, db: db, now: time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC),
		staff: commands.ChatRef{Platform: commands.Console, ID: "staf"}}
	db.Now = func() time.Time { return e.now }
	clock := func() time.Time { return e.now }
	e.h = &commands.Handler{Store: db, Now: clock, Location: loc,
		Charts: &chart.Renderer{Now: clock, Location: loc}, Exporter: export.Files{}}

	sanne := commands.UserRef{Platform: commands.Console, ID: "1", Name: "Sanne"}
	fatima := commands.UserRef{Platform: commands.Console, ID: "2", Name: "Fatima"}
	joop := commands.UserRef{Platform: commands.Console, ID: "3", Name: "Joop"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.AddStaffChat(ctx, "", e.staff, "Staf", sanne))
	e.noord = &commands.Collective{Name: "Bewonersbedrijf Noord", Code: "NRDNRDNR"}
	must(db.CreateCollective(ctx, "", e.noord, sanne))
	e.zuid = &commands.Collective{Name: "Groen Zuid", Code: "ZDZDZDZD"}
	must(db.CreateCollective(ctx, "", e.zuid, sanne))
	_, err = db.LinkChat(ctx, "", commands.ChatRef{Platform: commands.Console, ID: "noord"}, "Noord", e.noord.Code, fatima)
	must(err)

	e.step()
	must(db.AddEntry(ctx, "", &commands.Entry{CollectiveID: e.noord.ID, Text: "Eerste bewonersavond", Themes: []string{"wonen"}}, fatima))
	e.step()
	must(db.AddEntry(ctx, "", &commands.Entry{CollectiveID: e.noord.ID, Text: "Koopovereenkomst getekend", Milestone: true}, joop))
	e.step()
	must(db.AddEntry(ctx, "", &commands.Entry{CollectiveID: e.zuid.ID, Text: trickyText}, joop))
	e.step()
	q := &commands.HelpRequest{CollectiveID: e.noord.ID, Expertise: "juridisch", Question: trickyText}
	must(db.CreateRequest(ctx, "", q, fatima, 0))
	_, err = db.AnswerRequest(ctx, "", q.Number, "Kijk naar een erfpachtconstructie, met \"voorrang\"", sanne)
	must(err)
	must(db.CreateRequest(ctx, "", &commands.HelpRequest{CollectiveID: e.zuid.ID, Expertise: "energie", Question: "Subsidie zonnepanelen?"}, joop, 0))
	panel, err := db.Panel(ctx, e.noord.ID)
	must(err)
	e.step()
	_, err = db.SetSlider(ctx, "", e.noord.ID, panel[0].ID, 3, "begin", fatima)
	must(err)
	e.step()
	_, err = db.SetSlider(ctx, "", e.noord.ID, panel[0].ID, 7, trickyText, joop)
	must(err)
	_, err = db.SetSlider(ctx, "", e.zuid.ID, panel[1].ID, 4, "", joop)
	must(err)
	round, _, err := db.ClaimRound(ctx, e.noord.ID, e.now)
	must(err)
	must(db.MarkRoundPosted(ctx, round.ID))
	e.step()
	must(db.AddCheckinAnswer(ctx, "", round.ID, "Goed bezig", fatima))
	e.step()
	return e
}

// step moves the clock a day on.
func (e *reportEnv) step() { e.now = e.now.Add(24 * time.Hour) }

// staffCommand runs a command in the staff chat.
func (e *reportEnv) staffCommand(cmd string, args map[string]string) commands.Reply {
	return e.h.Handle(context.Background(), commands.Request{
		Chat: e.staff, User: commands.UserRef{Platform: commands.Console, ID: "1", Name: "Sanne"},
		Command: cmd, Args: args})
}

func filesByName(t *testing.T, files []commands.File) map[string]commands.File {
	t.Helper()
	m := map[string]commands.File{}
	for _, f := range files {
		if _, dup := m[f.Name]; dup {
			t.Fatalf("two files named %s", f.Name)
		}
		m[f.Name] = f
	}
	return m
}

func csvRecords(t *testing.T, f commands.File) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(f.Data)).ReadAll()
	if err != nil {
		t.Fatalf("%s is not valid CSV: %v", f.Name, err)
	}
	return recs
}

func TestExportCommand(t *testing.T) {
	e := newReportEnv(t)

	t.Run("all collectives", func(t *testing.T) {
		reply := e.staffCommand("export", nil)
		if reply.Ephemeral {
			t.Fatalf("refused: %s", reply.Text)
		}
		files := filesByName(t, reply.Files)
		want := []string{"alle-collectieven-voortgang.csv", "alle-collectieven-hulpvragen.csv", "alle-collectieven-antwoorden.csv",
			"alle-collectieven-schuifgeschiedenis.csv", "alle-collectieven-checkins.csv",
			"casus-bewonersbedrijf-noord.md", "casus-groen-zuid.md"}
		if len(files) != len(want) {
			t.Errorf("got %d files, want %d", len(files), len(want))
		}
		for _, name := range want {
			if _, ok := files[name]; !ok {
				t.Errorf("missing %s", name)
			}
		}
		progress := csvRecords(t, files["alle-collectieven-voortgang.csv"])
		if len(progress) != 4 {
			t.Fatalf("progress has %d records, want header + 3", len(progress))
		}
		found := false
		for _, rec := range progress[1:] {
			if rec[0] == "Groen Zuid" && rec[3] == trickyText {
				found = true
			}
		}
		if !found {
			t.Errorf("tricky text did not round-trip: %q", progress)
		}
		answers := csvRecords(t, files["alle-collectieven-antwoorden.csv"])
		if len(answers) != 2 || answers[1][4] != "Kijk naar een erfpachtconstructie, met \"voorrang\"" {
			t.Errorf("answers=%q", answers)
		}
		if !strings.Contains(reply.Text, "2 concept-casusbeschrijvingen") {
			t.Errorf("reply text %q", reply.Text)
		}
	})

	t.Run("one collective", func(t *testing.T) {
		reply := e.staffCommand("export", map[string]string{"collectief": "bewonersbedrijf  NOORD"})
		if reply.Ephemeral {
			t.Fatalf("refused: %s", reply.Text)
		}
		files := filesByName(t, reply.Files)
		if len(files) != 6 {
			t.Errorf("got %d files, want 5 CSV + 1 report", len(files))
		}
		for _, rec := range csvRecords(t, files["bewonersbedrijf-noord-voortgang.csv"])[1:] {
			if rec[0] != "Bewonersbedrijf Noord" {
				t.Errorf("row of another collective: %q", rec)
			}
		}
		sliders := csvRecords(t, files["bewonersbedrijf-noord-schuifgeschiedenis.csv"])
		if len(sliders) != 3 || sliders[2][3] != "3" || sliders[2][4] != "7" || sliders[2][6] != trickyText {
			t.Errorf("slider history=%q", sliders)
		}
		checkins := csvRecords(t, files["bewonersbedrijf-noord-checkins.csv"])
		if len(checkins) != 2 || checkins[1][4] != "Goed bezig" || !strings.HasPrefix(checkins[1][1], "2026-09-0") {
			t.Errorf("check-ins=%q", checkins)
		}

		md := string(files["casus-bewonersbedrijf-noord.md"].Data)
		for _, want := range []string{
			"# Casusbeschrijving (concept): Bewonersbedrijf Noord",
			"## Tijdlijn",
			"- **3 september 2026**: Koopovereenkomst getekend",
			"## Mengpaneel toen en nu",
			"| eigenaarschap | 3 (6 september 2026) | 7 | +4 |",
			"| zeggenschap | nog niet gezet | nog niet gezet |  |",
			"## Hulp gevraagd en gekregen",
			"Sanne: Kijk naar een erfpachtconstructie",
			"## Check-ins",
			"- **Fatima**: Goed bezig",
		} {
			if !strings.Contains(md, want) {
				t.Errorf("report lacks %q", want)
			}
		}
	})

	t.Run("unknown collective is a clear error", func(t *testing.T) {
		reply := e.staffCommand("export", map[string]string{"collectief": "Bewonersbedrijf Nord"})
		if !reply.Ephemeral || len(reply.Files) != 0 {
			t.Fatalf("want a refusal without files, got %+v", reply)
		}
		for _, want := range []string{`Er is geen collectief "Bewonersbedrijf Nord".`, `Bedoel je "Bewonersbedrijf Noord"?`, "/collectieven"} {
			if !strings.Contains(reply.Text, want) {
				t.Errorf("reply %q lacks %q", reply.Text, want)
			}
		}
	})

	t.Run("staff chat only", func(t *testing.T) {
		reply := e.h.Handle(context.Background(), commands.Request{
			Chat: commands.ChatRef{Platform: commands.Console, ID: "noord"}, User: commands.UserRef{Platform: commands.Console, ID: "2"},
			Command: "export"})
		if !reply.Ephemeral || len(reply.Files) != 0 {
			t.Errorf("a collective's chat got an export: %+v", reply.Text)
		}
	})
}

func TestExportFunc(t *testing.T) {
	e := newReportEnv(t)
	ctx := context.Background()
	t.Run("unknown name", func(t *testing.T) {
		_, err := commands.Export(ctx, e.db, export.Files{}, "Zuid Groen", e.now, time.UTC, commands.NL)
		if got := commands.ErrorCode(err); got != commands.ENOTFOUND {
			t.Fatalf("code=%q (%v), want not found", got, err)
		}
		if msg := commands.ErrorMessage(commands.NL, err); !strings.Contains(msg, "geen collectief") {
			t.Errorf("message %q", msg)
		}
	})
	t.Run("no collectives at all", func(t *testing.T) {
		db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "leeg.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		_, err = commands.Export(ctx, db, export.Files{}, "", e.now, time.UTC, commands.NL)
		if msg := commands.ErrorMessage(commands.NL, err); !strings.Contains(msg, "nog geen collectieven") {
			t.Errorf("message %q", msg)
		}
	})
}

// TestExportSlugCollision: two collectives whose names make the same file
// name ("Groen Zuid", "Groen-Zuid") each keep their own case report (16.13);
// before, the second report silently replaced the first.
func TestExportSlugCollision(t *testing.T) {
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "slug.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	names := []string{"Groen Zuid", "Groen-Zuid", "groen/zuid!"}
	for i, n := range names {
		c := &commands.Collective{Name: n, Code: fmt.Sprintf("CODEAB%d%d", i, i)}
		if err := db.CreateCollective(ctx, "", c, commands.UserRef{Platform: commands.Console, ID: "1", Name: "Sanne"}); err != nil {
			t.Fatal(err)
		}
	}
	files, err := commands.Export(ctx, db, export.Files{}, "", time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC), time.UTC, commands.NL)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	reports := map[string]bool{}
	for _, f := range files {
		if seen[f.Name] {
			t.Errorf("two files named %s", f.Name)
		}
		seen[f.Name] = true
		if strings.HasSuffix(f.Name, ".md") {
			for _, n := range names {
				if strings.Contains(string(f.Data), "(concept): "+n+"\n") {
					reports[n] = true
				}
			}
		}
	}
	if len(reports) != len(names) {
		t.Errorf("case reports for %v, want one for each of %q (files %v)", reports, names, seen)
	}
}
