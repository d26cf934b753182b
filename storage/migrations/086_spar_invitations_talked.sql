-- 086_spar_invitations_talked: /overzicht counts the introductions
-- (accepted invitations) and the conversations they led to (talked 'ja').
-- Those were sums over every invitation row; with status and talked in one
-- index both are ranges of it, read without the table. (The count of all
-- invitations is taken from the narrowest index, as the overview counts
-- collectives and lessons.)
CREATE INDEX spar_invitations_talked ON spar_invitations (status, talked);
