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
