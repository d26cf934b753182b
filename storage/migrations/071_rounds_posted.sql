-- 071_rounds_posted: the scheduler's tick asks every minute for each
-- collective's latest posted round (issue 15). With the status in the
-- index that is one look-up that reads no round itself; without it, at
-- 10,000 collectives, a tick read 10,000 pages of rounds.
CREATE INDEX checkin_rounds_posted ON checkin_rounds (collective_id, status, scheduled_at);
