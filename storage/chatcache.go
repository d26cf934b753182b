package storage

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/wijkbv/wijkbot/commands"
)

// chatCache keeps what Chat read, because every command reads its chat
// first and a group sends many commands: under load that read was a
// tenth of the CPU of a /voortgang (wijkbench's throughput run).
//
// It cannot serve a chat older than the last write this process
// acknowledged: every write drops the whole cache when its transaction
// ends, unless it was submitted with writeKeepCaches (it changes no column
// Chat returns); a write that forgets to say so only costs a read. Writes
// of other processes and connections (another wijkbot on the same file,
// a tool) are noticed by the committer through PRAGMA data_version at the
// start of its next transaction (commit.go), which also drops it; the bot
// writes at least once per lease renewal, so such a change is seen within
// a renewal interval even when the bot is idle. A process that holds no
// lease need not write at all (the console next to a running bot), so an
// entry is also read again once it is maxChatAge old: the same bound.
type chatCache struct {
	// gen moves on every drop. A read fills the cache only if gen did not
	// move while it queried, so a read that raced with a write cannot put
	// back what the write changed.
	gen atomic.Uint64

	mu    sync.Mutex
	chats map[commands.ChatRef]cachedChat
}

// cachedChat is a chat as read at the time at (DB.Now before the query).
type cachedChat struct {
	chat commands.Chat
	at   time.Time
}

// maxChatAge is how long a cached chat is served without a write of this
// process in between: the active bot's lease renewal interval
// (bot.DefaultLeaseTTL / 3), within which it notices other processes'
// commits anyway.
const maxChatAge = 5 * time.Second

// maxCachedChats bounds the cache; when full it starts again empty. A
// chat's entry is a few hundred bytes.
const maxCachedChats = 4096

// get returns the cached chat for ref unless it is maxChatAge old at now
// (or from a later time: the clock was set back).
func (c *chatCache) get(ref commands.ChatRef, now time.Time) (commands.Chat, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.chats[ref]
	if !ok || now.Before(e.at) || now.Sub(e.at) >= maxChatAge {
		return commands.Chat{}, false
	}
	return e.chat, true
}

// put caches ch as read by a query that began at the time at, when the
// generation was gen.
func (c *chatCache) put(ref commands.ChatRef, ch commands.Chat, gen uint64, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen.Load() != gen {
		return // a write ended meanwhile: ch may be what it replaced
	}
	if c.chats == nil || len(c.chats) >= maxCachedChats {
		c.chats = make(map[commands.ChatRef]cachedChat)
	}
	c.chats[ref] = cachedChat{ch, at}
}

// drop forgets every chat; the next Chat of each reads the database.
func (c *chatCache) drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen.Add(1)
	clear(c.chats)
}
