package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/internal/dbfiles"
)

// schemaColumn is one column of the database as SQLite reports it.
type schemaColumn struct {
	table, column, typ string
	refersToPeople     bool
}

// schemaColumns reads every column of every table from the schema itself
// (sqlite_master, pragma_table_info, pragma_foreign_key_list).
func schemaColumns(t *testing.T, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) []schemaColumn {
	t.Helper()
	rows, err := q.QueryContext(context.Background(), `
		SELECT m.name, p.name, p.type,
			EXISTS (SELECT 1 FROM pragma_foreign_key_list(m.name) f WHERE f."from" = p.name AND f."table" = 'people')
		FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
		ORDER BY m.name, p.cid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []schemaColumn
	for rows.Next() {
		var c schemaColumn
		if err := rows.Scan(&c.table, &c.column, &c.typ, &c.refersToPeople); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(cols) < 50 {
		t.Fatalf("read only %d columns from the schema", len(cols))
	}
	return cols
}

// coverageProblems says, one line each, what in the schema the lists do not
// cover, and which list entries the schema does not have.
func coverageProblems(schema []schemaColumn, list []PersonalColumn, other map[string]bool) []string {
	personal := map[string]PersonalColumn{}
	for _, c := range list {
		personal[c.Table+"."+c.Column] = c
	}
	inSchema := map[string]bool{}
	var problems []string
	for _, c := range schema {
		key := c.table + "." + c.column
		inSchema[key] = true
		_, isPersonal := personal[key]
		switch {
		case c.refersToPeople && !isPersonal:
			problems = append(problems, key+" refers to people (id) but is not in storage.Personal")
		case !isPersonal && !other[key]:
			problems = append(problems, key+" is in neither storage.Personal nor storage.NotPersonal")
		case isPersonal && other[key]:
			problems = append(problems, key+" is in both storage.Personal and storage.NotPersonal")
		}
	}
	for _, c := range list {
		key := c.Table + "." + c.Column
		for _, who := range []string{c.Column, c.Who.PersonID, c.Who.Platform, c.Who.UserID, c.DerivedFrom} {
			if who != "" && !inSchema[c.Table+"."+who] {
				problems = append(problems, fmt.Sprintf("storage.Personal names %s.%s, which the schema does not have", c.Table, who))
			}
		}
		if c.Erase == 0 {
			problems = append(problems, key+" in storage.Personal says nothing about erasure")
		}
		if c.Access == "" && c.DerivedFrom == "" && c.Column != c.Who.PersonID && c.Table+"."+c.Column != "people.id" {
			problems = append(problems, key+" in storage.Personal has no /mijngegevens field (Access)")
		}
	}
	for key := range other {
		if !inSchema[key] {
			problems = append(problems, "storage.NotPersonal names "+key+", which the schema does not have")
		}
	}
	sort.Strings(problems)
	return slices.Compact(problems)
}

// TestPersonalColumnsCover: every column of the migrated schema is either
// personal (and then says who, what erasure does, how long it is kept and
// where /mijngegevens shows it) or listed as not personal.
func TestPersonalColumnsCover(t *testing.T) {
	db, _ := openTest(t)
	for _, p := range coverageProblems(schemaColumns(t, db.db), Personal, notPersonal()) {
		t.Error(p)
	}
}

// TestPersonalColumnsCoverNewColumn shows that the check above fails when a
// migration adds a person column nobody registered: a new table with an
// author, and a new name column in an existing table.
func TestPersonalColumnsCoverNewColumn(t *testing.T) {
	db, _ := openTest(t)
	other := notPersonal()
	other["help_answers.editor_id"] = true
	before := coverageProblems(schemaColumns(t, db.db), Personal, other)
	for _, q := range []string{
		`CREATE TABLE interviews (
			id INTEGER PRIMARY KEY,
			text TEXT NOT NULL,
			author_id INTEGER REFERENCES people (id) ON DELETE SET NULL,
			author_name TEXT NOT NULL DEFAULT ''
		)`,
		`ALTER TABLE entries ADD COLUMN reviewer_name TEXT NOT NULL DEFAULT ''`,
		// Even marked "not personal", a reference to people is refused.
		`ALTER TABLE help_answers ADD COLUMN editor_id INTEGER REFERENCES people (id)`,
	} {
		if _, err := db.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	var got []string // the problems the new columns brought
	for _, p := range coverageProblems(schemaColumns(t, db.db), Personal, other) {
		if !slices.Contains(before, p) {
			got = append(got, p)
		}
	}
	want := []string{
		"entries.reviewer_name is in neither storage.Personal nor storage.NotPersonal",
		"help_answers.editor_id refers to people (id) but is not in storage.Personal",
		"interviews.author_id refers to people (id) but is not in storage.Personal",
		"interviews.author_name is in neither storage.Personal nor storage.NotPersonal",
		"interviews.id is in neither storage.Personal nor storage.NotPersonal",
		"interviews.text is in neither storage.Personal nor storage.NotPersonal",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A stale entry (a column dropped or renamed) is found as well.
	stale := append(slices.Clone(Personal), PersonalColumn{Table: "entries", Column: "gone", Who: ByPerson("author_id"), Erase: EraseKeep, Access: "voortgang.weg"})
	got = coverageProblems(schemaColumns(t, db.db), stale, other)
	if !slices.Contains(got, "storage.Personal names entries.gone, which the schema does not have") {
		t.Fatalf("stale entry not found: %q", got)
	}
}

// TestEraseStatementsOrder: names are replaced while the ids that find them
// are still there; the ids go next; the people row last.
func TestEraseStatementsOrder(t *testing.T) {
	stmts := eraseStatements(Personal)
	idx := func(prefix string) int {
		for i, s := range stmts {
			if strings.HasPrefix(s, prefix) {
				return i
			}
		}
		t.Fatalf("no statement %q in %q", prefix, stmts)
		return -1
	}
	name := idx("UPDATE entries SET author_name = ?4")
	id := idx("UPDATE entries SET author_id = NULL")
	people := idx("DELETE FROM people")
	if !(name < id && id < people && people == len(stmts)-1) {
		t.Fatalf("order %q", stmts)
	}
}

// TestPersonalDataExportComplete fills every column of Personal with a
// marker for one person, asks /mijngegevens through the handler and finds
// each marker in the file at the column's Access field (issue 16.5: claims
// and answers as staff with request number and collective, and the private
// chat's title, were missing). Id and time columns cannot carry a marker;
// their field must be there and not empty.
func TestPersonalDataExportComplete(t *testing.T) {
	ctx := context.Background()
	db, clk := openTest(t)
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	dm := commands.ChatRef{Platform: ana.Platform, ID: ana.ID}
	if err := db.SetChatLang(ctx, "", dm, commands.NL); err != nil {
		t.Fatal(err)
	}
	// One row of every kind for Ana: she writes, asks, and as staff claims
	// and answers Bram's request.
	if err := db.AddEntry(ctx, "", &commands.Entry{CollectiveID: noord.ID, Text: "van Ana"}, ana); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateRequest(ctx, "", &commands.HelpRequest{CollectiveID: noord.ID, Expertise: "zorg", Question: "vraag"}, ana, 0); err != nil {
		t.Fatal(err)
	}
	rb := &commands.HelpRequest{CollectiveID: noord.ID, Expertise: "zorg", Question: "vraag van Bram"}
	if err := db.CreateRequest(ctx, "", rb, bram, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ClaimRequest(ctx, "", rb.Number, ana); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AnswerRequest(ctx, "", rb.Number, "antwoord", ana); err != nil {
		t.Fatal(err)
	}
	panel, _ := db.Panel(ctx, noord.ID)
	if _, err := db.SetSlider(ctx, "", noord.ID, panel[0].ID, 6, "omdat", ana); err != nil {
		t.Fatal(err)
	}
	round, _, _ := db.ClaimRound(ctx, noord.ID, t0.Add(time.Hour))
	if err := db.AddCheckinAnswer(ctx, "", round.ID, "check-in", ana); err != nil {
		t.Fatal(err)
	}
	// Ana invites an expert as staff and becomes that expert herself.
	expert := &commands.Expert{Name: "Ana als expert", Expertises: []string{"zorg"}}
	if err := db.CreateExpert(ctx, "", expert, "EEEE2345", t0.Add(24*time.Hour), ana); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RedeemInvite(ctx, "", "EEEE2345", dm, ana); err != nil {
		t.Fatal(err)
	}
	// The network: a lesson, a sparring invitation Ana makes and (for
	// Zuid) answers, a meeting she creates and answers.
	if err := db.AddLesson(ctx, "", &commands.Lesson{CollectiveID: noord.ID, Text: "les"}, ana); err != nil {
		t.Fatal(err)
	}
	zuid := mustCollective(t, db, "Zuid", "ZZZZ2345")
	inv := &commands.Invitation{FromID: noord.ID, ToID: zuid.ID, Theme: "wonen"}
	if err := db.CreateInvitation(ctx, "", inv, ana, "@ana"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AnswerInvitation(ctx, "", inv.ID, zuid.ID, true, ana, "@ana"); err != nil {
		t.Fatal(err)
	}
	meeting := &commands.Meeting{Title: "Netwerkdag", StartsAt: t0.Add(48 * time.Hour)}
	if err := db.CreateMeeting(ctx, "", meeting, ana); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetRSVP(ctx, "", meeting.Number, dm, commands.RSVPYes, ana); err != nil {
		t.Fatal(err)
	}
	var pid int64
	if err := db.db.QueryRow(`SELECT id FROM people WHERE platform = ? AND user_id = ?`, ana.Platform, ana.ID).Scan(&pid); err != nil {
		t.Fatal(err)
	}

	markers := map[string]string{} // Access field -> marker
	var present []string           // Access fields that must merely be there
	for i, c := range Personal {
		if c.Access == "" { // an id Who uses, or DerivedFrom another
			continue
		}
		if c.Column == c.Who.Platform || c.Column == c.Who.UserID || strings.HasSuffix(c.Column, "_at") {
			present = append(present, c.Access)
			continue
		}
		marker := fmt.Sprintf("MARKER%02d", i)
		res, err := db.db.Exec(fmt.Sprintf(`UPDATE %s SET %s = ?4 WHERE %s`, c.Table, c.Column, c.Who.where()),
			pid, ana.Platform, ana.ID, marker)
		if err != nil && strings.Contains(err.Error(), "CHECK constraint failed") {
			// A column of a few allowed values cannot carry a marker.
			present = append(present, c.Access)
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		markers[c.Access] = marker
		if n, _ := res.RowsAffected(); n == 0 {
			t.Fatalf("the test wrote no %s.%s for Ana: give her a row of that table above", c.Table, c.Column)
		}
	}

	h := &commands.Handler{Store: db, Now: clk.Now, Location: time.UTC, DefaultLang: commands.NL}
	reply := h.Handle(ctx, commands.Request{EventID: "mydata", Chat: dm, User: ana, Private: true, Command: "mijngegevens"})
	if len(reply.Files) != 1 {
		t.Fatalf("/mijngegevens: %q, no file", reply.Text)
	}
	var file map[string]any
	if err := json.Unmarshal(reply.Files[0].Data, &file); err != nil {
		t.Fatal(err)
	}
	for access, marker := range markers {
		if got := fieldValues(file, access); !slices.Contains(got, marker) {
			t.Errorf("/mijngegevens %s = %q, want the value of its column (%s)", access, got, marker)
		}
	}
	for _, access := range present {
		if got := fieldValues(file, access); len(got) == 0 || slices.Contains(got, "") || slices.Contains(got, "<nil>") {
			t.Errorf("/mijngegevens %s = %q, want it filled", access, got)
		}
	}
	// What the person did as staff names the request and its collective.
	for _, section := range []string{"opgepakte_hulpvragen", "antwoorden"} {
		number := "nummer"
		if section == "antwoorden" {
			number = "hulpvraag"
		}
		if got := fieldValues(file, section+"."+number); !slices.Equal(got, []string{fmt.Sprint(rb.Number)}) {
			t.Errorf("%s.%s = %q, want [%d]", section, number, got, rb.Number)
		}
		if got := fieldValues(file, section+".collectief"); !slices.Equal(got, []string{"Noord"}) {
			t.Errorf("%s.collectief = %q, want [Noord]", section, got)
		}
	}
}

// fieldValues returns the values at "field" or "section.field" of the
// /mijngegevens file, as text.
func fieldValues(file map[string]any, access string) []string {
	section, field, nested := strings.Cut(access, ".")
	if !nested {
		if v, ok := file[section]; ok {
			return []string{fmt.Sprint(v)}
		}
		return nil
	}
	var out []string
	switch v := file[section].(type) {
	case []any:
		for _, item := range v {
			if m, ok := item.(map[string]any); ok {
				if x, ok := m[field]; ok {
					out = append(out, fmt.Sprint(x))
				}
			}
		}
	case map[string]any:
		if x, ok := v[field]; ok {
			out = append(out, fmt.Sprint(x))
		}
	}
	return out
}

// TestForgetLeavesNoTrace: after /vergeetmij the erased name is nowhere in
// the bytes of the database file or its WAL (issue 16.4: the old rows stayed
// readable in free pages and in the WAL).
func TestForgetLeavesNoTrace(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	noord := mustCollective(t, db, "Noord", "NNNN2345")
	zwaan := commands.UserRef{Platform: commands.Telegram, ID: "777", Name: "Zwaantje Kwakkelstein"}
	// Enough records that they fill pages of their own, next to others'.
	for i := range 200 {
		by := zwaan
		if i%2 == 1 {
			by = bram
		}
		if err := db.AddEntry(ctx, "", &commands.Entry{CollectiveID: noord.ID, Text: fmt.Sprintf("stap %d", i)}, by); err != nil {
			t.Fatal(err)
		}
	}
	// Before: the name is in the file or its WAL (the test can fail).
	if !dbfiles.Contain(t, path, "Kwakkelstein") {
		t.Fatal("the name is not in the database before erasing: the test proves nothing")
	}
	if err := db.ForgetPerson(ctx, "forget", zwaan); err != nil {
		t.Fatal(err)
	}
	if dbfiles.Contain(t, path, "Kwakkelstein") {
		t.Fatal("the erased name is still readable in the database file or its WAL")
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if dbfiles.Contain(t, path, "Kwakkelstein") {
		t.Fatal("the erased name is readable in the database file after closing")
	}
}
