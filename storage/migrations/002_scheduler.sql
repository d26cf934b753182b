-- 002_scheduler: what the scheduler needs to send every scheduled message once.
--
-- checkin_rounds (001) is the lock for check-in rounds. scheduler_sends is
-- the same for one-off sends: the staff digest, nudges and help-request
-- alerts. scheduler_deliveries records each message to each chat before it is
-- sent: its primary key is the per-chat lock, so a round resumed after a
-- crash, or by a second process, skips the chats it already reached.

CREATE TABLE scheduler_sends (
	key          TEXT PRIMARY KEY, -- 'digest:<time>', 'nudge:<round id>', 'alert-unclaimed:<N>', ...
	kind         TEXT NOT NULL,
	scheduled_at TEXT NOT NULL,
	status       TEXT NOT NULL CHECK (status IN ('claimed', 'posted', 'missed')),
	created_at   TEXT NOT NULL,
	finished_at  TEXT
) WITHOUT ROWID;
CREATE INDEX scheduler_sends_kind ON scheduler_sends (kind, scheduled_at);
CREATE INDEX scheduler_sends_status ON scheduler_sends (status);

CREATE TABLE scheduler_deliveries (
	owner      TEXT NOT NULL, -- 'round:<id>' or a scheduler_sends key
	round_id   INTEGER REFERENCES checkin_rounds (id),
	platform   TEXT NOT NULL,
	chat_id    TEXT NOT NULL,
	status     TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
	failures   INTEGER NOT NULL DEFAULT 0,
	message_id TEXT,          -- the platform's id, for replies to a check-in
	updated_at TEXT NOT NULL,
	PRIMARY KEY (owner, platform, chat_id)
) WITHOUT ROWID;
CREATE INDEX scheduler_deliveries_message ON scheduler_deliveries (platform, chat_id, message_id);

CREATE INDEX checkin_rounds_status ON checkin_rounds (status);
