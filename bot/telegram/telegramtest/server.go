// Package telegramtest is a fake Telegram Bot API server for tests: the
// real client library talks HTTP to it on 127.0.0.1, tests push updates as
// users would and read what the bot sent, as a user would see it.
//
// It speaks the wire format of https://core.telegram.org/bots/api: the
// {"ok":...} envelope, long-polling getUpdates with offsets, form,
// multipart and JSON parameters, HTML parse mode with its escaping rules,
// and the errors a bot meets (429 with retry_after, a proxy's HTML 502,
// chat not found, bot kicked, group upgraded to a supergroup).
package telegramtest

import (
	"fmt"
	"github.com/wijkbv/wijkbot/internal/contract"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// User is a Telegram user (or bot) as tests describe one.
type User struct {
	ID           int64
	FirstName    string
	LastName     string
	Username     string
	LanguageCode string
	IsBot        bool
}

// Chat is a Telegram chat. Group ids are negative; supergroups start at -100….
type Chat struct {
	ID    int64
	Type  string // "private", "group", "supergroup"
	Title string
	// FirstName is the other party's name in a private chat.
	FirstName string
}

// Private is the private chat between the bot and u.
func Private(u User) Chat {
	return Chat{ID: u.ID, Type: "private", FirstName: u.FirstName}
}

// Group is a (basic) group chat with a negative id.
func Group(id int64, title string) Chat {
	return Chat{ID: id, Type: "group", Title: title}
}

// Channel is a channel; in a group a message can be posted on its behalf
// (see PushOnBehalf).
func Channel(id int64, title string) Chat {
	return Chat{ID: id, Type: "channel", Title: title}
}

// Supergroup is a supergroup chat (ids like -1001234567890).
func Supergroup(id int64, title string) Chat {
	return Chat{ID: id, Type: "supergroup", Title: title}
}

// Button is an inline keyboard button the bot sent.
type Button struct {
	Text string
	Data string // callback_data
}

// File is an uploaded file.
type File struct {
	Field string // "photo" or "document"
	Name  string
	Data  []byte
}

// Sent is a message the bot sent successfully.
type Sent struct {
	Method    string // sendMessage, sendPhoto, sendDocument
	ChatID    int64
	MessageID int
	// Raw is the text or caption as the bot sent it (HTML when ParseMode is HTML).
	Raw       string
	ParseMode string
	// Shown is the text or caption as the user sees it: entities decoded,
	// tags removed.
	Shown   string
	ReplyTo int
	Buttons [][]Button
	File    *File
	// ForceReply is set when the message asks for a reply (reply_markup
	// ForceReply): the reply field opens as if the user pressed Reply.
	ForceReply *ForceReply
}

// ForceReply is a ForceReply the bot sent, as Telegram clients honour it.
type ForceReply struct {
	Placeholder string // input_field_placeholder
	Selective   bool
	// For are the users whose reply field opens when Selective: those the
	// text mentions (a text_mention link tg://user?id=, or @username of a
	// known user). Telegram's second target, the sender of a replied-to
	// message, is the bot itself for a question under a bot's message.
	For []int64
}

// Opens says whether the ForceReply opens u's reply field.
func (f *ForceReply) Opens(u User) bool {
	if f == nil {
		return false
	}
	if !f.Selective {
		return true
	}
	for _, id := range f.For {
		if id == u.ID {
			return true
		}
	}
	return false
}

// Call is one request the server received.
type Call struct {
	Method string
	Params map[string]string
	// Status is the HTTP status answered.
	Status int
}

// Answer is an answerCallbackQuery.
type Answer struct {
	QueryID   string
	Text      string
	ShowAlert bool
}

// Failure is an error the server answers instead of doing a call.
type Failure struct {
	Status      int
	Description string
	RetryAfter  int  // seconds, for 429
	HTML        bool // an HTML page (a proxy's error) instead of the API's JSON
	// Stall, when set, makes the call succeed but hold its answer that long
	// (or until the client gives up): the ambiguous case where a message
	// was delivered and the bot cannot know.
	Stall time.Duration
	// Body, when set, is the answer's body as is, sent as JSON with
	// Status: a malformed answer (a result the client cannot decode).
	Body string
}

// LostAnswer is a call that is carried out but answered only after d, so a
// client with a shorter timeout sees a timeout for a message that was sent.
func LostAnswer(d time.Duration) Failure {
	return Failure{Status: http.StatusOK, Stall: d}
}

// TooManyRequests is the flood-control answer: try again after the seconds.
func TooManyRequests(retryAfter int) Failure {
	return Failure{Status: http.StatusTooManyRequests, RetryAfter: retryAfter,
		Description: "Too Many Requests: retry after " + strconv.Itoa(retryAfter)}
}

// BadGateway is the HTML page nginx answers when the Bot API behind it is down.
func BadGateway() Failure {
	return Failure{Status: http.StatusBadGateway, HTML: true}
}

// InternalError is the API's own JSON 500 answer.
func InternalError() Failure {
	return Failure{Status: http.StatusInternalServerError, Description: "Internal Server Error"}
}

// Command is one entry of a bot command menu.
type Command struct {
	Command     string
	Description string
}

// Scope names a command menu: "default", "all_group_chats", "chat" (with ChatID), ...
type Scope struct {
	Type   string
	ChatID int64
}

// Server is a fake Bot API server on 127.0.0.1.
type Server struct {
	// Token is the bot token the server accepts.
	Token string
	// Bot is the bot's own user (getMe).
	Bot User

	t   testing.TB
	srv *httptest.Server

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced on every change
	nextID    int
	pending   []wireUpdate // not yet confirmed, by id
	history   map[int]wireUpdate
	confirmed int // the highest offset a getUpdates confirmed
	holdFrom  int // getUpdates with an offset at least this wait (HoldPolls)
	held      int // getUpdates waiting now
	poller    chan struct{}

	chats    map[int64]Chat
	users    map[int64]User
	msgs     map[int64]map[int]*wireMessage
	lastMsg  map[int64]int
	kicked   map[int64]bool
	migrated map[int64]int64
	members  map[[2]int64]string

	sent     []Sent
	calls    []Call
	failures map[string][]Failure
	queries  map[string]bool // callback query id -> answered
	answers  []Answer
	menus    map[string][]Command
	actions  map[int64][]string
	nextCbID int

	ledger contract.Ledger[Violation] // requests held against the specification (contract.go)
}

// NewServer starts a fake Bot API server that stops when the test ends.
// Its bot is @WijkBot with token "123456:TEST".
func NewServer(t testing.TB) *Server {
	s := &Server{
		Token:    "123456:TEST",
		Bot:      User{ID: 123456, FirstName: "Wijkbot", Username: "WijkBot", IsBot: true},
		t:        t,
		changed:  make(chan struct{}),
		nextID:   1000,
		history:  map[int]wireUpdate{},
		chats:    map[int64]Chat{},
		users:    map[int64]User{},
		msgs:     map[int64]map[int]*wireMessage{},
		lastMsg:  map[int64]int{},
		kicked:   map[int64]bool{},
		migrated: map[int64]int64{},
		members:  map[[2]int64]string{},
		failures: map[string][]Failure{},
		queries:  map[string]bool{},
		menus:    map[string][]Command{},
		actions:  map[int64][]string{},
	}
	// First registered, last run: after the bot stopped and the server closed.
	t.Cleanup(func() { s.ledger.FailOn(t, "telegramtest", SpecVersion()) })
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// URL is the server's base address, for the bot's API URL setting.
func (s *Server) URL() string { return s.srv.URL }

// Close stops the server, ending any waiting long poll.
func (s *Server) Close() {
	s.mu.Lock()
	if s.poller != nil {
		close(s.poller)
		s.poller = nil
	}
	s.mu.Unlock()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// notify wakes every waiter; s.mu must be held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitFor waits until cond (called with s.mu held) is true, or fails the
// test after 10 seconds.
func (s *Server) waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ok := cond()
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("telegramtest: timed out waiting for %s; sent so far:\n%s", what, s.dump())
		}
	}
}

func (s *Server) dump() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for _, m := range s.sent {
		fmt.Fprintf(&b, "  chat %d #%d %s: %q\n", m.ChatID, m.MessageID, m.Method, m.Shown)
	}
	return b.String()
}

// --- pushing updates, as users act ---

func (s *Server) push(u wireUpdate) int {
	s.nextID++
	u.UpdateID = s.nextID
	s.pending = append(s.pending, u)
	s.history[u.UpdateID] = u
	s.notify()
	return u.UpdateID
}

// AddChat makes the server know chat with the bot in it, as if it had been
// added earlier: the bot can send there before anyone wrote (a test that
// seeds the database directly).
func (s *Server) AddChat(c Chat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowChat(c)
}

func (s *Server) knowChat(c Chat) {
	if c.Type == "" {
		c.Type = "private"
		if c.ID < 0 {
			c.Type = "group"
		}
	}
	if _, ok := s.chats[c.ID]; !ok {
		s.chats[c.ID] = c
	}
}

func (s *Server) newMessage(chat Chat, from *wireUser) *wireMessage {
	s.knowChat(chat)
	s.lastMsg[chat.ID]++
	m := &wireMessage{MessageID: s.lastMsg[chat.ID], From: from, Date: time.Now().Unix(), Chat: s.wireChat(chat.ID)}
	if s.msgs[chat.ID] == nil {
		s.msgs[chat.ID] = map[int]*wireMessage{}
	}
	s.msgs[chat.ID][m.MessageID] = m
	return m
}

func (s *Server) wireChat(id int64) wireChat {
	c := s.chats[id]
	return wireChat{ID: c.ID, Type: c.Type, Title: c.Title, FirstName: c.FirstName}
}

func wireUserOf(u User) *wireUser {
	return &wireUser{ID: u.ID, IsBot: u.IsBot, FirstName: u.FirstName, LastName: u.LastName, Username: u.Username, LanguageCode: u.LanguageCode}
}

// PushText queues a text message from a user in a chat, as Telegram does
// when the user sends it (a leading /command gets its bot_command entity).
// It returns the update id and the message id.
func (s *Server) PushText(chat Chat, from User, text string) (updateID, messageID int) {
	return s.PushReply(chat, from, text, 0)
}

// PushReply is PushText for a message that replies to message replyTo of the chat.
func (s *Server) PushReply(chat Chat, from User, text string, replyTo int) (updateID, messageID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[from.ID] = from
	m := s.newMessage(chat, wireUserOf(from))
	m.Text = text
	if strings.HasPrefix(text, "/") {
		word := strings.Fields(text)[0]
		m.Entities = []wireEntity{{Type: "bot_command", Offset: 0, Length: utf16Len(word)}}
	}
	if replyTo != 0 {
		orig, ok := s.msgs[chat.ID][replyTo]
		if !ok {
			s.t.Fatalf("telegramtest: PushReply: no message %d in chat %d", replyTo, chat.ID)
		}
		cp := *orig
		cp.ReplyToMessage = nil // Telegram does not nest replies
		m.ReplyToMessage = &cp
	}
	return s.push(wireUpdate{Message: m}), m.MessageID
}

// PushUndecodable queues a text message as PushText does, but with a
// field of a type the client library does not expect (edit_date as a
// word): an update a newer Bot API might send. It returns the update id.
func (s *Server) PushUndecodable(chat Chat, from User, text string) (updateID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[from.ID] = from
	m := s.newMessage(chat, wireUserOf(from))
	m.Text = text
	m.EditDate = "gisteren"
	return s.push(wireUpdate{Message: m})
}

// PushAnonymous queues a message a group admin posts anonymously: From is
// Telegram's GroupAnonymousBot and sender_chat the group itself.
func (s *Server) PushAnonymous(chat Chat, text string) (updateID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.newMessage(chat, &wireUser{ID: 1087968824, IsBot: true, FirstName: "Group", Username: "GroupAnonymousBot"})
	sc := s.wireChat(chat.ID)
	m.SenderChat = &sc
	m.Text = text
	return s.push(wireUpdate{Message: m})
}

// PushOnBehalf queues a message posted in chat on behalf of another chat,
// sender (a channel): as Telegram sends it, From is Channel_Bot
// (136817688) and sender_chat is sender. PushAnonymous is the case where
// sender_chat is the group itself.
func (s *Server) PushOnBehalf(chat, sender Chat, text string) (updateID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.newMessage(chat, &wireUser{ID: 136817688, IsBot: true, FirstName: "Channel", Username: "Channel_Bot"})
	m.SenderChat = &wireChat{ID: sender.ID, Type: sender.Type, Title: sender.Title}
	m.Text = text
	if strings.HasPrefix(text, "/") {
		word := strings.Fields(text)[0]
		m.Entities = []wireEntity{{Type: "bot_command", Offset: 0, Length: utf16Len(word)}}
	}
	return s.push(wireUpdate{Message: m})
}

// PushCallback queues the press of an inline button under the bot's
// message messageID in chat, with the button's data. It returns the update
// id and the callback query id.
func (s *Server) PushCallback(chat Chat, from User, messageID int, data string) (updateID int, queryID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[from.ID] = from
	m, ok := s.msgs[chat.ID][messageID]
	if !ok {
		s.t.Fatalf("telegramtest: PushCallback: no message %d in chat %d", messageID, chat.ID)
	}
	s.nextCbID++
	queryID = fmt.Sprintf("%d%06d", from.ID, s.nextCbID)
	s.queries[queryID] = false
	cp := *m
	q := &wireCallbackQuery{ID: queryID, From: *wireUserOf(from), Message: &cp,
		ChatInstance: strconv.FormatInt(-chat.ID, 10), Data: data}
	return s.push(wireUpdate{CallbackQuery: q}), queryID
}

// Press finds the button labelled label under message sent and pushes its
// press by user. The test fails if there is no such button.
func (s *Server) Press(sent Sent, from User, label string) (updateID int, queryID string) {
	s.t.Helper()
	for _, row := range sent.Buttons {
		for _, b := range row {
			if b.Text == label {
				s.mu.Lock()
				chat := s.chats[sent.ChatID]
				s.mu.Unlock()
				return s.PushCallback(chat, from, sent.MessageID, b.Data)
			}
		}
	}
	s.t.Fatalf("telegramtest: no button %q under message %d (%q)", label, sent.MessageID, sent.Shown)
	return 0, ""
}

// PushMigrate turns group from into supergroup to, as Telegram does: a
// service message in each, and the old group refuses messages from then on.
func (s *Server) PushMigrate(from, to Chat, by User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowChat(to)
	s.migrated[from.ID] = to.ID
	old := s.newMessage(from, wireUserOf(by))
	old.MigrateToChatID = to.ID
	s.push(wireUpdate{Message: old})
	nw := s.newMessage(to, &wireUser{ID: 1087968824, IsBot: true, FirstName: "Group", Username: "GroupAnonymousBot"})
	sc := s.wireChat(to.ID)
	nw.SenderChat = &sc
	nw.MigrateFromChatID = from.ID
	s.push(wireUpdate{Message: nw})
}

// PushMyChatMember queues a change of the bot's own membership in a chat
// (status "member", "administrator", "left", "kicked"); leaving or being
// kicked also makes the chat refuse the bot's messages.
func (s *Server) PushMyChatMember(chat Chat, by User, oldStatus, newStatus string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowChat(chat)
	s.kicked[chat.ID] = newStatus == "left" || newStatus == "kicked"
	bot := *wireUserOf(s.Bot)
	return s.push(wireUpdate{MyChatMember: &wireChatMemberUpdated{
		Chat: s.wireChat(chat.ID), From: *wireUserOf(by), Date: time.Now().Unix(),
		OldChatMember: wireChatMember{User: bot, Status: oldStatus},
		NewChatMember: wireChatMember{User: bot, Status: newStatus},
	}})
}

// Block makes u block the bot: from now on a message to u's private chat
// gets 403 "Forbidden: bot was blocked by the user". Telegram also sends a
// my_chat_member update (PushMyChatMember with "kicked"); Block leaves it
// out, as when a message goes out before the bot has read that update.
func (s *Server) Block(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowChat(Private(u))
	s.kicked[u.ID] = true
}

// deepLinkRE is a deep link to a bot with a start parameter, as
// https://core.telegram.org/bots/features#deep-linking describes it: up to
// 64 characters of A-Z, a-z, 0-9, _ and -.
var deepLinkRE = regexp.MustCompile(`^https://t\.me/([A-Za-z0-9_]{5,32})\?start=([A-Za-z0-9_-]{1,64})$`)

// OpenDeepLink is u opening link (https://t.me/<bot>?start=<parameter>)
// and pressing Start: Telegram sends "/start <parameter>" in u's private
// chat with the bot. The test fails if the link is not a valid deep link
// to this bot.
func (s *Server) OpenDeepLink(u User, link string) (updateID, messageID int) {
	s.t.Helper()
	m := deepLinkRE.FindStringSubmatch(link)
	if m == nil {
		s.t.Fatalf("telegramtest: %q is not a deep link https://t.me/<bot>?start=<1-64 of A-Za-z0-9_->", link)
	}
	if !strings.EqualFold(m[1], s.Bot.Username) {
		s.t.Fatalf("telegramtest: deep link %q is for @%s, not for this bot @%s", link, m[1], s.Bot.Username)
	}
	return s.PushText(Private(u), u, "/start "+m[2])
}

// Redeliver queues an update again with the same id, as Telegram does with
// an update whose confirmation it never got (the bot crashed before its
// next getUpdates).
func (s *Server) Redeliver(updateID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.history[updateID]
	if !ok {
		s.t.Fatalf("telegramtest: Redeliver: no update %d", updateID)
	}
	for _, p := range s.pending {
		if p.UpdateID == updateID {
			return
		}
	}
	s.pending = append(s.pending, u)
	sort.Slice(s.pending, func(i, j int) bool { return s.pending[i].UpdateID < s.pending[j].UpdateID })
	if s.confirmed > updateID {
		s.confirmed = updateID
	}
	s.notify()
}

// SetMember sets what getChatMember answers for the user in the chat
// ("creator", "administrator", "member", ...); the default is "member".
func (s *Server) SetMember(chatID, userID int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.members[[2]int64{chatID, userID}] = status
}

// FailNext makes the next n calls of method answer with f instead of
// doing anything.
func (s *Server) FailNext(method string, n int, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures[method] = append(s.failures[method], f)
	}
}

// --- reading what happened ---

// Sent returns the messages the bot sent to the chat, oldest first.
func (s *Server) Sent(chatID int64) []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Sent
	for _, m := range s.sent {
		if m.ChatID == chatID {
			out = append(out, m)
		}
	}
	return out
}

// AllSent returns every message the bot sent, oldest first.
func (s *Server) AllSent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.sent...)
}

// WaitSent waits until the bot has sent at least n messages to the chat
// and returns them all.
func (s *Server) WaitSent(t testing.TB, chatID int64, n int) []Sent {
	t.Helper()
	s.waitFor(t, fmt.Sprintf("%d messages in chat %d", n, chatID), func() bool {
		return count(s.sent, func(m Sent) bool { return m.ChatID == chatID }) >= n
	})
	return s.Sent(chatID)
}

// WaitAnswer waits for the answer to a callback query.
func (s *Server) WaitAnswer(t testing.TB, queryID string) Answer {
	t.Helper()
	var a Answer
	s.waitFor(t, "the answer to callback query "+queryID, func() bool {
		for _, x := range s.answers {
			if x.QueryID == queryID {
				a = x
				return true
			}
		}
		return false
	})
	return a
}

// WaitConfirmed waits until the bot has confirmed the update: it called
// getUpdates with a higher offset, which it does after handling the update.
func (s *Server) WaitConfirmed(t testing.TB, updateID int) {
	t.Helper()
	s.waitFor(t, fmt.Sprintf("confirmation of update %d", updateID), func() bool {
		return s.confirmed > updateID
	})
}

// Calls returns the requests received for the method ("" for all),
// including failed ones.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// CountCalls is the number of calls of method answered with HTTP status
// status (any status when 0), counted without copying them: a benchmark
// polls it every few milliseconds, and Calls copied every call each time.
func (s *Server) CountCalls(method string, status int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return count(s.calls, func(c Call) bool { return c.Method == method && (status == 0 || c.Status == status) })
}

// WaitCalls waits until the method was called at least n times.
func (s *Server) WaitCalls(t testing.TB, method string, n int) []Call {
	t.Helper()
	s.waitFor(t, fmt.Sprintf("%d calls of %s", n, method), func() bool {
		return count(s.calls, func(c Call) bool { return c.Method == method }) >= n
	})
	return s.Calls(method)
}

// Menu returns the command menu set for a scope and language ("" is the default).
func (s *Server) Menu(scope Scope, lang string) []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.menus[menuKey(scope, lang)]
}

// Actions returns the chat actions ("typing", "upload_photo", ...) sent to the chat.
func (s *Server) Actions(chatID int64) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.actions[chatID]...)
}

// Pending is the number of updates not yet confirmed.
// HoldPolls makes every getUpdates whose offset is at least from wait,
// unanswered and confirming nothing, until ReleasePolls or until the
// client goes away. A test can then kill a bot that has stored a batch
// but not yet confirmed it, however fast the bot is (HeldPolls says when
// one waits).
func (s *Server) HoldPolls(from int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.holdFrom = from
	s.notify()
}

// NextUpdateID is the id the next pushed update gets.
func (s *Server) NextUpdateID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextID + 1
}

// ReleasePolls ends HoldPolls: waiting polls go on as usual.
func (s *Server) ReleasePolls() { s.HoldPolls(0) }

// HeldPolls is how many getUpdates wait because of HoldPolls.
func (s *Server) HeldPolls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held
}

func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}

// count is how many of xs match; the waiters' conditions are counts.
func count[T any](xs []T, match func(T) bool) int {
	n := 0
	for _, x := range xs {
		if match(x) {
			n++
		}
	}
	return n
}

func menuKey(scope Scope, lang string) string {
	return fmt.Sprintf("%s/%d/%s", scope.Type, scope.ChatID, lang)
}
