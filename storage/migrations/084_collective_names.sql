-- 084_collective_names: autocompletion of a collective's name (Discord's
-- /contact and the staff's /schema and /export) read every collective, and
-- every collective chat, at each keystroke. A name is now found by what
-- the user typed as the start of the name (a range of the name_key index)
-- or as the start of a later word of it: this full-text index of the
-- names, whose prefix indexes (of one, two and three characters) let a
-- short prefix stop after the first matches instead of merging the lists
-- of every word it begins. The tokenizer is the lessons' (case and accents
-- ignored, as NormalizeName does).
CREATE VIRTUAL TABLE collectives_fts USING fts5 (
	name,
	content = 'collectives',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '1 2 3'
);
INSERT INTO collectives_fts (collectives_fts) VALUES ('rebuild');

CREATE TRIGGER collectives_fts_insert AFTER INSERT ON collectives BEGIN
	INSERT INTO collectives_fts (rowid, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER collectives_fts_delete AFTER DELETE ON collectives BEGIN
	INSERT INTO collectives_fts (collectives_fts, rowid, name) VALUES ('delete', old.id, old.name);
END;
CREATE TRIGGER collectives_fts_update AFTER UPDATE OF name ON collectives BEGIN
	INSERT INTO collectives_fts (collectives_fts, rowid, name) VALUES ('delete', old.id, old.name);
	INSERT INTO collectives_fts (rowid, name) VALUES (new.id, new.name);
END;
