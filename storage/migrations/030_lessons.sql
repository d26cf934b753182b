-- 030_lessons: lessons learned by collectives (issue 13), numbered L1, L2, …
-- programme-wide, with full-text search.
--
-- lessons_fts indexes the text with SQLite FTS5: the unicode61 tokenizer
-- with remove_diacritics 2 makes a search word-based and case- and
-- accent-insensitive ("cooperatie" finds "coöperatie", "woning" does not
-- find "woningcorporatie"). It is an external-content table: the text lives
-- once, in lessons, and the triggers keep the index in step.

CREATE TABLE lessons (
	number        INTEGER PRIMARY KEY, -- L<n>, programme-wide
	collective_id INTEGER NOT NULL REFERENCES collectives (id),
	text          TEXT NOT NULL,
	sharing       TEXT NOT NULL DEFAULT 'pending' CHECK (sharing IN ('pending', 'network', 'team')),
	author_id     INTEGER REFERENCES people (id) ON DELETE SET NULL,
	author_name   TEXT NOT NULL DEFAULT '',
	source        TEXT NOT NULL DEFAULT '',
	created_at    TEXT NOT NULL,
	sharing_at    TEXT -- when the sharing was last chosen; NULL while pending
);
CREATE INDEX lessons_collective ON lessons (collective_id, number);
CREATE INDEX lessons_sharing ON lessons (sharing, number);
CREATE INDEX lessons_created ON lessons (created_at);
CREATE INDEX lessons_author ON lessons (author_id);

CREATE TABLE lesson_themes (
	lesson   INTEGER NOT NULL REFERENCES lessons (number) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	theme    TEXT NOT NULL,
	PRIMARY KEY (lesson, position)
) WITHOUT ROWID;
CREATE INDEX lesson_themes_theme ON lesson_themes (theme);

CREATE VIRTUAL TABLE lessons_fts USING fts5 (
	text,
	content = 'lessons',
	content_rowid = 'number',
	tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER lessons_fts_insert AFTER INSERT ON lessons BEGIN
	INSERT INTO lessons_fts (rowid, text) VALUES (new.number, new.text);
END;
CREATE TRIGGER lessons_fts_delete AFTER DELETE ON lessons BEGIN
	INSERT INTO lessons_fts (lessons_fts, rowid, text) VALUES ('delete', old.number, old.text);
END;
CREATE TRIGGER lessons_fts_update AFTER UPDATE OF text ON lessons BEGIN
	INSERT INTO lessons_fts (lessons_fts, rowid, text) VALUES ('delete', old.number, old.text);
	INSERT INTO lessons_fts (rowid, text) VALUES (new.number, new.text);
END;
