-- 031_sparring: invitations between collectives to spar (issue 13), double
-- opt-in. The invited collective sees the asker's name and contact only
-- after it accepted (commands decide what is shown; storage keeps both).
-- *_contact is how to reach a person: a Telegram @username or a Discord
-- mention; personal data like the name beside it.

CREATE TABLE spar_invitations (
	id                  INTEGER PRIMARY KEY,
	from_collective_id  INTEGER NOT NULL REFERENCES collectives (id),
	to_collective_id    INTEGER NOT NULL REFERENCES collectives (id),
	theme               TEXT NOT NULL,
	status              TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'declined', 'expired')),
	asked_by_id         INTEGER REFERENCES people (id) ON DELETE SET NULL,
	asked_by_name       TEXT NOT NULL DEFAULT '',
	asked_by_contact    TEXT NOT NULL DEFAULT '',
	answered_by_id      INTEGER REFERENCES people (id) ON DELETE SET NULL,
	answered_by_name    TEXT NOT NULL DEFAULT '',
	answered_by_contact TEXT NOT NULL DEFAULT '',
	talked              TEXT NOT NULL DEFAULT '' CHECK (talked IN ('', 'ja', 'nog niet')),
	talked_by_id        INTEGER REFERENCES people (id) ON DELETE SET NULL,
	created_at          TEXT NOT NULL,
	expires_at          TEXT NOT NULL,
	answered_at         TEXT,
	talked_at           TEXT,
	CHECK (from_collective_id <> to_collective_id)
);
-- One open invitation per pair of collectives, whichever asked.
CREATE UNIQUE INDEX spar_invitations_open_pair
	ON spar_invitations (min(from_collective_id, to_collective_id), max(from_collective_id, to_collective_id))
	WHERE status = 'open';
CREATE INDEX spar_invitations_to ON spar_invitations (to_collective_id, status);
CREATE INDEX spar_invitations_answered ON spar_invitations (status, answered_at);
CREATE INDEX spar_invitations_asked_by ON spar_invitations (asked_by_id);
CREATE INDEX spar_invitations_answered_by ON spar_invitations (answered_by_id);
CREATE INDEX spar_invitations_talked_by ON spar_invitations (talked_by_id);
