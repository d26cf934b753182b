-- 020_experts: experts from the programme's network, their invites, and the
-- help requests offered to them.
--
-- An expert row exists from the invite on (/expert); person_id, platform and
-- chat_id are filled in when the person redeems the invite in their private
-- chat with the bot. name is the invite's name: what the collective and the
-- staff read. /vergeetmij overwrites it with "verwijderd", clears person_id
-- and chat_id and ends the role; /expertweg only ends the role, so past
-- answers keep the name.

CREATE TABLE experts (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL,
	name_key    TEXT NOT NULL,     -- commands.NormalizeName(name)
	person_id   INTEGER REFERENCES people (id) ON DELETE SET NULL,
	platform    TEXT NOT NULL DEFAULT '', -- of the private chat; '' until onboarded
	chat_id     TEXT NOT NULL DEFAULT '', -- the private chat (Telegram chat, Discord DM channel)
	away_until  TEXT,              -- NULL when available; offers resume on this date
	unreachable INTEGER NOT NULL DEFAULT 0 CHECK (unreachable IN (0, 1)),
	active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	invited_by_id   INTEGER REFERENCES people (id) ON DELETE SET NULL,
	invited_by_name TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	joined_at   TEXT,              -- NULL until the invite is redeemed
	ended_at    TEXT               -- set by /expertweg or /vergeetmij
);
-- A name names one active expert (staff address experts by name), and a
-- person is at most one active expert.
CREATE UNIQUE INDEX experts_active_name ON experts (name_key) WHERE active = 1;
CREATE UNIQUE INDEX experts_active_person ON experts (person_id) WHERE active = 1 AND person_id IS NOT NULL;
CREATE INDEX experts_invited_by ON experts (invited_by_id);

CREATE TABLE expert_expertises (
	expert_id INTEGER NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
	expertise TEXT NOT NULL,
	PRIMARY KEY (expert_id, expertise)
) WITHOUT ROWID;
CREATE INDEX expert_expertises_expertise ON expert_expertises (expertise, expert_id);

-- An invite is used once and expires; wrong codes are counted by the
-- runtime's link-code limits, not here.
CREATE TABLE expert_invites (
	code       TEXT PRIMARY KEY, -- upper case, the link-code alphabet
	expert_id  INTEGER NOT NULL REFERENCES experts (id),
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	used_at    TEXT
) WITHOUT ROWID;
CREATE INDEX expert_invites_expert ON expert_invites (expert_id);

-- help_offers says which experts may work a request: those it was routed
-- to, and the one staff assigned it to (/toewijzen).
CREATE TABLE help_offers (
	number     INTEGER NOT NULL REFERENCES help_requests (number),
	expert_id  INTEGER NOT NULL REFERENCES experts (id),
	assigned   INTEGER NOT NULL DEFAULT 0 CHECK (assigned IN (0, 1)),
	offered_at TEXT NOT NULL,
	PRIMARY KEY (number, expert_id)
) WITHOUT ROWID;
CREATE INDEX help_offers_expert ON help_offers (expert_id, number);

-- The capacity a request was taken and answered in: NULL for staff.
ALTER TABLE help_requests ADD COLUMN claimed_by_expert_id INTEGER REFERENCES experts (id);
ALTER TABLE help_answers ADD COLUMN expert_id INTEGER REFERENCES experts (id);
CREATE INDEX help_requests_claimed_by_expert ON help_requests (claimed_by_expert_id);
CREATE INDEX help_answers_expert ON help_answers (expert_id, number);
