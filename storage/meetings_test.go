package storage

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

func TestMeetings(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	grpNoord := commands.ChatRef{Platform: commands.Telegram, ID: "-100"}
	grpZuid := commands.ChatRef{Platform: commands.Discord, ID: "555"}
	if _, err := db.LinkChat(ctx, "", grpNoord, "Noord", "NNNN2345", ana); err != nil {
		t.Fatal(err)
	}
	mustCollective(t, db, "Zuid", "ZZZZ2345")
	if _, err := db.LinkChat(ctx, "", grpZuid, "Zuid", "ZZZZ2345", sanne); err != nil {
		t.Fatal(err)
	}

	later := &commands.Meeting{Title: "Netwerkdag", Place: "Buurthuis De Pijp", StartsAt: t0.Add(10 * 24 * time.Hour)}
	soon := &commands.Meeting{Title: "Lunch", StartsAt: t0.Add(5 * 24 * time.Hour)}
	past := &commands.Meeting{Title: "Vorige keer", StartsAt: t0.Add(-time.Hour)}
	for i, m := range []*commands.Meeting{later, soon, past} {
		if err := db.CreateMeeting(ctx, "", m, bram); err != nil {
			t.Fatal(err)
		}
		if m.Number != int64(i+1) || m.CreatedBy != "Bram" {
			t.Fatalf("meeting %+v", m)
		}
	}

	t.Run("upcoming, soonest first", func(t *testing.T) {
		list, err := db.Meetings(ctx, t0)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Number != soon.Number || list[1].Number != later.Number ||
			!list[1].StartsAt.Equal(later.StartsAt) || list[1].Place != "Buurthuis De Pijp" {
			t.Fatalf("meetings %+v", list)
		}
	})

	t.Run("one answer per person, changeable", func(t *testing.T) {
		_, err := db.SetRSVP(ctx, "", 99, grpNoord, commands.RSVPYes, ana)
		wantCode(t, err, commands.ENOTFOUND)
		_, err = db.SetRSVP(ctx, "", later.Number, grpNoord, "wellicht", ana)
		wantCode(t, err, commands.EINVALID)

		if _, err := db.SetRSVP(ctx, "", later.Number, grpNoord, commands.RSVPYes, ana); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetRSVP(ctx, "", later.Number, grpNoord, commands.RSVPNo, bram); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetRSVP(ctx, "", later.Number, grpZuid, commands.RSVPNo, sanne); err != nil {
			t.Fatal(err)
		}
		chats, err := db.ReminderChats(ctx, later.Number)
		if err != nil {
			t.Fatal(err)
		}
		if len(chats) != 1 || chats[0].Ref != grpNoord {
			t.Fatalf("reminder chats %+v", chats)
		}
		clk.Add(time.Minute)
		m, err := db.SetRSVP(ctx, "", later.Number, grpZuid, commands.RSVPMaybe, sanne)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.RSVPs) != 3 {
			t.Fatalf("rsvps %+v", m.RSVPs)
		}
		var sannes []commands.RSVP
		for _, r := range m.RSVPs {
			if r.Name == "Sanne" {
				sannes = append(sannes, r)
			}
		}
		if len(sannes) != 1 || sannes[0].Answer != commands.RSVPMaybe || sannes[0].CollectiveName != "Zuid" ||
			!sannes[0].UpdatedAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("sanne's answers %+v", sannes)
		}
		if m.RSVPs[0].CollectiveID != noord.ID {
			t.Fatalf("order: %+v", m.RSVPs)
		}
		chats, _ = db.ReminderChats(ctx, later.Number)
		if len(chats) != 2 {
			t.Fatalf("reminder chats %+v", chats)
		}
	})

	t.Run("forgetting a person deletes their answers", func(t *testing.T) {
		if err := db.ForgetPerson(ctx, "", ana); err != nil {
			t.Fatal(err)
		}
		m, err := db.Meeting(ctx, later.Number)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range m.RSVPs {
			if r.Name == "Ana" {
				t.Fatalf("ana's answer kept: %+v", m.RSVPs)
			}
		}
		if len(m.RSVPs) != 2 {
			t.Fatalf("rsvps %+v", m.RSVPs)
		}
	})
}

// MeetingRemindersDue returns the meetings starting within [from, until]
// (both ends included) whose reminder nobody claimed, soonest first,
// without answers.
func TestMeetingRemindersDue(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	from, until := t0, t0.Add(commands.ReminderBefore)
	grp := commands.ChatRef{Platform: commands.Telegram, ID: "-100"}
	numbers := map[string]int64{}
	for _, m := range []struct {
		name string
		at   time.Time
	}{
		{"begun", from.Add(-time.Second)}, {"now", from}, {"tonight", from.Add(10 * time.Hour)},
		{"claimed", from.Add(11 * time.Hour)}, {"last", until}, {"later", until.Add(time.Second)},
	} {
		mt := &commands.Meeting{Title: m.name, StartsAt: m.at}
		if err := db.CreateMeeting(ctx, "", mt, bram); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetRSVP(ctx, "", mt.Number, grp, commands.RSVPYes, sanne); err != nil {
			t.Fatal(err)
		}
		numbers[m.name] = mt.Number
	}
	if _, _, err := db.ClaimSend(ctx, commands.MeetingReminderKey(numbers["claimed"]), commands.SendMeetingReminder, t0); err != nil {
		t.Fatal(err)
	}
	list, err := db.MeetingRemindersDue(ctx, from, until)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range list {
		got = append(got, m.Title)
		if len(m.RSVPs) != 0 {
			t.Errorf("%s came with %d answers, want none", m.Title, len(m.RSVPs))
		}
		if m.Number != numbers[m.Title] {
			t.Errorf("%s is B%d, want B%d", m.Title, m.Number, numbers[m.Title])
		}
	}
	if want := "now tonight last"; strings.Join(got, " ") != want {
		t.Errorf("due: %q, want %q", strings.Join(got, " "), want)
	}
}
