-- 032_meetings: meetings of the network (issue 13), numbered B1, B2, …, and
-- each person's answer (one per person per meeting, changeable). An answer
-- is personal and nobody else's record, so /vergeetmij deletes it (the
-- people row's deletion cascades).

CREATE TABLE meetings (
	number          INTEGER PRIMARY KEY, -- B<n>
	title           TEXT NOT NULL,
	place           TEXT NOT NULL DEFAULT '',
	starts_at       TEXT NOT NULL,
	created_by_id   INTEGER REFERENCES people (id) ON DELETE SET NULL,
	created_by_name TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL
);
CREATE INDEX meetings_starts ON meetings (starts_at);
CREATE INDEX meetings_created_by ON meetings (created_by_id);

CREATE TABLE meeting_rsvps (
	meeting       INTEGER NOT NULL REFERENCES meetings (number),
	person_id     INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	person_name   TEXT NOT NULL DEFAULT '',
	collective_id INTEGER REFERENCES collectives (id), -- NULL from a chat of no collective
	platform      TEXT NOT NULL,
	chat_id       TEXT NOT NULL,
	answer        TEXT NOT NULL CHECK (answer IN ('ja', 'misschien', 'nee')),
	updated_at    TEXT NOT NULL,
	PRIMARY KEY (meeting, person_id)
) WITHOUT ROWID;
CREATE INDEX meeting_rsvps_person ON meeting_rsvps (person_id);
CREATE INDEX meeting_rsvps_chat ON meeting_rsvps (meeting, platform, chat_id);
