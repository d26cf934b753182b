package storage

import (
	"context"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

func TestPanel(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	zuid := mustCollective(t, db, "Zuid", "ZZZZ2345")

	element := func(t *testing.T, c *commands.Collective, name string) commands.Element {
		t.Helper()
		panel, err := db.Panel(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range panel {
			if e.Name == name {
				return e
			}
		}
		t.Fatalf("%s has no element %q", c.Name, name)
		return commands.Element{}
	}

	t.Run("defaults unset, in design order", func(t *testing.T) {
		panel, err := db.Panel(ctx, noord.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(panel) != 11 || panel[0].Name != "eigenaarschap" || panel[10].Name != "impact op zorg" {
			t.Fatalf("panel %+v", panel)
		}
		for _, e := range panel {
			if e.IsSet || e.CollectiveID != 0 || !e.UpdatedAt.IsZero() {
				t.Fatalf("default %+v is set", e)
			}
		}
		_, err = db.Panel(ctx, 999)
		wantCode(t, err, commands.ENOTFOUND)
	})

	t.Run("move a slider twice", func(t *testing.T) {
		e := element(t, noord, "zeggenschap")
		clk.Add(time.Hour)
		ch, err := db.SetSlider(ctx, "", noord.ID, e.ID, 4, "eerste keer", ana)
		if err != nil {
			t.Fatal(err)
		}
		if ch.HadPrevious || ch.Value != 4 || ch.Who != "Ana" || ch.ElementName != "zeggenschap" || ch.ID == 0 {
			t.Fatalf("first change %+v", ch)
		}
		clk.Add(time.Hour)
		ch, err = db.SetSlider(ctx, "", noord.ID, e.ID, 7, "", bram)
		if err != nil {
			t.Fatal(err)
		}
		if !ch.HadPrevious || ch.Previous != 4 || ch.Value != 7 || ch.Who != "Bram" {
			t.Fatalf("second change %+v", ch)
		}
		got := element(t, noord, "zeggenschap")
		if !got.IsSet || got.Value != 7 || !got.UpdatedAt.Equal(t0.Add(2*time.Hour)) {
			t.Fatalf("element %+v", got)
		}
		if other := element(t, zuid, "zeggenschap"); other.IsSet {
			t.Fatalf("Zuid's slider moved with Noord's: %+v", other)
		}
	})

	t.Run("bad slider moves", func(t *testing.T) {
		e := element(t, noord, "zeggenschap")
		for _, v := range []int{-1, 11} {
			_, err := db.SetSlider(ctx, "", noord.ID, e.ID, v, "", ana)
			wantCode(t, err, commands.EINVALID)
		}
		_, err := db.SetSlider(ctx, "", noord.ID, 999, 5, "", ana)
		wantCode(t, err, commands.ENOTFOUND)
		_, err = db.SetSlider(ctx, "", 999, e.ID, 5, "", ana)
		wantCode(t, err, commands.ENOTFOUND)
	})

	t.Run("own elements", func(t *testing.T) {
		e, err := db.AddElement(ctx, "", noord.ID, " Groene daken ", "daken vol sedum", ana)
		if err != nil {
			t.Fatal(err)
		}
		if e.ID == 0 || e.Name != "Groene daken" || e.CollectiveID != noord.ID || e.Description != "daken vol sedum" {
			t.Fatalf("added %+v", e)
		}
		if _, err := db.AddElement(ctx, "", noord.ID, "Buurtkas", "", ana); err != nil {
			t.Fatal(err)
		}
		// Zuid may use the same name; it is not on Noord's panel.
		zd, err := db.AddElement(ctx, "", zuid.ID, "groene daken", "", ana)
		if err != nil {
			t.Fatal(err)
		}
		panel, _ := db.Panel(ctx, noord.ID)
		if len(panel) != 13 || panel[11].Name != "Groene daken" || panel[12].Name != "Buurtkas" {
			t.Fatalf("Noord panel %+v", panel)
		}
		if _, err := db.SetSlider(ctx, "", noord.ID, e.ID, 3, "", ana); err != nil {
			t.Fatal(err)
		}
		_, err = db.SetSlider(ctx, "", noord.ID, zd.ID, 3, "", ana)
		wantCode(t, err, commands.ENOTFOUND)
	})

	conflicts := []struct{ name, want string }{
		{"GROENE DAKEN", commands.ECONFLICT},
		{"gróéne   daken", commands.ECONFLICT},
		{"Financiele Duurzaamheid", commands.ECONFLICT},
		{"EIGENAARSCHAP", commands.ECONFLICT},
		{"  ", commands.EINVALID},
	}
	for _, tt := range conflicts {
		t.Run("add "+tt.name, func(t *testing.T) {
			_, err := db.AddElement(ctx, "", noord.ID, tt.name, "", ana)
			wantCode(t, err, tt.want)
		})
	}
	t.Run("add to unknown collective", func(t *testing.T) {
		_, err := db.AddElement(ctx, "", 999, "iets", "", ana)
		wantCode(t, err, commands.ENOTFOUND)
	})
	t.Run("trigger guards defaults", func(t *testing.T) {
		_, err := db.db.Exec(`INSERT INTO elements (collective_id, name, name_key, position, created_at)
			VALUES (?, 'Zeggenschap', 'zeggenschap', 99, '')`, zuid.ID)
		if err == nil {
			t.Fatal("inserted an element shadowing a default")
		}
	})

	t.Run("history", func(t *testing.T) {
		all, err := db.SliderChanges(ctx, noord.ID, 0, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 3 || all[0].Value != 4 || all[1].Value != 7 || all[2].ElementName != "Groene daken" {
			t.Fatalf("all changes %+v", all)
		}
		zeg := element(t, noord, "zeggenschap")
		one, _ := db.SliderChanges(ctx, noord.ID, zeg.ID, time.Time{})
		if len(one) != 2 {
			t.Fatalf("zeggenschap changes %+v", one)
		}
		recent, _ := db.SliderChanges(ctx, noord.ID, zeg.ID, t0.Add(2*time.Hour))
		if len(recent) != 1 || recent[0].Value != 7 || recent[0].Why != "" || recent[0].At.Location() != time.UTC {
			t.Fatalf("changes since +2h %+v", recent)
		}
		if zuidChanges, _ := db.SliderChanges(ctx, zuid.ID, 0, time.Time{}); len(zuidChanges) != 0 {
			t.Fatalf("Zuid changes %+v", zuidChanges)
		}
	})
}
