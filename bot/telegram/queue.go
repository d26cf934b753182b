package telegram

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/wijkbv/wijkbot/commands"
	"github.com/wijkbv/wijkbot/internal/workers"
)

// drainTimeout is how long a stopping bot still sends the replies its
// queues hold. The commands behind them are stored already; a reply that
// waits longer (a flooded group at Telegram's limit) is dropped and logged,
// so a shutdown never hangs on pacing.
const drainTimeout = 3 * time.Second

// replies sends each chat's replies outside the poll loop: a queue per
// chat, worked by one goroutine while it holds anything, so replies in a
// chat keep their order while one chat's backlog (Telegram lets a bot send
// 20 messages a minute in a group) never delays another chat or the next
// getUpdates.
type replies struct {
	log    *slog.Logger
	ctx    context.Context // ends when a stopping bot gives up on its queues
	cancel context.CancelFunc

	mu    sync.Mutex
	chats map[int64][]func(ctx context.Context)
	work  sync.WaitGroup
	pool  workers.Pool // runs the queues on kept goroutines (their stacks stay grown)
}

func newReplies(log *slog.Logger) *replies {
	ctx, cancel := context.WithCancel(context.Background())
	return &replies{log: log, ctx: ctx, cancel: cancel, chats: map[int64][]func(context.Context){}}
}

// push queues send for the chat, behind the chat's earlier replies.
func (q *replies) push(chatID int64, send func(ctx context.Context)) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if jobs, busy := q.chats[chatID]; busy {
		q.chats[chatID] = append(jobs, send)
		return
	}
	q.chats[chatID] = []func(context.Context){send}
	q.work.Add(1)
	q.pool.Go(func() { q.run(chatID) })
}

// run works the chat's queue until it is empty.
func (q *replies) run(chatID int64) {
	defer q.work.Done()
	for {
		q.mu.Lock()
		jobs := q.chats[chatID]
		if len(jobs) == 0 {
			delete(q.chats, chatID)
			q.mu.Unlock()
			return
		}
		send := jobs[0]
		jobs[0] = nil
		q.chats[chatID] = jobs[1:]
		q.mu.Unlock()
		q.do(chatID, send)
	}
}

func (q *replies) do(chatID int64, send func(ctx context.Context)) {
	defer func() {
		if p := recover(); p != nil {
			q.log.Error("reply panicked", "chat", chatID, "panic", p)
		}
	}()
	send(q.ctx)
}

// pending is the number of replies queued and not yet started.
func (q *replies) pending() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for _, jobs := range q.chats {
		n += len(jobs)
	}
	return n
}

// drain waits up to timeout for the queues to empty, then stops what is
// left (a send waiting for pacing returns at once).
func (q *replies) drain(timeout time.Duration) {
	done := make(chan struct{})
	go func() { q.work.Wait(); close(done) }()
	select {
	case <-done:
		return
	case <-time.After(timeout):
	}
	q.log.Warn("stopping with replies still queued; their commands are stored", "replies", q.pending())
	q.cancel()
	<-done
}

// queueSecret delivers a Secret reply (a login link) asked for in a group.
// Telegram cannot show one member of a group a message the others do not
// see, so the text goes to the asker's private chat with the bot (its id
// is the user's) and the group reads only that it went there. Telegram
// refuses a bot's first message to a person who never opened that chat
// (403 "bot can't initiate conversation"); the group then reads how to
// open it, still without the secret. An anonymous admin speaks as the
// group and has no private chat to send to.
func (b *Bot) queueSecret(chatID int64, replyTo int, userID int64, anonymous bool, reply commands.Reply) {
	tell := func(ctx context.Context, sent bool) {
		l := b.in.Lang(ctx, chatRef(chatID))
		note := l.Msg(commands.MsgSecretNeedsPrivateChat, "https://t.me/"+b.username)
		switch {
		case sent:
			note = l.Msg(commands.MsgSecretSentPrivately)
		case anonymous:
			// Opening a private chat would not help: asked anonymously
			// again, the bot still could not tell whose it is.
			note = l.Msg(commands.MsgSecretAnonymous)
		}
		b.queueReply(chatID, replyTo, commands.Reply{Text: note})
	}
	if anonymous {
		b.replies.push(chatID, func(ctx context.Context) { tell(ctx, false) })
		return
	}
	b.replies.push(userID, func(ctx context.Context) {
		_, err := b.sendText(ctx, userID, 0, reply.Text, nil)
		if err != nil {
			b.log.Info("secret reply not sent to the private chat", "chat", chatID, "err", err)
		}
		tell(ctx, err == nil)
	})
}

// queueReply answers a command whose work is stored: the reply leaves
// through the chat's queue, so the batch (and the next getUpdates) does
// not wait for the chat's pacing.
func (b *Bot) queueReply(chatID int64, replyTo int, reply commands.Reply) {
	b.replies.push(chatID, func(ctx context.Context) {
		b.sendReply(ctx, chatID, replyTo, reply)
		if reply.CommandsChanged {
			b.refreshStaffCommands(ctx, chatID)
		}
	})
}
