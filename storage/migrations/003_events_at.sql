-- Old event ids are pruned by age (bot.Retention); the index keeps that a
-- range delete instead of a scan of every event ever processed.
CREATE INDEX processed_events_at ON processed_events(at);
