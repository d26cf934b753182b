-- 080_overview_indexes: the overview's counts on indexes (web page "/",
-- its cards and a collective's page).
--
-- The quiet collectives (no activity since a time, or none ever) were found
-- by reading every row of collectives: the count at the top of the page,
-- and the quiet group of the attention order (its count and its part of a
-- page). With the time in an index (NULLs first, then the oldest) they are
-- two ranges of it, the quiet ones only; name_key beside it makes the
-- group's order, and the index covers the count. The accepted invitations
-- a collective sent had no index (those it received have
-- spar_invitations_to): each card counted them among all of the
-- programme's accepted ones.
CREATE INDEX collectives_activity ON collectives (last_activity_at, name_key);
CREATE INDEX spar_invitations_from ON spar_invitations (from_collective_id, status);
