package storage

import (
	"fmt"
	"sort"
	"strings"
)

// Personal is the one list of every column that holds personal data. It
// drives erasure (/vergeetmij: ForgetPerson runs the statements eraseStatements
// derives from it) and retention (DeleteCheckinAnswersBefore deletes the rows
// of every table whose Retention names CheckinRetention), and access
// (/mijngegevens) is held to it: TestPersonalDataExportComplete puts a marker
// in every column listed here and finds each in the file at its Access field.
//
// ADDING A TABLE OR COLUMN (helpers, read this): TestPersonalColumnsCover
// reads the migrated schema (sqlite_master, pragma_table_info) and fails for
// any column that is in neither Personal nor NotPersonal, and for any column
// referencing people (id) that is not in Personal. So with a new migration:
//  1. each column that says who someone is, or that a person wrote about
//     themselves (ids, names, usernames, texts), gets a line here: how the
//     row's person is found (ByPerson for a people.id column, ByPlatformID
//     for platform + user id columns), what /vergeetmij does (EraseReplace
//     names, EraseNull ids, EraseClear, EraseRow, EraseKeep for texts the
//     collective keeps), how long it is kept, and the /mijngegevens field
//     that shows it (add that field to commands' dataFile and PersonalData);
//  2. every other column goes into NotPersonal under its table.
//
// Run `go test ./storage -run Personal`; its messages name what is missing.
var Personal = []PersonalColumn{
	// The person: deleted by /vergeetmij, which sets every *_id below to NULL.
	{Table: "people", Column: "id", Who: ByPlatformID("platform", "user_id"), Erase: EraseRow},
	{Table: "people", Column: "platform", Who: ByPlatformID("platform", "user_id"), Erase: EraseRow, Access: "platform"},
	{Table: "people", Column: "user_id", Who: ByPlatformID("platform", "user_id"), Erase: EraseRow, Access: "gebruiker_id"},
	{Table: "people", Column: "name", Who: ByPlatformID("platform", "user_id"), Erase: EraseRow, Access: "naam"},
	{Table: "people", Column: "created_at", Who: ByPlatformID("platform", "user_id"), Erase: EraseRow, Access: "bekend_sinds"},
	{Table: "people", Column: "updated_at", Who: ByPlatformID("platform", "user_id"), Erase: EraseRow, Access: "naam_bijgewerkt"},

	// The person's own chat with the bot on a platform that gives a
	// one-to-one chat the person's id (Telegram): titled with their name,
	// and its id is their user id, so the row goes with them, language and
	// all, as a Discord DM's does. Group chats have ids of their own, so
	// only the private chat matches.
	{Table: "chats", Column: "title", Who: ByPlatformID("platform", "chat_id"), Erase: EraseRow, Access: "privechat.titel"},
	// A one-to-one chat whose id is not the person's (a Discord DM, the
	// console's prive: chat) is recorded as theirs (082) when stored, and
	// goes with them: its id names them to the platform, with its language.
	{Table: "chats", Column: "owner_id", Who: ByPlatformID("platform", "owner_id"), Erase: EraseRow, Access: "privechat.chat"},

	// What the person wrote: kept for the collective, without their name.
	{Table: "entries", Column: "author_id", Who: ByPerson("author_id"), Erase: EraseNull},
	{Table: "entries", Column: "author_name", Who: ByPerson("author_id"), Erase: EraseReplace, Access: "voortgang.naam"},
	{Table: "entries", Column: "text", Who: ByPerson("author_id"), Erase: EraseKeep, Access: "voortgang.tekst"},

	{Table: "help_requests", Column: "asked_by_id", Who: ByPerson("asked_by_id"), Erase: EraseNull},
	{Table: "help_requests", Column: "asked_by_name", Who: ByPerson("asked_by_id"), Erase: EraseReplace, Access: "hulpvragen.naam"},
	{Table: "help_requests", Column: "question", Who: ByPerson("asked_by_id"), Erase: EraseKeep, Access: "hulpvragen.vraag"},

	// What the person did as staff.
	{Table: "help_requests", Column: "claimed_by_id", Who: ByPerson("claimed_by_id"), Erase: EraseNull},
	{Table: "help_requests", Column: "claimed_by_name", Who: ByPerson("claimed_by_id"), Erase: EraseReplace, Access: "opgepakte_hulpvragen.naam"},
	{Table: "help_answers", Column: "author_id", Who: ByPerson("author_id"), Erase: EraseNull},
	{Table: "help_answers", Column: "author_name", Who: ByPerson("author_id"), Erase: EraseReplace, Access: "antwoorden.naam"},
	{Table: "help_answers", Column: "text", Who: ByPerson("author_id"), Erase: EraseKeep, Access: "antwoorden.tekst"},

	{Table: "slider_changes", Column: "author_id", Who: ByPerson("author_id"), Erase: EraseNull},
	{Table: "slider_changes", Column: "author_name", Who: ByPerson("author_id"), Erase: EraseReplace, Access: "schuifwijzigingen.naam"},
	{Table: "slider_changes", Column: "why", Who: ByPerson("author_id"), Erase: EraseKeep, Access: "schuifwijzigingen.toelichting"},

	// Experts (020_experts): the role of a person from the network. Its
	// name is the invite's; /vergeetmij ends the role first (forgetExpert).
	// Answers and claims as expert are help_answers and help_requests rows
	// with the person's author_id and claimed_by_id, erased above.
	{Table: "experts", Column: "person_id", Who: ByPerson("person_id"), Erase: EraseNull},
	{Table: "experts", Column: "name", Who: ByPerson("person_id"), Erase: EraseReplace, Access: "expert.naam"},
	{Table: "experts", Column: "name_key", Who: ByPerson("person_id"), Erase: EraseClear, DerivedFrom: "name"},
	{Table: "experts", Column: "platform", Who: ByPerson("person_id"), Erase: EraseClear, Access: "expert.platform"},
	{Table: "experts", Column: "chat_id", Who: ByPerson("person_id"), Erase: EraseClear, Access: "expert.chat"},
	// The staff member who invited an expert.
	{Table: "experts", Column: "invited_by_id", Who: ByPerson("invited_by_id"), Erase: EraseNull},
	{Table: "experts", Column: "invited_by_name", Who: ByPerson("invited_by_id"), Erase: EraseReplace, Access: "uitgenodigde_experts.naam"},

	// The network (030–032). Lessons and invitations stay for the
	// collectives, nameless and without a way to reach the person; an
	// answer to a meeting is only the person's, so it goes.
	{Table: "lessons", Column: "author_id", Who: ByPerson("author_id"), Erase: EraseNull},
	{Table: "lessons", Column: "author_name", Who: ByPerson("author_id"), Erase: EraseReplace, Access: "lessen.naam"},
	{Table: "lessons", Column: "text", Who: ByPerson("author_id"), Erase: EraseKeep, Access: "lessen.tekst"},
	{Table: "spar_invitations", Column: "asked_by_id", Who: ByPerson("asked_by_id"), Erase: EraseNull},
	{Table: "spar_invitations", Column: "asked_by_name", Who: ByPerson("asked_by_id"), Erase: EraseReplace, Access: "sparverzoeken.naam"},
	{Table: "spar_invitations", Column: "asked_by_contact", Who: ByPerson("asked_by_id"), Erase: EraseClear, Access: "sparverzoeken.contact"},
	{Table: "spar_invitations", Column: "answered_by_id", Who: ByPerson("answered_by_id"), Erase: EraseNull},
	{Table: "spar_invitations", Column: "answered_by_name", Who: ByPerson("answered_by_id"), Erase: EraseReplace, Access: "sparantwoorden.naam"},
	{Table: "spar_invitations", Column: "answered_by_contact", Who: ByPerson("answered_by_id"), Erase: EraseClear, Access: "sparantwoorden.contact"},
	{Table: "spar_invitations", Column: "talked_by_id", Who: ByPerson("talked_by_id"), Erase: EraseNull},
	{Table: "meetings", Column: "created_by_id", Who: ByPerson("created_by_id"), Erase: EraseNull},
	{Table: "meetings", Column: "created_by_name", Who: ByPerson("created_by_id"), Erase: EraseReplace, Access: "bijeenkomsten.naam"},
	{Table: "meeting_rsvps", Column: "person_id", Who: ByPerson("person_id"), Erase: EraseRow},
	{Table: "meeting_rsvps", Column: "person_name", Who: ByPerson("person_id"), Erase: EraseRow, Access: "aanmeldingen.naam"},
	{Table: "meeting_rsvps", Column: "answer", Who: ByPerson("person_id"), Erase: EraseRow, Access: "aanmeldingen.antwoord"},

	// The web pages (040_web): a login link and a session are only the
	// person's, so /vergeetmij deletes them (and the sessions end). Only
	// hashes of the tokens are stored; the rest of each row says which
	// staff chat it came from and when, which is not about the person.
	{Table: "web_login_tokens", Column: "person_id", Who: ByPerson("person_id"), Erase: EraseRow},
	{Table: "web_sessions", Column: "person_id", Who: ByPerson("person_id"), Erase: EraseRow},

	// A text the bot asked for with a question (060_asks): who pressed the
	// button, the only one whose reply counts. It lives until answered or
	// expired (a week), so it is not shown; /vergeetmij deletes it.
	{Table: "text_asks", Column: "person_id", Who: ByPerson("person_id"), Erase: EraseRow},

	// Check-in answers are the most personal texts kept (how the group is
	// doing) and, unlike progress, not the collective's record: deleted
	// after WIJKBOT_CHECKIN_RETENTION.
	{Table: "checkin_answers", Column: "author_id", Who: ByPerson("author_id"), Erase: EraseNull, Retention: CheckinRetention},
	{Table: "checkin_answers", Column: "author_name", Who: ByPerson("author_id"), Erase: EraseReplace, Retention: CheckinRetention, Access: "checkin_antwoorden.naam"},
	{Table: "checkin_answers", Column: "text", Who: ByPerson("author_id"), Erase: EraseKeep, Retention: CheckinRetention, Access: "checkin_antwoorden.tekst"},
}

// NotPersonal lists, per table, the columns that hold no personal data,
// so that a new column must be put in Personal or here on purpose (see
// Personal). Tables and columns are separated by single spaces.
var NotPersonal = map[string]string{
	"migrations":       "name applied_at",
	"processed_events": "id at", // platform event ids, no person
	"state":            "key value updated_at",
	"collectives":      "id name name_key code schedule paused_until created_at last_activity_at",
	"chats":            "platform chat_id kind collective_id lang active created_at updated_at",
	"entries":          "id collective_id milestone source created_at",
	"entry_themes":     "entry_id position theme", // #words of entries.text, shown with it
	"help_requests":    "number collective_id expertise status feedback created_at claimed_at answered_at resolved_at claimed_by_expert_id",
	"help_answers":     "id number created_at expert_id",
	"elements":         "id collective_id name name_key description position created_at",
	"slider_changes":   "id collective_id element_id value previous created_at",
	"checkin_rounds":   "id collective_id scheduled_at status posted_at created_at",
	"checkin_answers":  "id round_id created_at",
	"scheduler_sends":  "key kind scheduled_at status created_at finished_at",
	// Deliveries go to collective and staff chats (group ids, no person).
	"scheduler_deliveries": "owner round_id platform chat_id status failures message_id updated_at",

	// 020_experts. The role's state is shown with the role in /mijngegevens;
	// the ids of the role say in what capacity a request was taken.
	"experts":           "id away_until unreachable active created_at joined_at ended_at",
	"expert_expertises": "expert_id expertise",
	"expert_invites":    "code expert_id created_at expires_at used_at",
	"help_offers":       "number expert_id assigned offered_at",

	// 010–019, operations: which process runs the rounds (a host and
	// process id, no person).
	"leases": "name holder acquired_at expires_at",

	// 040_web: see Personal.
	"web_login_tokens": "hash platform chat_id created_at expires_at used_at",
	"web_sessions":     "hash platform chat_id created_at expires_at",

	// 060_asks: see Personal. The line is a button's command ("/antwoord
	// 3"), nothing the person wrote.
	"text_asks": "platform chat_id message_id line created_at expires_at",

	// 030–032, the network.
	"lessons":          "number collective_id sharing source created_at sharing_at",
	"lesson_themes":    "lesson position theme", // #words of lessons.text, shown with it
	"spar_invitations": "id from_collective_id to_collective_id theme status talked created_at expires_at answered_at talked_at checkback_claimed",
	"meetings":         "number title place starts_at created_at",
	// The chat an answer came from (a group chat) and when; the row goes
	// with the person.
	"meeting_rsvps": "meeting collective_id platform chat_id updated_at",
	// The full-text index of lessons.text (kept, like the text) and
	// SQLite's shadow tables behind it.
	"lessons_fts":         "text",
	"lessons_fts_config":  "k v",
	"lessons_fts_data":    "id block",
	"lessons_fts_docsize": "id sz",
	"lessons_fts_idx":     "segid term pgno",
	// 087: a collective's name_key at its place in name order, the
	// full-text indexes of it, for autocompletion, and their shadow tables:
	// a collective's name, no person's. (084's collectives_fts is gone.)
	"collective_names":               "pos collective_id name_key",
	"collective_names_words":         "name_key",
	"collective_names_words_config":  "k v",
	"collective_names_words_data":    "id block",
	"collective_names_words_docsize": "id sz",
	"collective_names_words_idx":     "segid term pgno",
	"collective_names_grams":         "name_key",
	"collective_names_grams_config":  "k v",
	"collective_names_grams_data":    "id block",
	"collective_names_grams_docsize": "id sz",
	"collective_names_grams_idx":     "segid term pgno",
}

// PersonalColumn is one column of Personal.
type PersonalColumn struct {
	Table, Column string
	// Who finds the rows that belong to a person.
	Who Who
	// Erase is what /vergeetmij does to the column.
	Erase Erasure
	// Retention is how long it is kept; "" means until the person is
	// erased (or, for EraseKeep, as long as the collective's record).
	Retention Retention
	// Access is the field of the /mijngegevens file that shows the column:
	// "section.field" for a list of records (or one record), "field" at the
	// top. Empty only for the id columns Who uses (the file as a whole is
	// about that person) and for a column DerivedFrom another.
	Access string
	// DerivedFrom names the column of the same row this one is computed
	// from (a normalised name), shown as that one.
	DerivedFrom string
}

// Who says how a row belongs to a person: either a column holding
// people.id (ByPerson) or two columns holding the platform and the
// person's id on it (ByPlatformID).
type Who struct {
	PersonID         string
	Platform, UserID string
}

// ByPerson finds a person's rows by a column holding people.id.
func ByPerson(column string) Who { return Who{PersonID: column} }

// ByPlatformID finds a person's rows by a platform column and a column
// holding the person's id on that platform.
func ByPlatformID(platform, userID string) Who { return Who{Platform: platform, UserID: userID} }

// where is the SQL condition for the person; ?1 is their people.id, ?2 and
// ?3 their platform and user id (see personArgs).
func (w Who) where() string {
	if w.PersonID != "" {
		return w.PersonID + " = ?1"
	}
	return w.Platform + " = ?2 AND " + w.UserID + " = ?3"
}

// Erasure is what /vergeetmij does to a personal column.
type Erasure int

// The erasures, in the order ForgetPerson applies them: names and titles
// first (found by the ids), then rows, then the ids themselves.
const (
	// EraseReplace overwrites a name with commands.ErasedAuthor.
	EraseReplace Erasure = iota + 1
	// EraseClear empties the column.
	EraseClear
	// EraseKeep keeps the value: a text the collective keeps as its record.
	// Its author's name and id are erased, so it no longer points to them.
	EraseKeep
	// EraseRow deletes the whole row.
	EraseRow
	// EraseNull sets an id column to NULL.
	EraseNull
)

// Retention names the setting whose period deletes a row when it is older.
type Retention string

// CheckinRetention is WIJKBOT_CHECKIN_RETENTION, applied to created_at.
const CheckinRetention Retention = "WIJKBOT_CHECKIN_RETENTION"

// eraseStatements returns the statements ForgetPerson runs, derived from
// Personal, with the arguments of personArgs (?1 people.id, ?2 platform,
// ?3 user id, ?4 commands.ErasedAuthor). Rows found by people.id are
// handled before the people row is deleted, which would NULL their ids.
func eraseStatements(list []PersonalColumn) []string {
	type stmt struct {
		order int
		sql   string
	}
	var stmts []stmt
	seen := map[string]bool{}
	add := func(order int, sql string) {
		if !seen[sql] {
			seen[sql] = true
			stmts = append(stmts, stmt{order, sql})
		}
	}
	for _, c := range list {
		where := c.Who.where()
		switch c.Erase {
		case EraseReplace:
			add(0, fmt.Sprintf("UPDATE %s SET %s = ?4 WHERE %s", c.Table, c.Column, where))
		case EraseClear:
			add(0, fmt.Sprintf("UPDATE %s SET %s = '' WHERE %s", c.Table, c.Column, where))
		case EraseRow:
			// Rows go before the people row, whose deletion would NULL
			// the ids that find them; the person goes last.
			order := 1
			if c.Table == "people" {
				order = 3
			}
			add(order, fmt.Sprintf("DELETE FROM %s WHERE %s", c.Table, where))
		case EraseNull:
			add(2, fmt.Sprintf("UPDATE %s SET %s = NULL WHERE %s", c.Table, c.Column, where))
		}
	}
	sort.SliceStable(stmts, func(i, j int) bool { return stmts[i].order < stmts[j].order })
	out := make([]string, len(stmts))
	for i, s := range stmts {
		out[i] = s.sql
	}
	return out
}

// retentionStatements returns one DELETE per table whose rows expire by
// the setting r, with ?1 the cutoff time.
func retentionStatements(list []PersonalColumn, r Retention) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range list {
		if c.Retention != r || seen[c.Table] {
			continue
		}
		seen[c.Table] = true
		out = append(out, fmt.Sprintf("DELETE FROM %s WHERE created_at < ?1", c.Table))
	}
	return out
}

// notPersonal returns NotPersonal as a set of "table.column".
func notPersonal() map[string]bool {
	set := map[string]bool{}
	for table, cols := range NotPersonal {
		for _, c := range strings.Fields(cols) {
			set[table+"."+c] = true
		}
	}
	return set
}
