-- 087_collective_names_trigram: autocompletion of a collective's name
-- (084) found a name only by the start of one of its words, so in Dutch
-- compounds "bedrijf" no longer found "Bewonersbedrijf Noord", nor
-- "energie" "Wijkenergiecoöperatie Zuid"; and when more than the 25 shown
-- had a matching later word, the 25 were the first found, not the first by
-- name. Now:
--
-- collective_names holds each collective's name_key (NormalizeName: case
-- and accents gone) at a position (pos) that follows name order, so the
-- full-text indexes below, keyed by pos, give their matches in name order
-- and a LIMIT stops after what is shown. A new name takes the middle of
-- the gap between its neighbours (gaps of 2^32, a new last name the next
-- gap); only when a gap is used up do the collectives_names_renumber
-- triggers spread them all again and rebuild the indexes (after some 30
-- names squeezed into one gap; never when names come in name order).
--
-- collective_names_grams (trigram tokenizer, accents removed) finds a
-- text of 3 or more characters anywhere in a name, on the index rather
-- than by reading every name; collective_names_words replaces 084's
-- collectives_fts (same tokenizer and prefix indexes, now in name order)
-- for the names with a later word that starts with the text.
DROP TRIGGER collectives_fts_insert;
DROP TRIGGER collectives_fts_delete;
DROP TRIGGER collectives_fts_update;
DROP TABLE collectives_fts;

CREATE TABLE collective_names (
	pos           INTEGER PRIMARY KEY,
	collective_id INTEGER NOT NULL UNIQUE REFERENCES collectives (id) ON DELETE CASCADE,
	name_key      TEXT NOT NULL UNIQUE
);

CREATE VIRTUAL TABLE collective_names_words USING fts5 (
	name_key,
	content = 'collective_names',
	content_rowid = 'pos',
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '1 2 3'
);
CREATE VIRTUAL TABLE collective_names_grams USING fts5 (
	name_key,
	content = 'collective_names',
	content_rowid = 'pos',
	tokenize = 'trigram remove_diacritics 1'
);

INSERT INTO collective_names (pos, collective_id, name_key)
	SELECT row_number() OVER (ORDER BY name_key) * 4294967296, id, name_key FROM collectives;
INSERT INTO collective_names_words (collective_names_words) VALUES ('rebuild');
INSERT INTO collective_names_grams (collective_names_grams) VALUES ('rebuild');

-- The indexes follow collective_names (a position never changes but in
-- the collectives_names_renumber triggers, which rebuild them).
CREATE TRIGGER collective_names_insert AFTER INSERT ON collective_names BEGIN
	INSERT INTO collective_names_words (rowid, name_key) VALUES (new.pos, new.name_key);
	INSERT INTO collective_names_grams (rowid, name_key) VALUES (new.pos, new.name_key);
END;
CREATE TRIGGER collective_names_delete AFTER DELETE ON collective_names BEGIN
	INSERT INTO collective_names_words (collective_names_words, rowid, name_key) VALUES ('delete', old.pos, old.name_key);
	INSERT INTO collective_names_grams (collective_names_grams, rowid, name_key) VALUES ('delete', old.pos, old.name_key);
END;

-- collectives_names_renumber runs before a name goes where no position is
-- left between its neighbours: every position again 2^32 apart, all above
-- the highest (so none collides while they move), in name order. (It
-- cannot be a trigger on collective_names: the new row's position is
-- computed before those run.)
CREATE TRIGGER collectives_names_renumber_insert BEFORE INSERT ON collectives
WHEN (SELECT pos FROM collective_names WHERE name_key > new.name_key ORDER BY name_key LIMIT 1)
	- (SELECT pos FROM collective_names WHERE name_key < new.name_key ORDER BY name_key DESC LIMIT 1) < 2
BEGIN
	UPDATE collective_names SET pos = r.pos
	FROM (SELECT collective_id,
		(SELECT max(pos) FROM collective_names) + row_number() OVER (ORDER BY name_key) * 4294967296 AS pos
		FROM collective_names) r
	WHERE r.collective_id = collective_names.collective_id;
	INSERT INTO collective_names_words (collective_names_words) VALUES ('rebuild');
	INSERT INTO collective_names_grams (collective_names_grams) VALUES ('rebuild');
END;
CREATE TRIGGER collectives_names_renumber_update BEFORE UPDATE OF name, name_key ON collectives
WHEN (SELECT pos FROM collective_names WHERE name_key > new.name_key ORDER BY name_key LIMIT 1)
	- (SELECT pos FROM collective_names WHERE name_key < new.name_key ORDER BY name_key DESC LIMIT 1) < 2
BEGIN
	UPDATE collective_names SET pos = r.pos
	FROM (SELECT collective_id,
		(SELECT max(pos) FROM collective_names) + row_number() OVER (ORDER BY name_key) * 4294967296 AS pos
		FROM collective_names) r
	WHERE r.collective_id = collective_names.collective_id;
	INSERT INTO collective_names_words (collective_names_words) VALUES ('rebuild');
	INSERT INTO collective_names_grams (collective_names_grams) VALUES ('rebuild');
END;

-- A collective's name goes between its neighbours' positions (a rename
-- leaves its old place first).
CREATE TRIGGER collectives_names_insert AFTER INSERT ON collectives BEGIN
	INSERT INTO collective_names (pos, collective_id, name_key)
	SELECT CASE
		WHEN prev IS NULL AND next IS NULL THEN 4294967296
		WHEN next IS NULL THEN prev + 4294967296
		WHEN prev IS NULL THEN next - 4294967296
		ELSE prev + (next - prev) / 2
	END, new.id, new.name_key
	FROM (SELECT
		(SELECT pos FROM collective_names WHERE name_key < new.name_key ORDER BY name_key DESC LIMIT 1) AS prev,
		(SELECT pos FROM collective_names WHERE name_key > new.name_key ORDER BY name_key LIMIT 1) AS next);
END;
CREATE TRIGGER collectives_names_delete AFTER DELETE ON collectives BEGIN
	DELETE FROM collective_names WHERE collective_id = old.id;
END;
CREATE TRIGGER collectives_names_update AFTER UPDATE OF name, name_key ON collectives BEGIN
	DELETE FROM collective_names WHERE collective_id = old.id;
	INSERT INTO collective_names (pos, collective_id, name_key)
	SELECT CASE
		WHEN prev IS NULL AND next IS NULL THEN 4294967296
		WHEN next IS NULL THEN prev + 4294967296
		WHEN prev IS NULL THEN next - 4294967296
		ELSE prev + (next - prev) / 2
	END, new.id, new.name_key
	FROM (SELECT
		(SELECT pos FROM collective_names WHERE name_key < new.name_key ORDER BY name_key DESC LIMIT 1) AS prev,
		(SELECT pos FROM collective_names WHERE name_key > new.name_key ORDER BY name_key LIMIT 1) AS next);
END;
