-- 083_console_private_owner: the owners of private chats that are known
-- exactly from their ids. The console's private chat of user NAAM has the
-- id 'prive:NAAM' (bot/console: :prive NAAM continues as user NAAM there),
-- so one stored before 082 without an owner is NAAM's. (A Discord DM's id
-- says nothing of its user, and no other table ties a DM to one person
-- beyond the expert role 082 used: the rest are tied to their owner at
-- their next command, commands.Handler's notePrivateOwner.)
UPDATE chats SET owner_id = substr(chat_id, length('prive:') + 1)
WHERE platform = 'console' AND owner_id = '' AND kind = ''
	AND substr(chat_id, 1, length('prive:')) = 'prive:' AND length(chat_id) > length('prive:');
