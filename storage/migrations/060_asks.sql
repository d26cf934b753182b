-- 060_asks: texts the bot asked for (issue 11). A button whose command still
-- lacks its required text (Beantwoorden: "/antwoord 3") makes the Telegram
-- adapter ask the presser for it with ForceReply; their reply to that
-- question runs the command, also after a restart. The row says who pressed
-- (only their reply counts), so it is personal: /vergeetmij and the
-- deletion of the people row remove it, and it goes once answered or
-- expired.

CREATE TABLE text_asks (
	platform   TEXT NOT NULL,              -- the chat the question is in
	chat_id    TEXT NOT NULL,
	message_id TEXT NOT NULL,              -- the question's message
	person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	line       TEXT NOT NULL,              -- the button's command line the reply completes
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	PRIMARY KEY (platform, chat_id, message_id)
) WITHOUT ROWID;
CREATE INDEX text_asks_person ON text_asks (person_id);
CREATE INDEX text_asks_expires ON text_asks (expires_at);
