-- 082_private_chat_owner: whose one-to-one chat with the bot a stored chat
-- is, where its id does not say so itself. A Telegram private chat has the
-- person's own id as chat id, so /vergeetmij finds it by that id; a
-- Discord DM (and the console's prive: chat) has an id of its own, so a DM
-- whose language was set stayed in chats after /vergeetmij, with a channel
-- id Discord resolves to its one recipient. '' for every other chat.
ALTER TABLE chats ADD COLUMN owner_id TEXT NOT NULL DEFAULT '';

-- Of the private chats stored before, an expert's is known from the role.
-- (Another DM whose language was set cannot be told from an unlinked
-- server channel; its owner stays unknown.)
UPDATE chats SET owner_id = (
	SELECT p.user_id FROM experts e JOIN people p ON p.id = e.person_id
	WHERE e.platform = chats.platform AND e.chat_id = chats.chat_id
	ORDER BY e.id DESC LIMIT 1)
WHERE EXISTS (
	SELECT 1 FROM experts e JOIN people p ON p.id = e.person_id
	WHERE e.platform = chats.platform AND e.chat_id = chats.chat_id AND p.user_id <> chats.chat_id);

-- /vergeetmij and /mijngegevens find a person's private chats by it. (Not
-- partial: their statements compare with a parameter, which does not
-- prove owner_id <> '' to the planner.)
CREATE INDEX chats_owner ON chats (platform, owner_id);
