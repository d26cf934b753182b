// Package discordtest is a fake Discord for tests: the REST API and the
// gateway websocket on 127.0.0.1, speaking the wire format discordgo
// expects. Tests dispatch interactions as a member would and read what the
// bot answered and posted.
//
// It is faithful where a mistake would hide a bug: commands are validated
// as Discord validates them on registration, an invoked command and its
// option values must fit what was registered, an interaction is answered
// once and within its deadline, and messages obey Discord's limits.
package discordtest

import (
	"encoding/json"
	"fmt"
	"github.com/wijkbv/wijkbot/internal/contract"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Error codes Discord returns that the fake uses.
const (
	codeUnknownInteraction  = 10062
	codeAlreadyAcknowledged = 40060
	codeInvalidFormBody     = 50035
	// CodeCannotMessageUser is Discord's answer to a message in the DM of a
	// user who blocked the bot or allows no DMs.
	CodeCannotMessageUser = 50007
)

// Server is a fake Discord. Create it with NewServer.
type Server struct {
	// URL is the REST base to configure instead of https://discord.com.
	URL string
	// Token is the raw bot token the fake accepts ("Bot " + Token on the wire).
	Token   string
	AppID   string
	GuildID string
	// BotID and BotName are the bot user's id and username.
	BotID, BotName string
	// HeartbeatInterval is sent in HELLO; set it before a client connects.
	HeartbeatInterval time.Duration
	// Deadline is how long after dispatch an interaction may be answered
	// (Discord: 3 seconds); later callbacks get "Unknown interaction".
	Deadline time.Duration
	// MaxUpload, when above 0, is the largest request body in bytes; a
	// bigger one (an attachment over Discord's upload limit) gets 413.
	MaxUpload atomic.Int64

	srv      *httptest.Server
	upgrader websocket.Upgrader

	mu           sync.Mutex
	changed      chan struct{} // closed and replaced on every change
	nextID       int64
	commands     map[string][]discordgo.ApplicationCommand // by scope: "" global, else guild id
	rawCommands  map[string]json.RawMessage
	overwrites   int
	channels     map[string]*channel
	channelOrder []string
	interactions map[string]*Interaction
	conns        map[*conn]bool
	sessions     map[string]*session
	identifies   int
	resumes      int
	limits       []rateLimit
	limited      int
	unknown      []string
	events       []ScheduledEvent // guild scheduled events created (events.go)
	denyEvents   bool             // answer event creation with 403 Missing Permissions

	ledger contract.Ledger[Violation] // requests held against the specification (contract.go)
	// Requests received and not yet held against the specification (check, audit).
	checkMu sync.Mutex
	pending []pendingCheck
	auditMu sync.Mutex
}

type channel struct {
	id, name string
	dm       bool
	// recipient is the user of a DM made with DMWith or POST
	// /users/@me/channels; "" for AddDM's.
	recipient Member
	blocked   bool // the recipient blocked the bot (50007 on a message)
	messages  []*Message
}

type rateLimit struct {
	method, path string
	after        time.Duration
}

// Message is a message the bot posted or an interaction reply.
type Message struct {
	ID        string
	ChannelID string
	Content   string
	Flags     int
	Buttons   []Button
	Files     []File
	// AllowedMentions is the allowed_mentions object as sent, or nil.
	AllowedMentions json.RawMessage
	// Raw is the JSON payload as sent.
	Raw json.RawMessage
}

// Ephemeral says whether only the invoker sees the message.
func (m Message) Ephemeral() bool { return m.Flags&int(discordgo.MessageFlagsEphemeral) != 0 }

// Button is a button under a message.
type Button struct {
	Label    string
	CustomID string
	Style    int
}

// File is an attachment.
type File struct {
	Name        string
	ContentType string
	Data        []byte
}

// NewServer starts a fake Discord that stops when the test ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{
		Token:             "test-token",
		AppID:             "1100000000000000001",
		GuildID:           "1100000000000000002",
		BotID:             "1100000000000000003",
		BotName:           "wijkbot",
		HeartbeatInterval: 41250 * time.Millisecond,
		Deadline:          3 * time.Second,
		changed:           make(chan struct{}),
		nextID:            1200000000000000000,
		commands:          map[string][]discordgo.ApplicationCommand{},
		rawCommands:       map[string]json.RawMessage{},
		channels:          map[string]*channel{},
		interactions:      map[string]*Interaction{},
		conns:             map[*conn]bool{},
		sessions:          map[string]*session{},
	}
	// First registered, last run: after the bot stopped and the server closed.
	t.Cleanup(func() { s.audit(); s.ledger.FailOn(t, "discordtest", "Discord API v"+APIVersion) })
	mux := http.NewServeMux()
	mux.HandleFunc("GET /gateway/", s.serveGateway)
	mux.HandleFunc("GET /gateway", s.serveGateway)
	mux.HandleFunc("/api/{version}/", s.serveREST)
	// URL is set before the server starts: a client in another process
	// (wijkbench's footprint runs the real binary) calls in at once, and
	// the race detector cannot see that its request follows this write.
	s.srv = httptest.NewUnstartedServer(mux)
	s.URL = "http://" + s.srv.Listener.Addr().String()
	s.srv.Start()
	t.Cleanup(s.Close)
	return s
}

// Close stops the server and drops every gateway connection.
func (s *Server) Close() {
	s.DropConnections()
	s.srv.Close()
}

// id returns a fresh snowflake-like id.
func (s *Server) id() string {
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

// notify wakes waiters; callers hold s.mu.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitFor waits until cond (called with s.mu held) holds.
func (s *Server) waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ok, ch := cond(), s.changed
		s.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("discordtest: timed out waiting for %s", what)
		}
	}
}

// AddChannel creates a text channel in the guild and returns its id.
func (s *Server) AddChannel(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.id()
	s.channels[id] = &channel{id: id, name: name}
	s.channelOrder = append(s.channelOrder, id)
	s.broadcast("CHANNEL_CREATE", s.channelJSON(s.channels[id]))
	s.notify()
	return id
}

// AddDM creates a direct-message channel between the bot and a user.
func (s *Server) AddDM() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.id()
	s.channels[id] = &channel{id: id, dm: true}
	s.notify()
	return id
}

// DMWith returns the direct-message channel between the bot and m,
// creating it the first time, as a user opening a DM with the bot does;
// interactions there carry m as "user", without guild_id.
func (s *Server) DMWith(m Member) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dmWith(m).id
}

// dmWith finds or creates the DM with m; callers hold s.mu.
func (s *Server) dmWith(m Member) *channel {
	for _, id := range s.channelOrder {
		if c := s.channels[id]; c.dm && c.recipient.ID == m.ID {
			return c
		}
	}
	c := &channel{id: s.id(), dm: true, recipient: m}
	s.channels[c.id] = c
	s.channelOrder = append(s.channelOrder, c.id)
	s.notify()
	return c
}

// BlockDMs makes the user refuse the bot's direct messages from now on
// (blocked the bot, or turned DMs off): a message in their DM gets 403
// with code 50007, "Cannot send messages to this user".
func (s *Server) BlockDMs(userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.channels {
		if c.dm && c.recipient.ID == userID {
			c.blocked = true
		}
	}
}

func userJSON(m Member) map[string]any {
	return map[string]any{"id": m.ID, "username": m.Username, "discriminator": "0", "global_name": nilIfEmpty(m.GlobalName),
		"avatar": nil, "public_flags": 0, "flags": 0, "primary_guild": nil}
}

func (s *Server) channelJSON(c *channel) map[string]any {
	if c.dm {
		// PrivateChannelResponse: id, type 1, flags, recipients.
		recipients := []any{}
		if c.recipient.ID != "" {
			recipients = append(recipients, userJSON(c.recipient))
		}
		var last any
		if n := len(c.messages); n > 0 {
			last = c.messages[n-1].ID
		}
		return map[string]any{"id": c.id, "type": 1, "flags": 0, "recipients": recipients, "last_message_id": last}
	}
	return map[string]any{"id": c.id, "type": 0, "name": c.name, "guild_id": s.GuildID, "position": 0}
}

// Messages returns the messages posted in a channel (not interaction replies).
func (s *Server) Messages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	if c := s.channels[channelID]; c != nil {
		for _, m := range c.messages {
			out = append(out, *m)
		}
	}
	return out
}

// WaitMessages waits until a channel holds at least n posted messages and
// returns them all.
func (s *Server) WaitMessages(t testing.TB, channelID string, n int) []Message {
	t.Helper()
	s.waitFor(t, fmt.Sprintf("%d messages in channel %s", n, channelID), func() bool {
		c := s.channels[channelID]
		return c != nil && len(c.messages) >= n
	})
	return s.Messages(channelID)
}

// WaitMessageWith waits until a message posted in the channel, at index
// from or later, contains every one of texts, and returns the first such
// message. from is len(Messages) taken before the action that posts it:
// the bot delivers messages for other chats in the background, so a
// count alone may be met by a message an earlier action sent late.
func (s *Server) WaitMessageWith(t testing.TB, channelID string, from int, texts ...string) Message {
	t.Helper()
	var found Message
	s.waitFor(t, fmt.Sprintf("a message with %q in channel %s (from message %d on)", texts, channelID, from), func() bool {
		c := s.channels[channelID]
		if c == nil {
			return false
		}
		for _, m := range c.messages[min(from, len(c.messages)):] {
			if containsAll(m.Content, texts) {
				found = *m
				return true
			}
		}
		return false
	})
	return found
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// RateLimit answers the next request whose method matches and whose path
// ends with pathSuffix with 429 Too Many Requests and Retry-After.
func (s *Server) RateLimit(method, pathSuffix string, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = append(s.limits, rateLimit{method, pathSuffix, retryAfter})
}

// RateLimited counts the requests answered with 429.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limited
}

// Unknown returns requests the fake had no route for ("GET /api/v10/...").
func (s *Server) Unknown() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.unknown...)
}

// Commands returns the commands registered in a scope ("" for global, else
// a guild id) by the last bulk overwrite.
func (s *Server) Commands(scope string) []discordgo.ApplicationCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]discordgo.ApplicationCommand(nil), s.commands[scope]...)
}

// RawCommands returns the JSON body of the last bulk overwrite in a scope.
func (s *Server) RawCommands(scope string) json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rawCommands[scope]
}

// WaitCommands waits for a bulk overwrite in the scope and returns it.
func (s *Server) WaitCommands(t testing.TB, scope string) []discordgo.ApplicationCommand {
	t.Helper()
	s.waitFor(t, "command registration", func() bool { _, ok := s.rawCommands[scope]; return ok })
	return s.Commands(scope)
}

// command finds a registered command by name, guild scope first.
func (s *Server) command(name string) *discordgo.ApplicationCommand {
	for _, scope := range []string{s.GuildID, ""} {
		for i := range s.commands[scope] {
			if s.commands[scope][i].Name == name {
				c := s.commands[scope][i]
				return &c
			}
		}
	}
	return nil
}

// ---- REST ----

type apiError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	// Plenty left in every bucket: discordgo reads these on each response.
	w.Header().Set("X-RateLimit-Limit", "50")
	w.Header().Set("X-RateLimit-Remaining", "49")
	w.Header().Set("X-RateLimit-Reset-After", "1.000")
	w.Header().Set("X-RateLimit-Bucket", "fake")
	w.WriteHeader(status)
	if v != nil {
		json.NewEncoder(w).Encode(v)
	}
}

func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	s.check(r)
	version := r.PathValue("version")
	if !strings.HasPrefix(version, "v") {
		s.notFound(w, r)
		return
	}
	if s.rateLimited(w, r) {
		return
	}
	if max := s.MaxUpload.Load(); max > 0 && r.ContentLength > max {
		// Discord answers an upload over the limit before looking at it.
		writeJSON(w, http.StatusRequestEntityTooLarge, apiError{40005, "Request entity too large"})
		return
	}
	rest := strings.TrimPrefix(r.URL.Path, "/api/"+version)
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	route := r.Method + " " + routeOf(parts)
	// Interaction callbacks and webhooks authenticate by their token; the
	// rest needs the bot token.
	if parts[0] != "interactions" && parts[0] != "webhooks" && r.Header.Get("Authorization") != "Bot "+s.Token {
		writeJSON(w, http.StatusUnauthorized, apiError{0, "401: Unauthorized"})
		return
	}
	switch route {
	case "GET gateway", "GET gateway/bot":
		writeJSON(w, http.StatusOK, map[string]any{
			"url": "ws" + strings.TrimPrefix(s.URL, "http") + "/gateway", "shards": 1,
			"session_start_limit": map[string]int{"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
		})
	case "GET users/*":
		if parts[1] != "@me" && parts[1] != s.BotID {
			writeJSON(w, http.StatusNotFound, apiError{10013, "Unknown User"})
			return
		}
		writeJSON(w, http.StatusOK, s.botUser())
	case "PUT applications/*/commands":
		s.bulkOverwrite(w, r, parts[1], "")
	case "PUT applications/*/guilds/*/commands":
		s.bulkOverwrite(w, r, parts[1], parts[3])
	case "GET channels/*":
		s.mu.Lock()
		c := s.channels[parts[1]]
		var body map[string]any
		if c != nil {
			body = s.channelJSON(c)
		}
		s.mu.Unlock()
		if c == nil {
			writeJSON(w, http.StatusNotFound, apiError{10003, "Unknown Channel"})
			return
		}
		writeJSON(w, http.StatusOK, body)
	case "POST users/*/channels":
		s.createDM(w, r, parts[1])
	case "POST channels/*/messages":
		s.postMessage(w, r, parts[1])
	case "POST interactions/*/*/callback":
		s.callback(w, r, parts[1], parts[2])
	case "PATCH webhooks/*/*/messages/*":
		s.editOriginal(w, r, parts[1], parts[2], parts[4])
	case "DELETE webhooks/*/*/messages/*":
		s.deleteOriginal(w, r, parts[1], parts[2], parts[4])
	case "POST webhooks/*/*":
		s.followup(w, r, parts[1], parts[2])
	case "POST guilds/*/scheduled-events":
		s.createEvent(w, r, parts[1])
	default:
		s.notFound(w, r)
	}
}

// routeOf replaces ids in a path with "*", keeping the fixed words.
func routeOf(parts []string) string {
	fixed := map[string]bool{"gateway": true, "bot": true, "users": true, "applications": true, "guilds": true,
		"commands": true, "channels": true, "messages": true, "interactions": true, "callback": true, "webhooks": true,
		"scheduled-events": true}
	out := make([]string, len(parts))
	for i, p := range parts {
		if fixed[p] && !(i > 0 && (parts[i-1] == "users" || parts[i-1] == "messages")) {
			out[i] = p
		} else {
			out[i] = "*"
		}
	}
	return strings.Join(out, "/")
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.unknown = append(s.unknown, r.Method+" "+r.URL.Path)
	s.notify()
	s.mu.Unlock()
	writeJSON(w, http.StatusNotFound, apiError{0, "404: Not Found"})
}

func (s *Server) rateLimited(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, l := range s.limits {
		if l.method == r.Method && strings.HasSuffix(r.URL.Path, l.path) {
			s.limits = append(s.limits[:i], s.limits[i+1:]...)
			s.limited++
			secs := l.after.Seconds()
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Retry-After", strconv.Itoa(int(secs+0.999)))
			w.Header().Set("X-RateLimit-Limit", "5")
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
			w.Header().Set("X-RateLimit-Bucket", "fake")
			w.Header().Set("X-RateLimit-Scope", "user")
			w.WriteHeader(http.StatusTooManyRequests)
			json.NewEncoder(w).Encode(map[string]any{"message": "You are being rate limited.", "retry_after": secs, "global": false})
			s.notify()
			return true
		}
	}
	return false
}

func (s *Server) botUser() map[string]any {
	return map[string]any{"id": s.BotID, "username": s.BotName, "discriminator": "0", "global_name": nil, "avatar": nil, "bot": true}
}

func (s *Server) bulkOverwrite(w http.ResponseWriter, r *http.Request, app, guild string) {
	if app != s.AppID {
		writeJSON(w, http.StatusForbidden, apiError{50001, "Missing Access"})
		return
	}
	if guild != "" && guild != s.GuildID {
		writeJSON(w, http.StatusForbidden, apiError{50001, "Missing Access"})
		return
	}
	body, _ := io.ReadAll(r.Body)
	var cmds []discordgo.ApplicationCommand
	if err := json.Unmarshal(body, &cmds); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{codeInvalidFormBody, "Invalid Form Body: " + err.Error()})
		return
	}
	if err := validateCommands(cmds); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{codeInvalidFormBody, "Invalid Form Body: " + err.Error()})
		return
	}
	s.mu.Lock()
	for i := range cmds {
		cmds[i].ID = s.id()
		cmds[i].ApplicationID = s.AppID
		cmds[i].GuildID = guild
		cmds[i].Version = s.id()
	}
	s.commands[guild] = cmds
	s.rawCommands[guild] = body
	s.overwrites++
	s.notify()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, cmds)
}

// readMessage reads a message body: JSON, or multipart with payload_json
// and files[n] parts, as Discord accepts them.
func readMessage(r *http.Request) (Message, error) {
	raw, files, err := readBody(r)
	m := Message{Raw: raw, Files: files}
	if err != nil {
		return m, err
	}
	return m, m.decode(m.Raw)
}

// readBody reads a request's JSON, from the body or from the payload_json
// part of a multipart form, and the files beside it.
func readBody(r *http.Request) (raw json.RawMessage, files []File, err error) {
	mediatype, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediatype == "multipart/form-data" {
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, nil, err
			}
			data, err := io.ReadAll(p)
			if err != nil {
				return nil, nil, err
			}
			switch name := p.FormName(); {
			case name == "payload_json":
				raw = data
			case strings.HasPrefix(name, "files["):
				files = append(files, File{Name: p.FileName(), ContentType: p.Header.Get("Content-Type"), Data: data})
			default:
				return nil, nil, fmt.Errorf("unexpected form field %q", name)
			}
		}
	} else if raw, err = io.ReadAll(r.Body); err != nil {
		return nil, nil, err
	}
	if len(raw) == 0 {
		raw = json.RawMessage("{}")
	}
	return raw, files, nil
}

type wireComponent struct {
	Type       int             `json:"type"`
	Label      string          `json:"label"`
	Style      int             `json:"style"`
	CustomID   string          `json:"custom_id"`
	URL        string          `json:"url"`
	Components []wireComponent `json:"components"`
}

// decode fills content, flags, buttons and allowed mentions from a payload.
func (m *Message) decode(raw []byte) error {
	var p struct {
		Content         *string          `json:"content"`
		Flags           int              `json:"flags"`
		Components      []wireComponent  `json:"components"`
		AllowedMentions *json.RawMessage `json:"allowed_mentions"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	if p.Content != nil {
		m.Content = *p.Content
	}
	m.Flags = p.Flags
	if p.AllowedMentions != nil {
		m.AllowedMentions = *p.AllowedMentions
	}
	if len(p.Components) > 5 {
		return fmt.Errorf("components: at most 5 action rows")
	}
	m.Buttons = nil
	for _, row := range p.Components {
		if row.Type != 1 {
			return fmt.Errorf("components: top level must be action rows")
		}
		if len(row.Components) == 0 || len(row.Components) > 5 {
			return fmt.Errorf("components: an action row holds 1 to 5 buttons")
		}
		for _, c := range row.Components {
			if c.Type != 2 {
				return fmt.Errorf("components: unsupported type %d in a message", c.Type)
			}
			if c.CustomID == "" && c.URL == "" || len(c.CustomID) > 100 || len([]rune(c.Label)) > 80 {
				return fmt.Errorf("components: custom_id 1-100 characters, label at most 80")
			}
			m.Buttons = append(m.Buttons, Button{Label: c.Label, CustomID: c.CustomID, Style: c.Style})
		}
	}
	return nil
}

// check applies Discord's limits to a message about to be created.
func (m *Message) check() error {
	if len([]rune(m.Content)) > 2000 {
		return fmt.Errorf("content: must be 2000 or fewer in length")
	}
	if m.Content == "" && len(m.Files) == 0 && len(m.Buttons) == 0 {
		return fmt.Errorf("cannot send an empty message")
	}
	if len(m.Files) > 10 {
		return fmt.Errorf("files: at most 10")
	}
	return nil
}

func (s *Server) messageJSON(m *Message) map[string]any {
	var atts []map[string]any
	for i, f := range m.Files {
		atts = append(atts, map[string]any{"id": strconv.Itoa(i), "filename": f.Name, "size": len(f.Data), "content_type": f.ContentType,
			"url": s.URL + "/attachments/" + m.ID + "/" + f.Name, "proxy_url": s.URL + "/attachments/" + m.ID + "/" + f.Name})
	}
	return map[string]any{
		"id": m.ID, "channel_id": m.ChannelID, "content": m.Content, "flags": m.Flags, "type": 0,
		"author": s.botUser(), "attachments": atts, "embeds": []any{}, "mentions": []any{}, "mention_roles": []string{},
		"timestamp": time.Now().UTC().Format(time.RFC3339Nano), "tts": false, "pinned": false, "mention_everyone": false,
		"application_id": s.AppID,
	}
}

func (s *Server) postMessage(w http.ResponseWriter, r *http.Request, channelID string) {
	m, err := readMessage(r)
	if err == nil {
		err = m.check()
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{codeInvalidFormBody, "Invalid Form Body: " + err.Error()})
		return
	}
	s.mu.Lock()
	c := s.channels[channelID]
	if c == nil {
		s.mu.Unlock()
		writeJSON(w, http.StatusNotFound, apiError{10003, "Unknown Channel"})
		return
	}
	if c.blocked {
		s.mu.Unlock()
		writeJSON(w, http.StatusForbidden, apiError{CodeCannotMessageUser, "Cannot send messages to this user"})
		return
	}
	m.ID, m.ChannelID = s.id(), channelID
	c.messages = append(c.messages, &m)
	body := s.messageJSON(&m)
	s.notify()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

// createDM is POST /users/@me/channels (create_dm): the DM channel with
// recipient_id, the existing one if there is one. The fake knows the users
// that have a DM made with DMWith; any other recipient is an unknown user.
func (s *Server) createDM(w http.ResponseWriter, r *http.Request, who string) {
	var body struct {
		RecipientID *string `json:"recipient_id"`
	}
	if who != "@me" {
		writeJSON(w, http.StatusForbidden, apiError{50001, "Missing Access"})
		return
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.RecipientID == nil {
		writeJSON(w, http.StatusBadRequest, apiError{codeInvalidFormBody, "Invalid Form Body: recipient_id is required"})
		return
	}
	s.mu.Lock()
	var found *channel
	for _, id := range s.channelOrder {
		if c := s.channels[id]; c.dm && c.recipient.ID == *body.RecipientID {
			found = c
		}
	}
	if found == nil {
		s.mu.Unlock()
		writeJSON(w, http.StatusNotFound, apiError{10013, "Unknown User"})
		return
	}
	resp := s.channelJSON(found)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, resp)
}
