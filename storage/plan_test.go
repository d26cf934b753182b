package storage

import (
	"context"
	"strings"
	"testing"
)

// queryPlan returns the lines of EXPLAIN QUERY PLAN for query, indented
// by depth as the sqlite3 shell shows them.
func queryPlan(t testing.TB, db *DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.db.QueryContext(context.Background(), `EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", query, err)
	}
	defer rows.Close()
	depth := map[int]int{0: -1}
	var lines []string
	for rows.Next() {
		var id, parent, notUsed int
		var detail string
		if err := rows.Scan(&id, &parent, &notUsed, &detail); err != nil {
			t.Fatal(err)
		}
		depth[id] = depth[parent] + 1
		lines = append(lines, strings.Repeat("  ", depth[id])+detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// planUses fails the test unless the plan names index, and when it scans
// a table of tables without an index.
func planUses(t *testing.T, name string, plan []string, index string, noScan ...string) {
	t.Helper()
	text := strings.Join(plan, "\n")
	if !strings.Contains(text, index) {
		t.Errorf("%s: the plan does not use %s:\n%s", name, index, text)
	}
	for _, line := range plan {
		line = strings.TrimSpace(line)
		for _, table := range noScan {
			if line == "SCAN "+table {
				t.Errorf("%s: the plan reads every row of %s:\n%s", name, table, text)
			}
		}
	}
}

// TestOverviewPlansUseIndexes: the overview's counts (web page "/", its
// cards, a collective's page) read the quiet collectives and a
// collective's introductions on their indexes (080_overview_indexes), not
// every collective or every accepted invitation of the programme. Without
// collectives_activity, the quiet count and the quiet group read every
// collective; without spar_invitations_from, a card read every accepted
// invitation.
func TestOverviewPlansUseIndexes(t *testing.T) {
	db, _ := openTest(t)
	planUses(t, "programme totals", queryPlan(t, db, programmeTotalsSQL, "2026-11-01", "2026-11-29"),
		"collectives_activity", "collectives")
	for _, name := range []string{"", "noord"} {
		cond, args := `1`, []any{}
		if name != "" {
			cond, args = `c.name_key LIKE ? ESCAPE '\'`, []any{nameLike(name)}
		}
		quiet := attentionGroups[1]
		args = append(args, "2026-11-01")
		planUses(t, "quiet group count "+cond, queryPlan(t, db, quiet.countSQL(cond), args...),
			"collectives_activity", "c", "collectives")
		planUses(t, "quiet group page "+cond, queryPlan(t, db, quiet.pageSQL(cond), append(args, 20, 0)...),
			"collectives_activity", "c", "collectives")
	}
	for name, q := range map[string]string{
		"collective counts": collectiveCountsSQL,
		"introductions":     `SELECT ` + introductionsSQL,
	} {
		plan := queryPlan(t, db, q, 1)
		planUses(t, name, plan, "spar_invitations_from", "spar_invitations")
		planUses(t, name, plan, "spar_invitations_to", "spar_invitations")
	}
}

// TestMeetingRemindersDuePlan: the scheduler's minute asks for the
// meetings due a reminder on a range of meetings_starts and looks their
// keys up in scheduler_sends; it reads no other meeting and no answer.
//
//	SEARCH m USING INDEX meetings_starts (starts_at>? AND starts_at<?)
//	CORRELATED SCALAR SUBQUERY 1
//	  SEARCH s USING PRIMARY KEY (key=?)
func TestMeetingRemindersDuePlan(t *testing.T) {
	db, _ := openTest(t)
	plan := queryPlan(t, db, meetingRemindersDueSQL, "2026-12-01", "2026-12-02", "meeting-reminder")
	text := strings.Join(plan, "\n")
	planUses(t, "meeting reminders due", plan, "meetings_starts (starts_at>? AND starts_at<?)", "m", "meetings", "s", "scheduler_sends")
	planUses(t, "meeting reminders due", plan, "SEARCH s USING PRIMARY KEY (key=?)")
	if strings.Contains(text, "meeting_rsvps") {
		t.Errorf("the plan reads answers:\n%s", text)
	}
}

// TestOpenRequestsPlan: the unresolved requests, which the scheduler's
// alerts read every minute, come from help_requests_status, not from a
// scan of every request ever asked.
func TestOpenRequestsPlan(t *testing.T) {
	db, _ := openTest(t)
	planUses(t, "open requests", queryPlan(t, db, openRequestsSQL), "help_requests_status", "r", "help_requests")
}

// TestCheckbacksDuePlan: the scheduler's minute reads the introductions
// whose check-back is still to be claimed, a range of their index
// (081_checkbacks_pending), not every accepted introduction ever made.
func TestCheckbacksDuePlan(t *testing.T) {
	db, _ := openTest(t)
	planUses(t, "check-backs due", queryPlan(t, db, checkbacksDueSQL, "2026-11-16", "checkback"),
		"spar_invitations_checkback_pending (status=? AND checkback_claimed=? AND answered_at<?)", "i", "spar_invitations")
}

// TestCollectiveNamesPlan: autocompleting a collective's name (at every
// keystroke on Discord) reads a range of the name_key index and the
// full-text indexes of the names (087_collective_names_trigram), never
// every collective. The full-text indexes give their matches in rowid
// order, which is name order (INDEX 64 is FTS5's rowid order), so the
// LIMIT stops the reading; a sort (TEMP B-TREE) would read every match.
//
//	SEARCH collectives USING INDEX sqlite_autoindex_collectives_1 (name_key>? AND name_key<?)
//
//	SCAN f VIRTUAL TABLE INDEX 64:M1
//	SEARCH n USING INTEGER PRIMARY KEY (rowid=?)
//	SEARCH c USING INTEGER PRIMARY KEY (rowid=?)
func TestCollectiveNamesPlan(t *testing.T) {
	db, _ := openTest(t)
	starting := queryPlan(t, db, namesStartingSQL, "noo", "noo\xf5", 0, 25)
	planUses(t, "names starting", starting, "(name_key>? AND name_key<?)", "collectives")
	if text := strings.Join(starting, "\n"); strings.Contains(text, "TEMP B-TREE") {
		t.Errorf("names starting: sorted apart from the index, so every match is read:\n%s", text)
	}
	for _, q := range []struct{ name, sql, match string }{
		{"names with a word", namesWithWordSQL, `"noo"*`},
		{"names containing", namesContainingSQL, `"bedrijf"`},
	} {
		plan := queryPlan(t, db, q.sql, q.match, "noo", "noo\xf5", 0, 25)
		planUses(t, q.name, plan, "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)", "c", "collectives", "n", "collective_names")
		planUses(t, q.name, plan, "SEARCH n USING INTEGER PRIMARY KEY (rowid=?)", "c", "collectives", "n", "collective_names")
		planUses(t, q.name, plan, "SCAN f VIRTUAL TABLE INDEX 64:M", "c", "collectives", "n", "collective_names")
		if text := strings.Join(plan, "\n"); strings.Contains(text, "TEMP B-TREE") {
			t.Errorf("%s: sorted, so every match is read:\n%s", q.name, text)
		}
	}
}

// TestMixedLoadPlansUseIndexes: every read of the scale curves' mixed load
// (/voortgang, /tijdlijn, /schuif: wijkbench's scale_p99_ratio) is a search
// within one collective, one chat or one person on an index, so its cost
// does not grow with the programme beyond the depth of a B-tree. Without
// entries_collective, /tijdlijn read every entry of the programme; without
// slider_changes_element, /schuif and /mengpaneel read every slider move.
func TestMixedLoadPlansUseIndexes(t *testing.T) {
	db, _ := openTest(t)
	for _, q := range []struct {
		name, sql string
		args      []any
		index     []string
		noScan    []string
	}{
		{"chat", chatSQL, []any{"telegram", "1"}, []string{"sqlite_autoindex_chats_1 (platform=? AND chat_id=?)"}, []string{"chats"}},
		{"person", personSQL, []any{"telegram", "1"}, []string{"sqlite_autoindex_people_1 (platform=? AND user_id=?)"}, []string{"people"}},
		{"collective", `SELECT ` + collectiveColumns + ` FROM collectives WHERE id = ?`, []any{1}, []string{"SEARCH collectives USING INTEGER PRIMARY KEY (rowid=?)"}, []string{"collectives"}},
		{"timeline", entriesSQL, []any{1, 10}, []string{"entries_collective (collective_id=?)", "SEARCH t USING PRIMARY KEY (entry_id=?)"}, []string{"e", "entries", "t", "entry_themes"}},
		{"panel", panelSQL, []any{1}, []string{"slider_changes_element (collective_id=? AND element_id=?)"}, []string{"slider_changes", "e", "elements"}},
		{"panel element", panelElementSQL, []any{1, 1}, []string{"SEARCH elements USING INTEGER PRIMARY KEY (rowid=?)"}, []string{"elements"}},
		{"slider value", sliderValueSQL, []any{1, 1}, []string{"slider_changes_element (collective_id=? AND element_id=?)"}, []string{"slider_changes"}},
	} {
		plan := queryPlan(t, db, q.sql, q.args...)
		for _, index := range q.index {
			planUses(t, q.name, plan, index, q.noScan...)
		}
		// A temporary B-tree for the ORDER BY of the timeline or of a
		// slider's value would sort the collective's whole history before
		// the LIMIT. (The panel's sorts the panel's elements, at most the
		// defaults and the 20 of its own commands allows; group_concat's sorts one entry's
		// themes.)
		if text := strings.Join(plan, "\n"); q.name != "panel" && strings.Contains(text, "TEMP B-TREE FOR ORDER BY") {
			t.Errorf("%s: the plan sorts what it read:\n%s", q.name, text)
		}
	}
}

// TestRetentionPlan: the daily deletion of old check-in answers reads the
// range it deletes on checkin_answers_created (085), not every answer kept.
func TestRetentionPlan(t *testing.T) {
	db, _ := openTest(t)
	if len(checkinRetentionSQL) == 0 {
		t.Fatal("no retention statement: the test proves nothing")
	}
	for _, q := range checkinRetentionSQL {
		planUses(t, q, queryPlan(t, db, q, "2025-11-30"), "INDEX checkin_answers_created (created_at<?)", "checkin_answers")
	}
}

// TestNetworkCountsPlan: /overzicht's introductions and conversations are
// ranges of spar_invitations_talked (086), read without the table; the
// count of all invitations reads an index, not the rows.
//
//	SCAN spar_invitations USING COVERING INDEX spar_invitations_talked_by
//	SEARCH spar_invitations USING COVERING INDEX spar_invitations_talked (status=?)
//	SEARCH spar_invitations USING COVERING INDEX spar_invitations_talked (status=? AND talked=?)
func TestNetworkCountsPlan(t *testing.T) {
	db, _ := openTest(t)
	plan := queryPlan(t, db, networkCountsSQL)
	planUses(t, "introductions", plan, "USING COVERING INDEX spar_invitations_talked (status=?)", "spar_invitations")
	planUses(t, "conversations", plan, "USING COVERING INDEX spar_invitations_talked (status=? AND talked=?)", "spar_invitations")
	for _, line := range plan {
		if strings.Contains(line, "spar_invitations") && !strings.Contains(line, "COVERING INDEX") {
			t.Errorf("a count reads the invitations' rows:\n%s", strings.Join(plan, "\n"))
		}
	}
}
