package commands_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

func TestOverviewCommand(t *testing.T) {
	e := newReportEnv(t)

	t.Run("text per collective and a comparison chart", func(t *testing.T) {
		reply := e.staffCommand("overzicht", nil)
		if reply.Ephemeral {
			t.Fatalf("refused: %s", reply.Text)
		}
		for _, want := range []string{
			"2 collectieven, 2 open hulpvragen",
			"Bewonersbedrijf Noord\n",
			"Voortgang: 6 dagen geleden, “Koopovereenkomst getekend” (mijlpaal)",
			"Check-in van 7 sep 2026: 1 antwoord",
			"#1 juridisch (beantwoord door Sanne",
			"Mengpaneel: eigenaarschap 7; 10 nog niet gezet",
			"Groen Zuid (nog geen chat gekoppeld)",
			"Check-in: nog geen ronde verstuurd",
			"#2 energie (open, nog niet opgepakt",
			"Mengpaneel: zeggenschap 4; 10 nog niet gezet",
		} {
			if !strings.Contains(reply.Text, want) {
				t.Errorf("overview lacks %q:\n%s", want, reply.Text)
			}
		}
		if reply.Image == nil {
			t.Fatal("no chart")
		}
		img, err := png.Decode(bytes.NewReader(reply.Image.Data))
		if err != nil {
			t.Fatalf("chart is not a PNG: %v", err)
		}
		if w := img.Bounds().Dx(); w < 1000 {
			t.Errorf("chart %d px wide", w)
		}
	})

	t.Run("text only without a renderer", func(t *testing.T) {
		h := *e.h
		h.Charts = nil
		reply := h.Handle(context.Background(), commands.Request{Chat: e.staff,
			User: commands.UserRef{Platform: commands.Console, ID: "1"}, Command: "overzicht"})
		if reply.Image != nil || !strings.Contains(reply.Text, "Groen Zuid") {
			t.Errorf("reply %+v", reply)
		}
	})

	t.Run("many collectives stay within one message", func(t *testing.T) {
		ctx := context.Background()
		for i := 0; i < 30; i++ {
			c := &commands.Collective{Name: fmt.Sprintf("Collectief met een lange naam nummer %d", i), Code: fmt.Sprintf("CCCCCC%c%c", 'A'+i/10, 'A'+i%10)}
			if err := e.db.CreateCollective(ctx, "", c, commands.UserRef{Platform: commands.Console, ID: "1"}); err != nil {
				t.Fatal(err)
			}
			panel, err := e.db.Panel(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, el := range panel[:3] {
				if _, err := e.db.SetSlider(ctx, "", c.ID, el.ID, i%11, "", commands.UserRef{Platform: commands.Console, ID: "1"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		// The text is what is tested here; the chart of 32 columns only
		// slows the test down.
		h := *e.h
		h.Charts = nil
		reply := h.Handle(context.Background(), commands.Request{Chat: e.staff,
			User: commands.UserRef{Platform: commands.Console, ID: "1"}, Command: "overzicht"})
		if n := len([]rune(reply.Text)); n > 4096 {
			t.Errorf("overview is %d characters, over Telegram's 4096", n)
		}
		if !strings.Contains(reply.Text, "3 van 11 gezet, gemiddeld 5,0") {
			t.Errorf("long overview does not summarise panels:\n%s", reply.Text[:min(len(reply.Text), 600)])
		}
		if !strings.Contains(reply.Text, "/export geeft alles") && !strings.Contains(reply.Text, "Collectief met een lange naam nummer 29") {
			t.Errorf("the last collectives are neither listed nor counted")
		}
	})
}

// overviewCharts records what /overzicht asks its chart to compare.
type overviewCharts struct {
	lang  commands.Lang
	names []string
	note  string
}

func (c *overviewCharts) Panel(commands.Lang, string, []commands.Element, map[int64]int) (*commands.File, error) {
	return nil, nil
}

func (c *overviewCharts) Overview(l commands.Lang, panels []commands.CollectivePanel, note string) (*commands.File, error) {
	c.lang, c.names, c.note = l, nil, note
	for _, p := range panels {
		if len(p.Elements) == 0 {
			return nil, fmt.Errorf("%s without its panel", p.Name)
		}
		c.names = append(c.names, p.Name)
	}
	return &commands.File{Name: "mengpanelen.png", ContentType: "image/png", Data: []byte("png")}, nil
}

// /overzicht's heat map compares the collectives that need attention
// first, in the web overview's order (an open help request, then the
// longest quiet, then the rest by name), not the first by name; chart
// and text say which it shows and where all of them are, in the chat's
// language, and the text names them in the same order.
func TestOverviewChartShowsThoseNeedingAttention(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.ok(staffChat, admin, "/stafkanaal")
	ctx := f.ctx
	var ids []int64
	for i := range 20 {
		c := &commands.Collective{Name: fmt.Sprintf("Wijk %02d", i), Code: fmt.Sprintf("W%07d", i)}
		if err := f.db.CreateCollective(ctx, "", c, sanne); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	// Everyone is active but Wijk 17; Wijk 19 waits for help.
	for i, id := range ids {
		if i != 17 {
			if err := f.db.AddEntry(ctx, "", &commands.Entry{CollectiveID: id, Text: "Bewonersavond"}, sanne); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.db.CreateRequest(ctx, "", &commands.HelpRequest{CollectiveID: ids[19], Expertise: "juridisch", Question: "Erfpacht?"}, sanne, 0); err != nil {
		t.Fatal(err)
	}
	charts := &overviewCharts{}
	f.h.Charts = charts
	want := []string{"Wijk 19", "Wijk 17"}
	for i := range 13 {
		want = append(want, fmt.Sprintf("Wijk %02d", i))
	}

	for _, tc := range []struct {
		lang         commands.Lang
		web          string
		note, order  string
		notInNote    string
		textNoteHead string
	}{
		{commands.NL, "https://wijkbot.example.nl",
			"de 15 van de 20 collectieven die de meeste aandacht nodig hebben; allemaal op het webdashboard (/dashboard) en in /export",
			"Eerst wie aandacht nodig heeft", "", "📊 De grafiek toont"},
		{commands.EN, "https://wijkbot.example.nl",
			"the 15 of 20 collectives most in need of attention; all of them on the web dashboard (/dashboard) and in /export",
			"Those that need attention first", "", "📊 The chart shows"},
		{commands.NL, "",
			"de 15 van de 20 collectieven die de meeste aandacht nodig hebben; allemaal in /export",
			"Eerst wie aandacht nodig heeft", "/dashboard", "📊 De grafiek toont"},
	} {
		t.Run(fmt.Sprintf("%s web %q", tc.lang, tc.web), func(t *testing.T) {
			f.h.WebURL = tc.web
			if err := f.db.SetChatLang(ctx, "", staffChat, tc.lang); err != nil {
				t.Fatal(err)
			}
			r := f.ok(staffChat, sanne, "/overzicht")
			if r.Image == nil {
				t.Fatal("no chart")
			}
			if got, want := strings.Join(charts.names, ", "), strings.Join(want, ", "); got != want {
				t.Errorf("the chart compares\n%s\nwant\n%s", got, want)
			}
			if charts.lang != tc.lang {
				t.Errorf("chart language %q, want %q", charts.lang, tc.lang)
			}
			if charts.note != tc.note {
				t.Errorf("chart note %q, want %q", charts.note, tc.note)
			}
			if tc.notInNote != "" && strings.Contains(charts.note, tc.notInNote) {
				t.Errorf("chart note %q names %s", charts.note, tc.notInNote)
			}
			mustContain(t, "overview", r.Text, tc.order, tc.textNoteHead+" "+tc.note)
			// The text names them in the same order.
			if i, j := strings.Index(r.Text, "Wijk 19"), strings.Index(r.Text, "Wijk 00"); i < 0 || j < 0 || i > j {
				t.Errorf("the text does not name Wijk 19 (open request) before Wijk 00:\n%s", r.Text)
			}
		})
	}

	// A store that cannot list in attention order gives the first by
	// name, and the note says that instead.
	t.Run("by name without the ability", func(t *testing.T) {
		f.h.Store = struct{ commands.Store }{f.db}
		defer func() { f.h.Store = f.db }()
		if err := f.db.SetChatLang(ctx, "", staffChat, commands.NL); err != nil {
			t.Fatal(err)
		}
		r := f.ok(staffChat, sanne, "/overzicht")
		var byName []string
		for i := range 15 {
			byName = append(byName, fmt.Sprintf("Wijk %02d", i))
		}
		if got, want := strings.Join(charts.names, ", "), strings.Join(byName, ", "); got != want {
			t.Errorf("the chart compares\n%s\nwant\n%s", got, want)
		}
		if want := "de eerste 15 van de 20 collectieven op naam; allemaal in /export"; charts.note != want {
			t.Errorf("chart note %q, want %q", charts.note, want)
		}
		if strings.Contains(r.Text, "Eerst wie aandacht nodig heeft") {
			t.Errorf("the text claims an order it does not have:\n%s", r.Text[:200])
		}
	})

	t.Run("all fit: no note", func(t *testing.T) {
		g := newFixture(t)
		g.setup()
		charts := &overviewCharts{}
		g.h.Charts = charts
		r := g.ok(staffChat, sanne, "/overzicht")
		if charts.note != "" || strings.Contains(r.Text, "📊 De grafiek") {
			t.Errorf("a note although every collective is shown: %q", charts.note)
		}
		if len(charts.names) != 1 {
			t.Errorf("chart compares %v, want Noord", charts.names)
		}
	})
}
