-- 010_lease: which process runs the bot on this database.
--
-- Two `wijkbot run` on one file would both poll Telegram and each post only
-- to its own platforms. The active process holds a lease here and renews
-- it; a second process waits as a hot standby and takes the lease over when
-- it expires (the active one stopped or died).
CREATE TABLE leases (
	name        TEXT PRIMARY KEY, -- 'run'
	holder      TEXT NOT NULL,    -- host, pid and a random part
	acquired_at TEXT NOT NULL,
	expires_at  TEXT NOT NULL
) WITHOUT ROWID;
