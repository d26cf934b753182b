-- 070_activity: bounded reads for a large programme (issue 15).
--
-- A collective's last activity (its latest progress entry, slider move, help
-- request event or check-in answer) was a MAX over all of its history,
-- computed for every collective on every scheduler tick, /overzicht, the
-- digest and /collectieven: 1.7 s at 10,000 collectives with a year each.
-- The answers reach their collective only through their round, so no index
-- bounds that MAX. The collective now keeps the time itself, and triggers on
-- the four tables keep it, whoever writes (the store, a restore, the
-- benchmark's generator). It only grows: a record removed later (check-in
-- answers past WIJKBOT_CHECKIN_RETENTION) does not take the time back, it
-- was activity all the same. A time of the collective, not of a person.
ALTER TABLE collectives ADD COLUMN last_activity_at TEXT; -- NULL: nothing happened yet

UPDATE collectives SET last_activity_at = act.at
FROM (SELECT collective_id, MAX(at) AS at FROM (
	SELECT collective_id, MAX(created_at) AS at FROM entries GROUP BY collective_id
	UNION ALL SELECT collective_id, MAX(created_at) FROM slider_changes GROUP BY collective_id
	UNION ALL SELECT collective_id, MAX(MAX(created_at), COALESCE(MAX(claimed_at), ''), COALESCE(MAX(answered_at), ''), COALESCE(MAX(resolved_at), ''))
		FROM help_requests GROUP BY collective_id
	UNION ALL SELECT r.collective_id, MAX(a.created_at) FROM checkin_answers a JOIN checkin_rounds r ON r.id = a.round_id GROUP BY r.collective_id
) GROUP BY collective_id) AS act
WHERE act.collective_id = collectives.id;

CREATE TRIGGER entries_activity AFTER INSERT ON entries BEGIN
	UPDATE collectives SET last_activity_at = NEW.created_at
	WHERE id = NEW.collective_id AND (last_activity_at IS NULL OR last_activity_at < NEW.created_at);
END;

CREATE TRIGGER slider_changes_activity AFTER INSERT ON slider_changes BEGIN
	UPDATE collectives SET last_activity_at = NEW.created_at
	WHERE id = NEW.collective_id AND (last_activity_at IS NULL OR last_activity_at < NEW.created_at);
END;

CREATE TRIGGER help_requests_activity AFTER INSERT ON help_requests BEGIN
	UPDATE collectives SET last_activity_at = NEW.created_at
	WHERE id = NEW.collective_id AND (last_activity_at IS NULL OR last_activity_at < NEW.created_at);
END;

CREATE TRIGGER help_requests_activity_update AFTER UPDATE OF claimed_at, answered_at, resolved_at ON help_requests BEGIN
	UPDATE collectives SET last_activity_at = MAX(COALESCE(NEW.claimed_at, ''), COALESCE(NEW.answered_at, ''), COALESCE(NEW.resolved_at, ''))
	WHERE id = NEW.collective_id
		AND MAX(COALESCE(NEW.claimed_at, ''), COALESCE(NEW.answered_at, ''), COALESCE(NEW.resolved_at, '')) > COALESCE(last_activity_at, '');
END;

CREATE TRIGGER checkin_answers_activity AFTER INSERT ON checkin_answers BEGIN
	UPDATE collectives SET last_activity_at = NEW.created_at
	WHERE id = (SELECT collective_id FROM checkin_rounds WHERE id = NEW.round_id)
		AND (last_activity_at IS NULL OR last_activity_at < NEW.created_at);
END;

-- The digest asks which rounds were posted in its week, for every
-- collective at once; without this it scanned every round ever posted.
CREATE INDEX checkin_rounds_scheduled ON checkin_rounds (scheduled_at);
