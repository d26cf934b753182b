package storage

import (
	"sync"
	"sync/atomic"

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
// a renewal interval even when the bot is idle.
type chatCache struct {
	// gen moves on every drop. A read fills the cache only if gen did not
	// move while it queried, so a read that raced with a write cannot put
	// back what the write changed.
	gen atomic.Uint64

	mu    sync.Mutex
	chats map[commands.ChatRef]commands.Chat
}

// maxCachedChats bounds the cache; when full it starts again empty. A
// chat's entry is a few hundred bytes.
const maxCachedChats = 4096

// get returns the cached chat for ref.
func (c *chatCache) get(ref commands.ChatRef) (commands.Chat, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch, ok := c.chats[ref]
	return ch, ok
}

// put caches ch as read by a query that began when the generation was gen.
func (c *chatCache) put(ref commands.ChatRef, ch commands.Chat, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen.Load() != gen {
		return // a write ended meanwhile: ch may be what it replaced
	}
	if c.chats == nil || len(c.chats) >= maxCachedChats {
		c.chats = make(map[commands.ChatRef]commands.Chat)
	}
	c.chats[ref] = ch
}

// drop forgets every chat; the next Chat of each reads the database.
func (c *chatCache) drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen.Add(1)
	clear(c.chats)
}
