-- 040_web: logins to the web pages (issue 14). /dashboard in the staff chat
-- stores a one-time login token; opening its link and confirming turns it
-- into a session. Only SHA-256 hashes of tokens are stored, so a copy of the
-- database opens no session. Both point to the person (personal data):
-- /vergeetmij deletes them, and so does the deletion of the people row.

CREATE TABLE web_login_tokens (
	hash       BLOB PRIMARY KEY,           -- SHA-256 of the token in the link
	person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	platform   TEXT NOT NULL,              -- the staff chat it was asked in
	chat_id    TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	used_at    TEXT                        -- NULL until used; used once
) WITHOUT ROWID;
CREATE INDEX web_login_tokens_person ON web_login_tokens (person_id);
CREATE INDEX web_login_tokens_expires ON web_login_tokens (expires_at);

CREATE TABLE web_sessions (
	hash       BLOB PRIMARY KEY,           -- SHA-256 of the cookie's value
	person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	platform   TEXT NOT NULL,              -- the staff chat the login came from
	chat_id    TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX web_sessions_person ON web_sessions (person_id);
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);
