package telegramtest

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// apiError is an {"ok":false} answer.
type apiError struct {
	code        int
	description string
	params      *wireResponseParameters
}

func badRequest(format string, args ...any) *apiError {
	return &apiError{code: http.StatusBadRequest, description: "Bad Request: " + fmt.Sprintf(format, args...)}
}

// request is one API call's parameters, however they were sent.
type request struct {
	method string
	params map[string]string
	files  map[string]File
}

func (r *request) int64(name string) (int64, *apiError) {
	v, ok := r.params[name]
	if !ok || v == "" {
		return 0, badRequest("%s is empty", name)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, badRequest("invalid %s specified", name)
	}
	return n, nil
}

func (r *request) optInt(name string) int {
	n, _ := strconv.Atoi(r.params[name])
	return n
}

func (s *Server) serve(w http.ResponseWriter, hr *http.Request) {
	// Paths are /bot<token>/<method>; method names are case-insensitive.
	rest, ok := strings.CutPrefix(hr.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		writeJSON(w, http.StatusNotFound, wireResponse{ErrorCode: 404, Description: "Not Found"})
		return
	}
	if token != s.Token {
		writeJSON(w, http.StatusUnauthorized, wireResponse{ErrorCode: 401, Description: "Unauthorized"})
		return
	}
	req, err := readRequest(hr)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, wireResponse{ErrorCode: 400, Description: "Bad Request: " + err.Error()})
		return
	}
	req.method = canonical(method)
	s.check(req)

	s.mu.Lock()
	var stall time.Duration
	if fs := s.failures[req.method]; len(fs) > 0 {
		f := fs[0]
		s.failures[req.method] = fs[1:]
		if f.Stall == 0 {
			s.calls = append(s.calls, Call{Method: req.method, Params: req.params, Status: f.Status})
			s.notify()
			s.mu.Unlock()
			writeFailure(w, f)
			return
		}
		stall = f.Stall
	}
	s.mu.Unlock()

	var result any
	var aerr *apiError
	if req.method == "getUpdates" {
		result, aerr = s.getUpdates(hr, req)
		if result == nil && aerr == nil {
			return // the client went away
		}
	} else {
		s.mu.Lock()
		result, aerr = s.do(req)
		s.mu.Unlock()
	}
	status := http.StatusOK
	if aerr != nil {
		status = aerr.code
	}
	s.mu.Lock()
	s.calls = append(s.calls, Call{Method: req.method, Params: req.params, Status: status})
	s.notify()
	s.mu.Unlock()
	if stall > 0 {
		t := time.NewTimer(stall)
		select {
		case <-t.C:
		case <-hr.Context().Done():
		}
		t.Stop()
	}
	if aerr != nil {
		writeJSON(w, aerr.code, wireResponse{ErrorCode: aerr.code, Description: aerr.description, Parameters: aerr.params})
		return
	}
	writeJSON(w, http.StatusOK, wireResponse{OK: true, Result: result})
}

var methods = []string{"getMe", "getUpdates", "sendMessage", "sendPhoto", "sendDocument",
	"sendChatAction", "answerCallbackQuery", "setMyCommands", "deleteMyCommands", "getChatMember"}

func canonical(method string) string {
	for _, m := range methods {
		if strings.EqualFold(m, method) {
			return m
		}
	}
	return method
}

func writeJSON(w http.ResponseWriter, status int, v wireResponse) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeFailure(w http.ResponseWriter, f Failure) {
	if f.HTML {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.Status)
		fmt.Fprintf(w, "<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n",
			f.Status, http.StatusText(f.Status), f.Status, http.StatusText(f.Status))
		return
	}
	if f.Body != "" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(f.Status)
		io.WriteString(w, f.Body)
		return
	}
	resp := wireResponse{ErrorCode: f.Status, Description: f.Description}
	if f.RetryAfter > 0 {
		resp.Parameters = &wireResponseParameters{RetryAfter: f.RetryAfter}
	}
	writeJSON(w, f.Status, resp)
}

// readRequest reads parameters from the query string and a urlencoded,
// multipart or JSON body, as the Bot API accepts all of them.
func readRequest(hr *http.Request) (*request, error) {
	req := &request{params: map[string]string{}, files: map[string]File{}}
	mt, _, _ := mime.ParseMediaType(hr.Header.Get("Content-Type"))
	switch mt {
	case "multipart/form-data":
		if err := hr.ParseMultipartForm(64 << 20); err != nil {
			return nil, err
		}
		for k, v := range hr.MultipartForm.Value {
			req.params[k] = v[0]
		}
		for field, fhs := range hr.MultipartForm.File {
			f, err := fhs[0].Open()
			if err != nil {
				return nil, err
			}
			data, err := io.ReadAll(f)
			f.Close()
			if err != nil {
				return nil, err
			}
			req.files[field] = File{Field: field, Name: fhs[0].Filename, Data: data}
		}
	case "application/json":
		var m map[string]any
		if err := json.NewDecoder(hr.Body).Decode(&m); err != nil {
			return nil, err
		}
		for k, v := range m {
			if s, ok := v.(string); ok {
				req.params[k] = s
				continue
			}
			b, _ := json.Marshal(v)
			req.params[k] = string(b)
		}
	default:
		if err := hr.ParseForm(); err != nil {
			return nil, err
		}
	}
	for k, v := range hr.Form {
		if _, ok := req.params[k]; !ok {
			req.params[k] = v[0]
		}
	}
	for k, v := range hr.URL.Query() {
		if _, ok := req.params[k]; !ok {
			req.params[k] = v[0]
		}
	}
	return req, nil
}

// getUpdates confirms the updates before offset, then answers the pending
// ones at once or waits up to timeout seconds for one to be pushed. A newer
// getUpdates ends a waiting one with 409, as only one poller may run.
func (s *Server) getUpdates(hr *http.Request, req *request) (any, *apiError) {
	offset := req.optInt("offset")
	limit := req.optInt("limit")
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout := time.Duration(req.optInt("timeout")) * time.Second
	if raw := req.params["allowed_updates"]; raw != "" && raw != "null" {
		var kinds []string
		if err := json.Unmarshal([]byte(raw), &kinds); err != nil {
			return nil, badRequest("can't parse allowed_updates JSON array")
		}
	}
	s.mu.Lock()
	if s.holdFrom > 0 && offset >= s.holdFrom { // HoldPolls
		s.held++
		s.notify()
		for s.holdFrom > 0 && offset >= s.holdFrom {
			ch := s.changed
			s.mu.Unlock()
			gone := false
			select {
			case <-ch:
			case <-hr.Context().Done():
				gone = true
			}
			s.mu.Lock()
			if gone {
				s.held--
				s.notify()
				s.mu.Unlock()
				return nil, nil // the client went away: nothing confirmed
			}
		}
		s.held--
		s.notify()
	}
	if s.poller != nil {
		close(s.poller)
	}
	mine := make(chan struct{})
	s.poller = mine
	if offset > 0 {
		keep := s.pending[:0]
		for _, u := range s.pending {
			if u.UpdateID >= offset {
				keep = append(keep, u)
			}
		}
		s.pending = keep
		if offset > s.confirmed {
			s.confirmed = offset
		}
		s.notify()
	}
	deadline := time.Now().Add(timeout)
	for {
		if len(s.pending) > 0 || time.Now().After(deadline) || timeout == 0 {
			n := min(limit, len(s.pending))
			out := append(make([]wireUpdate, 0, n), s.pending[:n]...)
			if s.poller == mine {
				s.poller = nil
			}
			s.mu.Unlock()
			return out, nil
		}
		ch := s.changed
		s.mu.Unlock()
		timer := time.NewTimer(time.Until(deadline))
		select {
		case <-ch:
		case <-timer.C:
		case <-mine:
			timer.Stop()
			return nil, &apiError{code: http.StatusConflict, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
		case <-hr.Context().Done():
			timer.Stop()
			s.mu.Lock()
			if s.poller == mine {
				s.poller = nil
			}
			s.mu.Unlock()
			return nil, nil
		}
		timer.Stop()
		s.mu.Lock()
	}
}

// do runs every method but getUpdates; s.mu is held.
func (s *Server) do(req *request) (any, *apiError) {
	switch req.method {
	case "getMe":
		u := wireUserOf(s.Bot)
		u.CanJoinGroups = true
		return u, nil
	case "sendMessage":
		return s.sendMessage(req)
	case "sendPhoto", "sendDocument":
		return s.sendFile(req)
	case "sendChatAction":
		return s.sendChatAction(req)
	case "answerCallbackQuery":
		return s.answerCallbackQuery(req)
	case "setMyCommands":
		return s.setMyCommands(req)
	case "deleteMyCommands":
		scope, aerr := readScope(req)
		if aerr != nil {
			return nil, aerr
		}
		delete(s.menus, menuKey(scope, req.params["language_code"]))
		return true, nil
	case "getChatMember":
		return s.getChatMember(req)
	}
	return nil, &apiError{code: http.StatusNotFound, description: "Not Found"}
}

// target checks that the bot may write in the chat.
func (s *Server) target(req *request) (int64, *apiError) {
	id, aerr := req.int64("chat_id")
	if aerr != nil {
		return 0, aerr
	}
	if to, ok := s.migrated[id]; ok {
		return 0, &apiError{code: 400, description: "Bad Request: group chat was upgraded to a supergroup chat",
			params: &wireResponseParameters{MigrateToChatID: to}}
	}
	c, ok := s.chats[id]
	if !ok {
		if _, person := s.users[id]; person {
			// A person's private chat that they never opened: a bot may
			// not write first.
			return 0, &apiError{code: 403, description: "Forbidden: bot can't initiate conversation with a user"}
		}
		return 0, badRequest("chat not found")
	}
	if s.kicked[id] {
		if c.Type == "private" {
			return 0, &apiError{code: 403, description: "Forbidden: bot was blocked by the user"}
		}
		return 0, &apiError{code: 403, description: "Forbidden: bot was kicked from the group chat"}
	}
	return id, nil
}

// shown parses text in the request's parse mode into what users see.
func shown(text, mode string) (string, *apiError) {
	switch mode {
	case "":
		return text, nil
	case "HTML", "html":
		out, err := parseHTML(text)
		if err != nil {
			return "", badRequest("%s", err.Error())
		}
		return out, nil
	}
	return "", badRequest("unsupported parse_mode")
}

// common reads what sendMessage, sendPhoto and sendDocument share.
func (s *Server) common(req *request, chatID int64) (replyTo int, buttons [][]Button, kb *wireKeyboard, force *ForceReply, aerr *apiError) {
	// reply_parameters since Bot API 7.0; the parameters it replaced are
	// still honoured (and reported by the contract check).
	replyTo, allowWithout := req.optInt("reply_to_message_id"), req.params["allow_sending_without_reply"] == "true"
	if raw := req.params["reply_parameters"]; raw != "" {
		var rp struct {
			MessageID                int  `json:"message_id"`
			AllowSendingWithoutReply bool `json:"allow_sending_without_reply"`
		}
		if err := json.Unmarshal([]byte(raw), &rp); err != nil {
			return 0, nil, nil, nil, badRequest("can't parse reply parameters JSON object")
		}
		replyTo, allowWithout = rp.MessageID, rp.AllowSendingWithoutReply
	}
	if replyTo != 0 {
		if _, ok := s.msgs[chatID][replyTo]; !ok {
			if !allowWithout {
				return 0, nil, nil, nil, badRequest("message to be replied not found")
			}
			replyTo = 0
		}
	}
	if raw := req.params["reply_markup"]; raw != "" && raw != "null" {
		var mk wireMarkup
		if err := json.Unmarshal([]byte(raw), &mk); err != nil {
			return 0, nil, nil, nil, badRequest("can't parse reply keyboard markup JSON object")
		}
		if mk.ForceReply {
			if mk.InlineKeyboard != nil {
				return 0, nil, nil, nil, badRequest("can't parse reply keyboard markup JSON object")
			}
			force = &ForceReply{Placeholder: mk.InputFieldPlaceholder, Selective: mk.Selective}
			return replyTo, nil, nil, force, nil
		}
		kb = &wireKeyboard{InlineKeyboard: mk.InlineKeyboard}
		for _, row := range kb.InlineKeyboard {
			var r []Button
			for _, b := range row {
				if b.Text == "" {
					return 0, nil, nil, nil, badRequest("text buttons are unallowed in the inline keyboard")
				}
				if b.URL == "" && (len(b.CallbackData) == 0 || len(b.CallbackData) > 64) {
					return 0, nil, nil, nil, badRequest("BUTTON_DATA_INVALID")
				}
				r = append(r, Button{Text: b.Text, Data: b.CallbackData})
			}
			buttons = append(buttons, r)
		}
	}
	return replyTo, buttons, kb, nil, nil
}

func (s *Server) sendMessage(req *request) (any, *apiError) {
	chatID, aerr := s.target(req)
	if aerr != nil {
		return nil, aerr
	}
	text := req.params["text"]
	out, aerr := shown(text, req.params["parse_mode"])
	if aerr != nil {
		return nil, aerr
	}
	out = strings.TrimSpace(out)
	if out == "" {
		return nil, badRequest("message text is empty")
	}
	if utf16Len(out) > 4096 {
		return nil, badRequest("message is too long")
	}
	replyTo, buttons, kb, force, aerr := s.common(req, chatID)
	if aerr != nil {
		return nil, aerr
	}
	if force != nil {
		force.For = s.mentioned(text, req.params["parse_mode"], out)
	}
	m := s.newMessage(s.chats[chatID], wireUserOf(s.Bot))
	m.Text, m.ReplyMarkup = out, kb
	if replyTo != 0 {
		cp := *s.msgs[chatID][replyTo]
		cp.ReplyToMessage = nil
		m.ReplyToMessage = &cp
	}
	s.sent = append(s.sent, Sent{Method: req.method, ChatID: chatID, MessageID: m.MessageID, Raw: text,
		ParseMode: req.params["parse_mode"], Shown: out, ReplyTo: replyTo, Buttons: buttons, ForceReply: force})
	return m, nil
}

var (
	textMentionRE = regexp.MustCompile(`<a\s+href="tg://user\?id=([0-9]+)"`)
	usernameRE    = regexp.MustCompile(`@([A-Za-z0-9_]{5,32})`)
)

// mentioned lists the users a message mentions: text_mention links (HTML
// parse mode) and @usernames of users the server knows.
func (s *Server) mentioned(raw, mode, shown string) []int64 {
	var ids []int64
	if strings.EqualFold(mode, "HTML") {
		for _, m := range textMentionRE.FindAllStringSubmatch(raw, -1) {
			if id, err := strconv.ParseInt(m[1], 10, 64); err == nil {
				ids = append(ids, id)
			}
		}
	}
	for _, m := range usernameRE.FindAllStringSubmatch(shown, -1) {
		for _, u := range s.users {
			if u.Username != "" && strings.EqualFold(u.Username, m[1]) {
				ids = append(ids, u.ID)
			}
		}
	}
	return ids
}

func (s *Server) sendFile(req *request) (any, *apiError) {
	chatID, aerr := s.target(req)
	if aerr != nil {
		return nil, aerr
	}
	field := "photo"
	if req.method == "sendDocument" {
		field = "document"
	}
	f, ok := req.files[field]
	if !ok {
		v := req.params[field]
		if v == "" {
			return nil, badRequest("there is no %s in the request", field)
		}
		f = File{Field: field, Name: v} // a file_id or URL
	}
	if field == "photo" && ok && len(f.Data) == 0 {
		return nil, badRequest("IMAGE_PROCESS_FAILED")
	}
	caption := req.params["caption"]
	out, aerr := shown(caption, req.params["parse_mode"])
	if aerr != nil {
		return nil, aerr
	}
	out = strings.TrimSpace(out)
	if utf16Len(out) > 1024 {
		return nil, badRequest("message caption is too long")
	}
	replyTo, buttons, kb, force, aerr := s.common(req, chatID)
	if aerr != nil {
		return nil, aerr
	}
	if force != nil {
		force.For = s.mentioned(caption, req.params["parse_mode"], out)
	}
	m := s.newMessage(s.chats[chatID], wireUserOf(s.Bot))
	m.Caption, m.ReplyMarkup = out, kb
	fileID := fmt.Sprintf("file-%d-%d", chatID, m.MessageID)
	if field == "photo" {
		m.Photo = []wirePhotoSize{{FileID: fileID, FileUniqueID: fileID, Width: 800, Height: 600, FileSize: len(f.Data)}}
	} else {
		m.Document = &wireDocument{FileID: fileID, FileUniqueID: fileID, FileName: f.Name, FileSize: len(f.Data)}
	}
	s.sent = append(s.sent, Sent{Method: req.method, ChatID: chatID, MessageID: m.MessageID, Raw: caption,
		ParseMode: req.params["parse_mode"], Shown: out, ReplyTo: replyTo, Buttons: buttons, File: &f, ForceReply: force})
	return m, nil
}

var chatActions = map[string]bool{"typing": true, "upload_photo": true, "record_video": true,
	"upload_video": true, "record_voice": true, "upload_voice": true, "upload_document": true,
	"choose_sticker": true, "find_location": true, "record_video_note": true, "upload_video_note": true}

func (s *Server) sendChatAction(req *request) (any, *apiError) {
	chatID, aerr := s.target(req)
	if aerr != nil {
		return nil, aerr
	}
	action := req.params["action"]
	if !chatActions[action] {
		return nil, badRequest("wrong parameter action in request")
	}
	s.actions[chatID] = append(s.actions[chatID], action)
	return true, nil
}

func (s *Server) answerCallbackQuery(req *request) (any, *apiError) {
	id := req.params["callback_query_id"]
	answered, ok := s.queries[id]
	if !ok || answered {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	text := req.params["text"]
	if len([]rune(text)) > 200 {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	s.queries[id] = true
	s.answers = append(s.answers, Answer{QueryID: id, Text: text, ShowAlert: req.params["show_alert"] == "true"})
	return true, nil
}

var commandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

func readScope(req *request) (Scope, *apiError) {
	scope := Scope{Type: "default"}
	if raw := req.params["scope"]; raw != "" && raw != "null" {
		var ws wireScope
		if err := json.Unmarshal([]byte(raw), &ws); err != nil || ws.Type == "" {
			return scope, badRequest("can't parse BotCommandScope")
		}
		switch ws.Type {
		case "default", "all_private_chats", "all_group_chats", "all_chat_administrators":
		case "chat", "chat_administrators", "chat_member":
			if ws.ChatID == 0 {
				return scope, badRequest("chat not found")
			}
		default:
			return scope, badRequest("wrong BotCommandScope type specified")
		}
		scope = Scope{Type: ws.Type, ChatID: ws.ChatID}
	}
	return scope, nil
}

func (s *Server) setMyCommands(req *request) (any, *apiError) {
	var list []wireBotCommand
	if err := json.Unmarshal([]byte(req.params["commands"]), &list); err != nil {
		return nil, badRequest("can't parse commands JSON array")
	}
	if len(list) > 100 {
		return nil, badRequest("too many commands specified")
	}
	var cmds []Command
	for _, c := range list {
		if !commandName.MatchString(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := len([]rune(c.Description)); n < 1 || n > 256 {
			return nil, badRequest("command description must be 1-256 characters")
		}
		cmds = append(cmds, Command(c))
	}
	scope, aerr := readScope(req)
	if aerr != nil {
		return nil, aerr
	}
	if lc := req.params["language_code"]; lc != "" && len(lc) != 2 {
		return nil, badRequest("invalid language code specified")
	}
	s.menus[menuKey(scope, req.params["language_code"])] = cmds
	return true, nil
}

func (s *Server) getChatMember(req *request) (any, *apiError) {
	chatID, aerr := req.int64("chat_id")
	if aerr != nil {
		return nil, aerr
	}
	if _, ok := s.chats[chatID]; !ok {
		return nil, badRequest("chat not found")
	}
	userID, aerr := req.int64("user_id")
	if aerr != nil {
		return nil, aerr
	}
	u, ok := s.users[userID]
	if !ok {
		return nil, badRequest("user not found")
	}
	status := s.members[[2]int64{chatID, userID}]
	if status == "" {
		status = "member"
	}
	return wireChatMember{User: *wireUserOf(u), Status: status}, nil
}
