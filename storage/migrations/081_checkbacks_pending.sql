-- 081_checkbacks_pending: the scheduler asks every minute which
-- introductions are due their check-back ("Hebben jullie gesproken?",
-- fourteen days after the yes) and not claimed yet. On
-- spar_invitations_answered that read every accepted introduction older
-- than fourteen days, each looked up in scheduler_sends: a read growing
-- with the programme's history. An introduction now says whether its
-- check-back was claimed, a trigger on the claim (a scheduler_sends row,
-- the one rule) sets it, and the index leads to the ones still to be
-- claimed. (A partial index of those alone lost to
-- spar_invitations_answered in the planner.)
ALTER TABLE spar_invitations ADD COLUMN checkback_claimed INTEGER NOT NULL DEFAULT 0;

UPDATE spar_invitations SET checkback_claimed = 1
WHERE EXISTS (SELECT 1 FROM scheduler_sends s WHERE s.key = 'checkback:' || spar_invitations.id);

-- The key is commands.CheckbackKey: "checkback:<invitation id>".
CREATE TRIGGER scheduler_sends_checkback AFTER INSERT ON scheduler_sends
WHEN NEW.kind = 'checkback' BEGIN
	UPDATE spar_invitations SET checkback_claimed = 1
	WHERE id = CAST(substr(NEW.key, length('checkback:') + 1) AS INTEGER);
END;

CREATE INDEX spar_invitations_checkback_pending ON spar_invitations (status, checkback_claimed, answered_at);
