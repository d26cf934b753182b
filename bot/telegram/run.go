package telegram

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// allowedUpdates are the update kinds the bot handles; Telegram keeps the
// list, so naming it also switches off kinds a former bot on this token
// asked for.
var allowedUpdates = []string{"message", "callback_query", "my_chat_member"}

// Run long-polls for updates and handles them until ctx is done. It then
// stops polling, lets the handlers of the current batch finish, stores the
// offset and confirms it to Telegram, and returns nil.
//
// Updates are handled in batches (one getUpdates answer): the chats of a
// batch in parallel, each chat's updates in order. Handling stores the
// command and queues its reply in the chat's queue (queue.go), so a batch
// never waits for Telegram's pacing of a busy chat. The offset after a
// batch is stored only when the whole batch is handled (every command
// stored), so a crash replays at most that batch, and the runtime's event
// ids make the replay store nothing twice.
func (b *Bot) Run(ctx context.Context) error {
	var menus sync.WaitGroup
	menus.Add(1)
	go func() { // in the background: polling must not wait for menus
		defer menus.Done()
		b.setCommands(ctx)
	}()
	defer menus.Wait()
	offset := b.loadOffset(ctx)
	b.log.Info("telegram polling", "bot", b.username, "offset", offset)
	saver := b.startSaver(context.WithoutCancel(ctx))
	backoff := time.Second
	for ctx.Err() == nil {
		updates, err := b.getUpdates(ctx, offset, b.poll)
		b.health.record(err)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			b.log.Warn("getUpdates failed", "err", err, "wait", backoff)
			if conflict(err) {
				b.log.Error("Telegram refuses polling: another process polls this token, or a webhook is set (remove it with the Bot API's deleteWebhook)")
			}
			if sleepCtx(ctx, backoff) != nil {
				break
			}
			backoff = min(2*backoff, time.Minute)
			continue
		}
		backoff = time.Second
		next := b.handleBatch(context.WithoutCancel(ctx), updates, offset)
		if next != offset {
			offset = next
			saver.save(offset)
		}
	}
	saver.stop() // the last offset is stored before Run returns
	b.confirm(offset)
	b.replies.drain(drainTimeout)
	// The kept goroutines end now, not a minute later (workers.Pool.Close).
	b.work.Close()
	b.replies.pool.Close()
	b.log.Info("telegram stopped", "offset", offset)
	return nil
}

// confirm tells Telegram the updates before offset are done (a getUpdates
// with that offset and no wait), so a restarted bot, or another one, does
// not get them again. Updates it returns are left unconfirmed for the next run.
func (b *Bot) confirm(offset int) {
	if offset == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	api := *b.api
	api.Client = &tracked{ctx: ctx, c: b.client}
	if _, err := api.GetUpdates(tgbotapi.UpdateConfig{Offset: offset, Limit: 1, AllowedUpdates: allowedUpdates}); err != nil {
		b.log.Warn("confirming the offset failed; the stored offset still skips handled updates", "err", err)
	}
}

func conflict(err error) bool {
	var apiErr *tgbotapi.Error
	return errors.As(err, &apiErr) && apiErr.Code == http.StatusConflict
}

// handleBatch handles the updates at or after offset and returns the
// offset after them.
func (b *Bot) handleBatch(ctx context.Context, updates []tgbotapi.Update, offset int) int {
	var order []int64
	var events []string
	byChat := map[int64][]tgbotapi.Update{}
	first := map[int64]string{} // each chat's first event
	for _, u := range updates {
		if u.UpdateID < offset {
			continue // confirmed before; a server should not send it again
		}
		offset = u.UpdateID + 1
		ev := ""
		switch {
		case u.Message != nil:
			ev = updateEvent(u.UpdateID)
		case u.CallbackQuery != nil:
			ev = callbackEvent(u.CallbackQuery.ID)
		}
		if ev != "" {
			events = append(events, ev)
		}
		id := updateChat(u)
		if _, ok := byChat[id]; !ok {
			order = append(order, id)
			first[id] = ev
		}
		byChat[id] = append(byChat[id], u)
	}
	// The events of the batch in one look-up rather than one each.
	b.in.CheckEvents(ctx, events)
	// The chats' first updates are handled at once, so their writes can
	// share a commit (a chat's later updates wait for its first).
	var firsts []string
	for _, id := range order {
		if ev := first[id]; ev != "" {
			firsts = append(firsts, ev)
		}
	}
	b.in.ExpectWrites(firsts)
	var wg sync.WaitGroup
	for _, id := range order {
		wg.Add(1)
		us := byChat[id]
		// On a kept goroutine (internal/workers): one started per chat
		// and batch grew its stack anew for SQLite every time.
		ev := first[id]
		b.work.Go(func() {
			defer wg.Done()
			for k, u := range us {
				b.handleUpdate(ctx, u)
				if k == 0 && ev != "" {
					b.in.Settled(ev)
				}
			}
		})
	}
	wg.Wait()
	return offset
}

// updateChat is the chat an update belongs to (0 for kinds without one,
// and for a malformed update without its chat: it runs outside the
// handlers' recover).
func updateChat(u tgbotapi.Update) int64 {
	switch {
	case u.Message != nil && u.Message.Chat != nil:
		return u.Message.Chat.ID
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil && u.CallbackQuery.Message.Chat != nil:
		return u.CallbackQuery.Message.Chat.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.Chat.ID
	}
	return 0
}

func (b *Bot) loadOffset(ctx context.Context) int {
	if b.state == nil {
		return b.memOffset
	}
	s, err := b.state.State(ctx, offsetKey)
	if err != nil {
		b.log.Error("reading the update offset failed; starting from Telegram's", "err", err)
		return 0
	}
	n, _ := strconv.Atoi(s)
	return n
}

// offsetSaver stores the offsets of handled batches in the background,
// the newest first: the poll for the next batch need not wait for the
// commit (and fsync) of the offset, which then shares a commit with the
// next batch's commands. The batch itself is stored before the offset is
// handed over, and the poll that follows confirms it to Telegram; should
// the bot stop before the offset is stored, Telegram's confirmation or
// the event ids keep the batch from being stored twice (as when storing
// the offset fails).
type offsetSaver struct {
	next    chan int // holds the newest offset not yet taken
	stopped chan struct{}
}

func (b *Bot) startSaver(ctx context.Context) *offsetSaver {
	s := &offsetSaver{next: make(chan int, 1), stopped: make(chan struct{})}
	soon, _ := b.state.(stateSoon)
	go func() {
		defer close(s.stopped)
		last := 0
		for offset := range s.next {
			if soon == nil {
				b.saveOffset(ctx, offset)
				continue
			}
			// With the next commit, whatever it holds: the next batch's
			// commands, as a rule (storage.DB.SetStateSoon).
			b.memOffset, last = offset, offset
			soon.SetStateSoon(offsetKey, strconv.Itoa(offset))
		}
		if last != 0 {
			b.saveOffset(ctx, last) // stored for certain before Run returns
		}
	}()
	return s
}

// stateSoon is a State that can store a value with its next commit
// instead of committing it on its own (storage.DB).
type stateSoon interface {
	SetStateSoon(key, value string)
}

// save hands offset over, replacing an older one not taken yet. Only the
// poll loop calls it.
func (s *offsetSaver) save(offset int) {
	for {
		select {
		case s.next <- offset:
			return
		default:
		}
		select {
		case <-s.next: // older: offset covers it
		default:
		}
	}
}

// stop stores what is left, for certain, and waits for it.
func (s *offsetSaver) stop() {
	close(s.next)
	<-s.stopped
}

func (b *Bot) saveOffset(ctx context.Context, offset int) {
	b.memOffset = offset
	if b.state == nil {
		return
	}
	if err := b.state.SetState(ctx, offsetKey, strconv.Itoa(offset)); err != nil {
		// Not fatal: the next batch stores a newer offset, and a replay is
		// deduplicated by event id.
		b.log.Error("storing the update offset failed", "err", err)
	}
}
