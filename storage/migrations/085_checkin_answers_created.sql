-- 085_checkin_answers_created: the daily retention run deletes the check-in
-- answers older than WIJKBOT_CHECKIN_RETENTION (created_at < cutoff). With
-- no index on created_at that read every answer ever kept, about 70 ms at
-- 10,000 collectives answering weekly for a year, to delete a day's worth;
-- now it reads the range it deletes.
CREATE INDEX checkin_answers_created ON checkin_answers (created_at);
