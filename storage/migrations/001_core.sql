-- 001_core: every core table of wijkbot.
--
-- Times are TEXT in UTC, formatted by storage.formatTime with a fixed width
-- ("2006-01-02T15:04:05.000000000Z"), so they sort and compare as text.
-- People are referenced by id; every record also keeps the author's display
-- name as it was when written (author_name), which /vergeetmij overwrites with
-- "verwijderd" before the people row is deleted (its ids then become NULL).

CREATE TABLE processed_events (
	id TEXT PRIMARY KEY,
	at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE state (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE people (
	id         INTEGER PRIMARY KEY,
	platform   TEXT NOT NULL,
	user_id    TEXT NOT NULL,
	name       TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (platform, user_id)
);

CREATE TABLE collectives (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL,
	name_key     TEXT NOT NULL UNIQUE, -- commands.NormalizeName(name)
	code         TEXT NOT NULL UNIQUE, -- upper case
	schedule     TEXT NOT NULL DEFAULT '',
	paused_until TEXT,                 -- NULL when not paused
	created_at   TEXT NOT NULL
);

CREATE TABLE chats (
	platform      TEXT NOT NULL,
	chat_id       TEXT NOT NULL,
	title         TEXT NOT NULL DEFAULT '',
	kind          TEXT NOT NULL DEFAULT '' CHECK (kind IN ('', 'collective', 'staff')),
	collective_id INTEGER REFERENCES collectives (id),
	lang          TEXT NOT NULL DEFAULT '',
	active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL,
	PRIMARY KEY (platform, chat_id),
	CHECK ((kind = 'collective') = (collective_id IS NOT NULL))
);
CREATE INDEX chats_collective ON chats (collective_id);

CREATE TABLE entries (
	id            INTEGER PRIMARY KEY,
	collective_id INTEGER NOT NULL REFERENCES collectives (id),
	text          TEXT NOT NULL,
	milestone     INTEGER NOT NULL DEFAULT 0 CHECK (milestone IN (0, 1)),
	author_id     INTEGER REFERENCES people (id) ON DELETE SET NULL,
	author_name   TEXT NOT NULL DEFAULT '',
	source        TEXT NOT NULL DEFAULT '',
	created_at    TEXT NOT NULL
);
CREATE INDEX entries_collective ON entries (collective_id, id);
CREATE INDEX entries_author ON entries (author_id);

-- Themes in their own table so overviews can count them in SQL.
CREATE TABLE entry_themes (
	entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	theme    TEXT NOT NULL,
	PRIMARY KEY (entry_id, position)
) WITHOUT ROWID;
CREATE INDEX entry_themes_theme ON entry_themes (theme);

CREATE TABLE help_requests (
	number          INTEGER PRIMARY KEY, -- #N, programme-wide
	collective_id   INTEGER NOT NULL REFERENCES collectives (id),
	expertise       TEXT NOT NULL,
	question        TEXT NOT NULL,
	status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'claimed', 'answered', 'resolved')),
	asked_by_id     INTEGER REFERENCES people (id) ON DELETE SET NULL,
	asked_by_name   TEXT NOT NULL DEFAULT '',
	claimed_by_id   INTEGER REFERENCES people (id) ON DELETE SET NULL,
	claimed_by_name TEXT NOT NULL DEFAULT '', -- '' when unclaimed
	feedback        TEXT NOT NULL DEFAULT '' CHECK (feedback IN ('', 'ja', 'nee')),
	created_at      TEXT NOT NULL,
	claimed_at      TEXT,
	answered_at     TEXT,
	resolved_at     TEXT
);
CREATE INDEX help_requests_collective ON help_requests (collective_id, number);
CREATE INDEX help_requests_status ON help_requests (status, number);
CREATE INDEX help_requests_asked_by ON help_requests (asked_by_id);
CREATE INDEX help_requests_claimed_by ON help_requests (claimed_by_id);

CREATE TABLE help_answers (
	id          INTEGER PRIMARY KEY,
	number      INTEGER NOT NULL REFERENCES help_requests (number),
	text        TEXT NOT NULL,
	author_id   INTEGER REFERENCES people (id) ON DELETE SET NULL,
	author_name TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL
);
CREATE INDEX help_answers_number ON help_answers (number, id);
CREATE INDEX help_answers_author ON help_answers (author_id);

-- Elements of the mengpaneel: collective_id NULL for the programme defaults.
CREATE TABLE elements (
	id            INTEGER PRIMARY KEY,
	collective_id INTEGER REFERENCES collectives (id),
	name          TEXT NOT NULL,
	name_key      TEXT NOT NULL, -- commands.NormalizeName(name)
	description   TEXT NOT NULL DEFAULT '',
	position      INTEGER NOT NULL,
	created_at    TEXT NOT NULL,
	UNIQUE (collective_id, name_key)
);
-- UNIQUE treats NULLs as distinct, so the defaults need their own index.
CREATE UNIQUE INDEX elements_default_name ON elements (name_key) WHERE collective_id IS NULL;
-- A collective's own element may not shadow a default.
CREATE TRIGGER elements_no_default_shadow BEFORE INSERT ON elements
WHEN NEW.collective_id IS NOT NULL
	AND EXISTS (SELECT 1 FROM elements WHERE collective_id IS NULL AND name_key = NEW.name_key)
BEGIN
	SELECT RAISE(ABORT, 'element name taken by a default element');
END;

INSERT INTO elements (collective_id, name, name_key, description, position, created_at) VALUES
	(NULL, 'eigenaarschap', 'eigenaarschap', '', 1, '2026-01-01T00:00:00.000000000Z'),
	(NULL, 'zeggenschap', 'zeggenschap', '', 2, '2026-01-01T00:00:00.000000000Z'),
	(NULL, 'ondernemerschap', 'ondernemerschap', '', 3, '2026-01-01T00:00:00.000000000Z'),
	(NULL, 'bezit (grond en gebouwen)', 'bezit (grond en gebouwen)', '', 4, '2026-01-01T00:00:00.000000000Z'),
	(NULL, 'geldstromen in de wijk', 'geldstromen in de wijk', '', 5, '2026-01-01T00:00:00.000000000Z'),
	(NULL, 'economische machtsbasis', 'economische machtsbasis', '', 6, '2026-01-01T00:00:00.000000000Z'),
	(NULL, 'financiële duurzaamheid', 'financiele duurzaamheid', '', 7, '2026-01-01T00:00:00.000000000Z'),
	(NULL, 'geworteld in de wijk', 'geworteld in de wijk', '', 8, '2026-01-01T00:00:00.000000000Z'),
	(NULL, 'impact op wonen', 'impact op wonen', '', 9, '2026-01-01T00:00:00.000000000Z'),
	(NULL, 'impact op werk', 'impact op werk', '', 10, '2026-01-01T00:00:00.000000000Z'),
	(NULL, 'impact op zorg', 'impact op zorg', '', 11, '2026-01-01T00:00:00.000000000Z');

CREATE TABLE slider_changes (
	id            INTEGER PRIMARY KEY,
	collective_id INTEGER NOT NULL REFERENCES collectives (id),
	element_id    INTEGER NOT NULL REFERENCES elements (id),
	value         INTEGER NOT NULL CHECK (value BETWEEN 0 AND 10),
	previous      INTEGER CHECK (previous BETWEEN 0 AND 10), -- NULL for the first move
	author_id     INTEGER REFERENCES people (id) ON DELETE SET NULL,
	author_name   TEXT NOT NULL DEFAULT '',
	why           TEXT NOT NULL DEFAULT '',
	created_at    TEXT NOT NULL
);
-- The current value of a slider is its latest change.
CREATE INDEX slider_changes_element ON slider_changes (collective_id, element_id, id);
CREATE INDEX slider_changes_at ON slider_changes (collective_id, created_at);
CREATE INDEX slider_changes_author ON slider_changes (author_id);

CREATE TABLE checkin_rounds (
	id            INTEGER PRIMARY KEY,
	collective_id INTEGER NOT NULL REFERENCES collectives (id),
	scheduled_at  TEXT NOT NULL,
	status        TEXT NOT NULL CHECK (status IN ('claimed', 'posted', 'missed')),
	posted_at     TEXT,
	created_at    TEXT NOT NULL,
	UNIQUE (collective_id, scheduled_at)
);

CREATE TABLE checkin_answers (
	id          INTEGER PRIMARY KEY,
	round_id    INTEGER NOT NULL REFERENCES checkin_rounds (id),
	text        TEXT NOT NULL,
	author_id   INTEGER REFERENCES people (id) ON DELETE SET NULL,
	author_name TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL
);
CREATE INDEX checkin_answers_round ON checkin_answers (round_id, id);
CREATE INDEX checkin_answers_author ON checkin_answers (author_id);
