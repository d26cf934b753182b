package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"
)

// Interaction types and callback types, as on the wire.
const (
	TypeCommand      = 2
	TypeComponent    = 3
	TypeAutocomplete = 4
	TypeModalSubmit  = 5

	CallbackMessage      = 4
	CallbackDeferred     = 5
	CallbackDeferUpdate  = 6
	CallbackUpdate       = 7
	CallbackAutocomplete = 8
	CallbackModal        = 9
)

// Permission bits members may carry.
const (
	PermAdministrator = 1 << 3
	PermManageServer  = 1 << 5
	PermSendMessages  = 1 << 11
)

// Member is who invokes an interaction.
type Member struct {
	ID         string
	Username   string
	GlobalName string
	Nick       string
	// Permissions are the member's permissions in the channel.
	Permissions int64
	// Locale is the client's language ("nl" when empty).
	Locale string
}

// Interaction is an interaction the fake dispatched and what the bot did
// with it.
type Interaction struct {
	ID        string
	Token     string
	Type      int
	ChannelID string
	// Callbacks are the accepted callbacks, in order.
	Callbacks []Callback
	// Rejected counts callbacks refused (answered twice, too late, invalid).
	Rejected int
	// Original is the reply as shown: set by a type-4 callback or by
	// editing a deferred reply; nil while deferred, and after deletion.
	Original *Message
	Deleted  bool
	// Followups are follow-up messages, in order.
	Followups []Message
	// DispatchedAt is when the fake last sent the INTERACTION_CREATE
	// event on the gateway (a benchmark's clock starts there).
	DispatchedAt time.Time

	payload    map[string]any  // the event's d, for checks on callbacks
	wire       json.RawMessage // payload encoded once, sent on every dispatch
	dispatched time.Time
	acked      bool
}

// Callback is one answer to an interaction.
type Callback struct {
	Type    int
	Message *Message // types 4 and 7
	Choices []Choice // type 8
	Modal   *Modal   // type 9
	// At is when the fake accepted the callback (a benchmark's clock
	// stops there).
	At time.Time
}

// Choice is an autocomplete suggestion.
type Choice struct {
	Name  string
	Value any
}

// Modal is a form the bot opened.
type Modal struct {
	CustomID string
	Title    string
	Inputs   []TextInput
}

// TextInput is one field of a modal.
type TextInput struct {
	CustomID  string
	Label     string
	Style     int
	Required  bool
	MaxLength int
}

// Interaction returns a snapshot of an interaction.
func (s *Server) Interaction(id string) Interaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.snapshot(id)
}

func (s *Server) snapshot(id string) Interaction {
	in := s.interactions[id]
	if in == nil {
		return Interaction{}
	}
	c := *in
	c.Callbacks = append([]Callback(nil), in.Callbacks...)
	c.Followups = append([]Message(nil), in.Followups...)
	if in.Original != nil {
		o := *in.Original
		c.Original = &o
	}
	c.payload = nil
	c.DispatchedAt = in.dispatched
	return c
}

// WaitCallback waits for the first callback of an interaction.
func (s *Server) WaitCallback(t testing.TB, id string) Callback {
	t.Helper()
	s.waitFor(t, "a callback for interaction "+id, func() bool {
		in := s.interactions[id]
		return in != nil && len(in.Callbacks) > 0
	})
	return s.Interaction(id).Callbacks[0]
}

// WaitAnswered waits until each interaction has had a callback accepted
// or refused, and returns them in order. It waits on the fake's changes
// rather than polling, so a benchmark's waiting takes no CPU from the bot.
func (s *Server) WaitAnswered(t testing.TB, ids ...string) []Interaction {
	t.Helper()
	next := 0 // the interactions before it are answered
	s.waitFor(t, fmt.Sprintf("answers to %d interactions", len(ids)), func() bool {
		for ; next < len(ids); next++ {
			in := s.interactions[ids[next]]
			if in == nil || len(in.Callbacks) == 0 && in.Rejected == 0 {
				return false
			}
		}
		return true
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Interaction, len(ids))
	for i, id := range ids {
		out[i] = s.snapshot(id)
	}
	return out
}

// WaitReply waits for the reply an interaction's invoker sees: the
// original response once it has content (after a type-4 callback or the
// edit of a deferred one), or, when the deferred response was deleted,
// the first follow-up.
func (s *Server) WaitReply(t testing.TB, id string) Message {
	t.Helper()
	var m Message
	s.waitFor(t, "the reply to interaction "+id, func() bool {
		in := s.interactions[id]
		switch {
		case in == nil:
			return false
		case in.Original != nil:
			m = *in.Original
			return true
		case in.Deleted && len(in.Followups) > 0:
			m = in.Followups[0]
			return true
		}
		return false
	})
	return m
}

// WaitChoices waits for the suggestions answered to an autocomplete.
func (s *Server) WaitChoices(t testing.TB, id string) []Choice {
	t.Helper()
	cb := s.WaitCallback(t, id)
	if cb.Type != CallbackAutocomplete {
		t.Fatalf("discordtest: interaction %s answered with type %d, want %d", id, cb.Type, CallbackAutocomplete)
	}
	return cb.Choices
}

// WaitModal waits for the modal a button press opened.
func (s *Server) WaitModal(t testing.TB, id string) Modal {
	t.Helper()
	cb := s.WaitCallback(t, id)
	if cb.Type != CallbackModal {
		t.Fatalf("discordtest: interaction %s answered with type %d, want %d (modal)", id, cb.Type, CallbackModal)
	}
	return *cb.Modal
}

// ---- dispatching ----

func (s *Server) memberJSON(m Member, channelID string) (key string, v map[string]any) {
	user := map[string]any{"id": m.ID, "username": m.Username, "discriminator": "0", "global_name": nilIfEmpty(m.GlobalName), "avatar": nil}
	if c := s.channels[channelID]; c != nil && c.dm {
		// In a DM Discord sends the invoking user, not a guild member.
		return "user", userJSON(m)
	}
	return "member", map[string]any{
		"user": user, "nick": nilIfEmpty(m.Nick), "roles": []string{}, "joined_at": "2024-01-01T00:00:00.000000+00:00",
		"deaf": false, "mute": false, "flags": 0, "pending": false, "permissions": strconv.FormatInt(m.Permissions, 10),
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// newInteraction records and dispatches an INTERACTION_CREATE.
func (s *Server) newInteraction(t testing.TB, typ int, channelID string, m Member, data map[string]any, message map[string]any) string {
	t.Helper()
	id := s.prepareInteraction(t, typ, channelID, m, data, message)
	s.Dispatch(t, id)
	return id
}

// prepareInteraction records an INTERACTION_CREATE without sending it:
// Dispatch sends it.
func (s *Server) prepareInteraction(t testing.TB, typ int, channelID string, m Member, data map[string]any, message map[string]any) string {
	t.Helper()
	s.mu.Lock()
	c := s.channels[channelID]
	if c == nil {
		s.mu.Unlock()
		t.Fatalf("discordtest: unknown channel %s (use AddChannel)", channelID)
	}
	locale := m.Locale
	if locale == "" {
		locale = "nl"
	}
	id := s.id()
	token := "itoken-" + id
	p := map[string]any{
		"id": id, "application_id": s.AppID, "type": typ, "data": data, "channel_id": channelID,
		"channel": s.channelJSON(c), "token": token, "version": 1, "locale": locale,
		"app_permissions": "2248473465835073", "entitlements": []any{},
	}
	key, who := s.memberJSON(m, channelID)
	p[key] = who
	if c.dm {
		p["context"] = 1
	} else {
		p["context"] = 0
		p["guild_id"] = s.GuildID
		p["guild_locale"] = "nl"
	}
	if message != nil {
		p["message"] = message
	}
	in := &Interaction{ID: id, Token: token, Type: typ, ChannelID: channelID, payload: p}
	s.interactions[id] = in
	s.mu.Unlock()
	// Encoded once, as Discord builds an event once: the gateway writer
	// then only frames it, however often it is (re)delivered.
	wire, err := json.Marshal(p)
	if err != nil {
		t.Fatalf("discordtest: interaction %s: %v", id, err)
	}
	s.mu.Lock()
	in.wire = wire
	s.mu.Unlock()
	return id
}

// Dispatch sends interactions made by PrepareCommand on the gateway, in
// order and at once; each one's deadline, and its DispatchedAt, start now.
func (s *Server) Dispatch(t testing.TB, ids ...string) {
	t.Helper()
	s.WaitConnected(t)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		in := s.interactions[id]
		if in == nil {
			t.Errorf("discordtest: no interaction %s to dispatch", id)
			return
		}
		in.dispatched = time.Now()
		s.broadcast("INTERACTION_CREATE", in.wire)
	}
}

// Redeliver dispatches an interaction again, as Discord may after a
// gateway resume. Its deadline starts again.
func (s *Server) Redeliver(t testing.TB, id string) {
	t.Helper()
	s.mu.Lock()
	_, ok := s.interactions[id]
	s.mu.Unlock()
	if !ok {
		t.Fatalf("discordtest: no interaction %s", id)
	}
	s.Dispatch(t, id)
}

// Command invokes a registered slash command as m in a channel, with
// option values typed as registered (integers become numbers). It fails
// the test where a Discord client would refuse: an unregistered command
// or option, a missing required option, a value outside the choices,
// range or length. It returns the interaction id.
func (s *Server) Command(t testing.TB, channelID string, m Member, name string, args map[string]string) string {
	t.Helper()
	id := s.PrepareCommand(t, channelID, m, name, args)
	s.Dispatch(t, id)
	return id
}

// PrepareCommand is Command without sending: it makes and checks the
// interaction, and Dispatch sends it. A burst is prepared first and then
// dispatched at once, so that making the events, Discord's work on its
// own machines, is not done on the bot's CPU while the bot answers them.
func (s *Server) PrepareCommand(t testing.TB, channelID string, m Member, name string, args map[string]string) string {
	t.Helper()
	data, err := s.commandData(channelID, name, args, "")
	if err != nil {
		t.Fatalf("discordtest: /%s: %v", name, err)
	}
	return s.prepareInteraction(t, TypeCommand, channelID, m, data, nil)
}

// Autocomplete asks for suggestions while m types partial into option
// focused of a registered command; args are the options filled in so far.
func (s *Server) Autocomplete(t testing.TB, channelID string, m Member, name string, args map[string]string, focused, partial string) string {
	t.Helper()
	all := map[string]string{focused: partial}
	for k, v := range args {
		all[k] = v
	}
	data, err := s.commandData(channelID, name, all, focused)
	if err != nil {
		t.Fatalf("discordtest: autocomplete /%s: %v", name, err)
	}
	return s.newInteraction(t, TypeAutocomplete, channelID, m, data, nil)
}

func (s *Server) commandData(channelID, name string, args map[string]string, focused string) (map[string]any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cmd := s.command(name)
	if cmd == nil {
		return nil, fmt.Errorf("not registered")
	}
	if c := s.channels[channelID]; c != nil && c.dm && cmd.Contexts != nil {
		ok := false
		for _, ctx := range *cmd.Contexts {
			ok = ok || ctx == 1 // BOT_DM
		}
		if !ok {
			return nil, fmt.Errorf("not available in DMs (contexts %v)", *cmd.Contexts)
		}
	}
	for k := range args {
		found := false
		for _, o := range cmd.Options {
			found = found || o.Name == k
		}
		if !found {
			return nil, fmt.Errorf("option %q not registered", k)
		}
	}
	var opts []map[string]any
	for _, o := range cmd.Options {
		v, ok := args[o.Name]
		if !ok {
			if o.Required && focused == "" {
				return nil, fmt.Errorf("required option %q missing", o.Name)
			}
			continue
		}
		opt := map[string]any{"name": o.Name, "type": int(o.Type)}
		if o.Name == focused {
			// While typing, the focused value is the raw text so far.
			opt["value"], opt["focused"] = v, true
			if !o.Autocomplete {
				return nil, fmt.Errorf("option %q has no autocomplete", o.Name)
			}
			opts = append(opts, opt)
			continue
		}
		switch o.Type {
		case 4: // integer
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("option %q: %q is not an integer", o.Name, v)
			}
			if o.MinValue != nil && float64(n) < *o.MinValue || o.MaxValue != 0 && float64(n) > o.MaxValue {
				return nil, fmt.Errorf("option %q: %d out of range", o.Name, n)
			}
			opt["value"] = n
		case 3: // string
			if o.MaxLength > 0 && len([]rune(v)) > o.MaxLength || o.MinLength != nil && len([]rune(v)) < *o.MinLength {
				return nil, fmt.Errorf("option %q: length out of range", o.Name)
			}
			opt["value"] = v
		case 5:
			opt["value"] = v == "true"
		default:
			opt["value"] = v
		}
		if len(o.Choices) > 0 {
			ok := false
			for _, c := range o.Choices {
				ok = ok || fmt.Sprint(c.Value) == v
			}
			if !ok {
				return nil, fmt.Errorf("option %q: %q is not one of the choices", o.Name, v)
			}
		}
		opts = append(opts, opt)
	}
	data := map[string]any{"id": cmd.ID, "name": cmd.Name, "type": 1}
	if cmd.GuildID != "" {
		data["guild_id"] = cmd.GuildID
	}
	if len(opts) > 0 {
		data["options"] = opts
	}
	return data, nil
}

// Press presses a button with customID under a message the bot sent
// (a channel message or an interaction reply), as m.
func (s *Server) Press(t testing.TB, m Member, msg Message, customID string) string {
	t.Helper()
	found := false
	for _, b := range msg.Buttons {
		found = found || b.CustomID == customID
	}
	if !found {
		t.Fatalf("discordtest: message %s has no button %q", msg.ID, customID)
	}
	s.mu.Lock()
	body := s.messageJSON(&msg)
	s.mu.Unlock()
	data := map[string]any{"custom_id": customID, "component_type": 2}
	return s.newInteraction(t, TypeComponent, msg.ChannelID, m, data, body)
}

// SubmitModal fills in and submits the modal that answered interaction
// openedBy, as m; values are by text input custom_id.
func (s *Server) SubmitModal(t testing.TB, openedBy string, m Member, values map[string]string) string {
	t.Helper()
	modal := s.WaitModal(t, openedBy)
	var rows []any
	for _, in := range modal.Inputs {
		v, ok := values[in.CustomID]
		if !ok && in.Required {
			t.Fatalf("discordtest: modal field %q is required", in.CustomID)
		}
		if in.MaxLength > 0 && len([]rune(v)) > in.MaxLength {
			t.Fatalf("discordtest: modal field %q longer than %d", in.CustomID, in.MaxLength)
		}
		rows = append(rows, map[string]any{"type": 1, "components": []any{map[string]any{"type": 4, "custom_id": in.CustomID, "value": v}}})
	}
	channelID := s.Interaction(openedBy).ChannelID
	data := map[string]any{"custom_id": modal.CustomID, "components": rows}
	return s.newInteraction(t, TypeModalSubmit, channelID, m, data, nil)
}

// ---- callbacks and webhooks ----

func (s *Server) reject(w http.ResponseWriter, in *Interaction, status int, e apiError) {
	if in != nil {
		in.Rejected++
	}
	s.notify()
	s.mu.Unlock()
	writeJSON(w, status, e)
}

// callbackBody is an interaction callback as sent; Data is decoded by its
// type (decodeCallback).
type callbackBody struct {
	Type int             `json:"type"`
	Data json.RawMessage `json:"data"`
}

// callbackData is the data of an autocomplete or modal callback.
type callbackData struct {
	Choices    []Choice `json:"choices"`
	CustomID   string   `json:"custom_id"`
	Title      string   `json:"title"`
	Components []struct {
		Type       int `json:"type"`
		Components []struct {
			Type      int    `json:"type"`
			CustomID  string `json:"custom_id"`
			Label     string `json:"label"`
			Style     int    `json:"style"`
			Required  bool   `json:"required"`
			MaxLength int    `json:"max_length"`
		} `json:"components"`
	} `json:"components"`
}

// decodeCallback reads a callback's body once, before the fake takes its
// lock: a message's data into msg, any other data into data.
func decodeCallback(r *http.Request) (body callbackBody, data *callbackData, msg Message, err error) {
	raw, files, err := readBody(r)
	if err != nil {
		return body, nil, msg, err
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		return body, nil, msg, err
	}
	if len(body.Data) == 0 || string(body.Data) == "null" {
		msg.Files = files
		return body, nil, msg, nil
	}
	switch body.Type {
	case CallbackMessage, CallbackUpdate:
		msg = Message{Files: files, Raw: body.Data}
		return body, nil, msg, msg.decode(body.Data)
	}
	data = new(callbackData)
	return body, data, msg, json.Unmarshal(body.Data, data)
}

func (s *Server) callback(w http.ResponseWriter, r *http.Request, id, token string) {
	body, data, msg, err := decodeCallback(r)
	s.mu.Lock()
	in := s.interactions[id]
	if in == nil || in.Token != token {
		s.reject(w, in, http.StatusNotFound, apiError{codeUnknownInteraction, "Unknown interaction"})
		return
	}
	if time.Since(in.dispatched) > s.Deadline {
		s.reject(w, in, http.StatusNotFound, apiError{codeUnknownInteraction, "Unknown interaction"})
		return
	}
	if in.acked {
		s.reject(w, in, http.StatusBadRequest, apiError{codeAlreadyAcknowledged, "Interaction has already been acknowledged."})
		return
	}
	if err != nil {
		s.reject(w, in, http.StatusBadRequest, apiError{codeInvalidFormBody, "Invalid Form Body: " + err.Error()})
		return
	}
	cb := Callback{Type: body.Type}
	bad := func(msg string) {
		s.reject(w, in, http.StatusBadRequest, apiError{codeInvalidFormBody, "Invalid Form Body: " + msg})
	}
	switch body.Type {
	case CallbackMessage, CallbackUpdate:
		if in.Type == TypeAutocomplete {
			bad("autocomplete interactions take only type 8")
			return
		}
		if body.Type == CallbackUpdate && in.Type != TypeComponent {
			bad("type 7 is for component interactions")
			return
		}
		if err := msg.check(); err != nil {
			bad(err.Error())
			return
		}
		msg.ID, msg.ChannelID = s.id(), in.ChannelID
		cb.Message = &msg
		in.Original = &msg
	case CallbackDeferred, CallbackDeferUpdate:
		if in.Type == TypeAutocomplete {
			bad("autocomplete interactions take only type 8")
			return
		}
	case CallbackAutocomplete:
		if in.Type != TypeAutocomplete {
			bad("type 8 is for autocomplete interactions")
			return
		}
		if data != nil {
			cb.Choices = data.Choices
		}
		if len(cb.Choices) > 25 {
			bad("choices: at most 25")
			return
		}
		if err := checkChoices(in.payload, cb.Choices); err != nil {
			bad(err.Error())
			return
		}
	case CallbackModal:
		if in.Type == TypeAutocomplete || in.Type == TypeModalSubmit {
			bad("a modal cannot answer this interaction")
			return
		}
		if data == nil || data.CustomID == "" || data.Title == "" || len([]rune(data.Title)) > 45 || len(data.Components) == 0 {
			bad("modal: custom_id, title (1-45) and components are required")
			return
		}
		modal := &Modal{CustomID: data.CustomID, Title: data.Title}
		for _, row := range data.Components {
			for _, c := range row.Components {
				if row.Type != 1 || c.Type != 4 || len([]rune(c.Label)) > 45 || c.MaxLength > 4000 {
					bad("modal: text inputs in action rows, labels at most 45, max_length at most 4000")
					return
				}
				modal.Inputs = append(modal.Inputs, TextInput{CustomID: c.CustomID, Label: c.Label, Style: c.Style, Required: c.Required, MaxLength: c.MaxLength})
			}
		}
		cb.Modal = modal
	default:
		bad(fmt.Sprintf("unknown callback type %d", body.Type))
		return
	}
	in.acked = true
	cb.At = time.Now()
	in.Callbacks = append(in.Callbacks, cb)
	s.notify()
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// byToken finds the interaction a webhook token belongs to; callers hold s.mu.
func (s *Server) byToken(app, token string) *Interaction {
	if app != s.AppID {
		return nil
	}
	for _, in := range s.interactions {
		if in.Token == token && in.acked {
			return in
		}
	}
	return nil
}

func (s *Server) editOriginal(w http.ResponseWriter, r *http.Request, app, token, messageID string) {
	m, err := readMessage(r)
	s.mu.Lock()
	in := s.byToken(app, token)
	if in == nil || messageID != "@original" || in.Deleted {
		s.reject(w, in, http.StatusNotFound, apiError{10008, "Unknown Message"})
		return
	}
	if err != nil {
		s.reject(w, in, http.StatusBadRequest, apiError{codeInvalidFormBody, "Invalid Form Body: " + err.Error()})
		return
	}
	msg := Message{ID: s.id(), ChannelID: in.ChannelID}
	if in.Original != nil {
		msg = *in.Original
	}
	msg.Raw = m.Raw
	if err := msg.decode(m.Raw); err == nil && len(m.Files) > 0 {
		msg.Files = append(msg.Files, m.Files...)
	} else if err != nil {
		s.reject(w, in, http.StatusBadRequest, apiError{codeInvalidFormBody, "Invalid Form Body: " + err.Error()})
		return
	}
	if err := msg.check(); err != nil {
		s.reject(w, in, http.StatusBadRequest, apiError{codeInvalidFormBody, "Invalid Form Body: " + err.Error()})
		return
	}
	in.Original = &msg
	body := s.messageJSON(&msg)
	s.notify()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) deleteOriginal(w http.ResponseWriter, r *http.Request, app, token, messageID string) {
	s.mu.Lock()
	in := s.byToken(app, token)
	if in == nil || messageID != "@original" || in.Deleted {
		s.reject(w, in, http.StatusNotFound, apiError{10008, "Unknown Message"})
		return
	}
	in.Deleted, in.Original = true, nil
	s.notify()
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) followup(w http.ResponseWriter, r *http.Request, app, token string) {
	m, err := readMessage(r)
	if err == nil {
		err = m.check()
	}
	s.mu.Lock()
	in := s.byToken(app, token)
	if in == nil {
		s.reject(w, nil, http.StatusNotFound, apiError{10015, "Unknown Webhook"})
		return
	}
	if err != nil {
		s.reject(w, in, http.StatusBadRequest, apiError{codeInvalidFormBody, "Invalid Form Body: " + err.Error()})
		return
	}
	m.ID, m.ChannelID = s.id(), in.ChannelID
	in.Followups = append(in.Followups, m)
	body := s.messageJSON(&m)
	s.notify()
	s.mu.Unlock()
	if r.URL.Query().Get("wait") != "true" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// checkChoices checks suggestions have the type of the focused option:
// a number for an integer option, a string for a string option.
func checkChoices(payload map[string]any, choices []Choice) error {
	data, _ := payload["data"].(map[string]any)
	opts, _ := data["options"].([]map[string]any)
	typ := 0
	for _, o := range opts {
		if o["focused"] == true {
			typ, _ = o["type"].(int)
		}
	}
	for _, c := range choices {
		if n := len([]rune(c.Name)); n < 1 || n > 100 {
			return fmt.Errorf("choices: names 1-100 characters")
		}
		switch v := c.Value.(type) {
		case float64:
			if typ == 3 || typ == 4 && v != float64(int64(v)) {
				return fmt.Errorf("choices: value %v does not fit option type %d", v, typ)
			}
		case string:
			if typ != 3 || len([]rune(v)) > 100 {
				return fmt.Errorf("choices: value %q does not fit option type %d", v, typ)
			}
		default:
			return fmt.Errorf("choices: value %v of unexpected type", v)
		}
	}
	return nil
}
