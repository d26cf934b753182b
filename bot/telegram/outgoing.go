package telegram

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// This file is the one place where the adapter builds its messages itself
// instead of through telegram-bot-api's configs. The library (v5.5.1, 2021)
// predates Bot API 7.0: its MessageConfig, PhotoConfig and DocumentConfig
// send reply_to_message_id, allow_sending_without_reply and
// disable_web_page_preview, which left the API in 7.0 (Telegram still
// honours them through a legacy path, for now), and entities /
// caption_entities as JSON null. outgoing sends the current parameters,
// reply_parameters and link_preview_options: a file through the library's
// generic UploadFiles, a message through post, the library's MakeRequest
// with the answer read by the adapter; the transport, the errors and
// ResponseParameters (retry_after, migrate_to_chat_id) stay the library's.
// bot/telegram/telegramtest checks every request against the Bot API
// reference, so a parameter that drifts away fails the tests.

// outgoing is one sendMessage, sendPhoto or sendDocument.
type outgoing struct {
	method  string // "sendMessage", "sendPhoto" or "sendDocument"
	chatID  int64
	html    string // the text (sendMessage) or caption, in HTML; "" for no caption
	replyTo int    // the message answered, 0 for none
	// keyboard, when set, hangs under the message.
	keyboard *tgbotapi.InlineKeyboardMarkup
	// forceReply, when set (and keyboard is not), opens the reply field
	// of the people it names (asks.go).
	forceReply *tgbotapi.ForceReply
	// file is the photo or document to upload.
	file *tgbotapi.FileBytes
}

// replyParameters is the Bot API's ReplyParameters (7.0): the message to
// reply to; the reply goes out as a plain message if that one is gone.
type replyParameters struct {
	MessageID                int  `json:"message_id"`
	AllowSendingWithoutReply bool `json:"allow_sending_without_reply,omitempty"`
}

// linkPreviewOptions is the Bot API's LinkPreviewOptions (7.0).
type linkPreviewOptions struct {
	IsDisabled bool `json:"is_disabled,omitempty"`
}

// field is one of a request's parameters, its value as sent.
type field struct{ key, value string }

// noPreview is linkPreviewOptions{IsDisabled: true} in JSON: every
// message carries it.
const noPreview = `{"is_disabled":true}`

// fields are the request's parameters in the current Bot API. The two
// objects every reply carries are written here as json.Marshal would
// write them (TestFieldsJSON); a keyboard or a forced reply goes through
// json.Marshal.
func (o outgoing) fields() ([]field, error) {
	fs := make([]field, 0, 6)
	if o.chatID != 0 {
		fs = append(fs, field{"chat_id", strconv.FormatInt(o.chatID, 10)})
	}
	if o.method == "sendMessage" {
		// Replies quote links users typed; a preview card would bury the answer.
		fs = append(fs, field{"text", o.html}, field{"link_preview_options", noPreview})
	} else if o.html != "" {
		fs = append(fs, field{"caption", o.html})
	}
	if o.html != "" {
		fs = append(fs, field{"parse_mode", tgbotapi.ModeHTML})
	}
	if o.replyTo != 0 {
		fs = append(fs, field{"reply_parameters", replyJSON(o.replyTo)})
	}
	var markup any
	switch {
	case o.keyboard != nil:
		markup = o.keyboard
	case o.forceReply != nil:
		markup = o.forceReply
	}
	if markup != nil {
		b, err := json.Marshal(markup)
		if err != nil {
			return nil, err
		}
		fs = append(fs, field{"reply_markup", string(b)})
	}
	return fs, nil
}

// replyJSON is replyParameters{MessageID: id, AllowSendingWithoutReply:
// true} in JSON.
func replyJSON(id int) string {
	return `{"message_id":` + strconv.Itoa(id) + `,"allow_sending_without_reply":true}`
}

// params are the request's parameters as the library's uploads take them.
func (o outgoing) params() (tgbotapi.Params, error) {
	fs, err := o.fields()
	if err != nil {
		return nil, err
	}
	p := make(tgbotapi.Params, len(fs))
	for _, f := range fs {
		p[f.key] = f.value
	}
	return p, nil
}

// formBody is fs form-encoded (application/x-www-form-urlencoded), in
// their order, as url.Values.Encode would encode them (which also sorts
// them), written into one buffer: through url.Values a reply took a map,
// a slice per parameter, a sorted copy of the keys and an escaped copy of
// each value.
func formBody(fs []field) string {
	n := 0
	for _, f := range fs {
		n += len(f.key) + len(f.value) + 2
	}
	var b strings.Builder
	b.Grow(n + n/2)
	for i, f := range fs {
		if i > 0 {
			b.WriteByte('&')
		}
		queryEscape(&b, f.key)
		b.WriteByte('=')
		queryEscape(&b, f.value)
	}
	return b.String()
}

// queryEscape writes s as url.QueryEscape escapes it: letters, digits
// and -_.~ as they are, a space as +, every other byte as %XX.
func queryEscape(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
}

// sent is what the adapter reads of the message Telegram answers with:
// its id (a reply's first message, the anchor of a question) and the chat
// it landed in (a group may have become a supergroup on the way). Decoding
// the whole tgbotapi.Message (sender, chat, entities, the replied-to
// message again) cost a quarter of sending a reply.
type sent struct {
	MessageID int `json:"message_id"`
	Chat      struct {
		ID int64 `json:"id"`
	} `json:"chat"`
}

// send makes the request and decodes the message Telegram answers with.
// endpoint is the library's endpoint format (Bot.endpoint).
func (o outgoing) send(api *tgbotapi.BotAPI, endpoint string) (sent, error) {
	if o.file == nil {
		fs, err := o.fields()
		if err != nil {
			return sent{}, err
		}
		return post(api, endpoint, o.method, fs)
	}
	p, err := o.params()
	if err != nil {
		return sent{}, err
	}
	field := "document"
	if o.method == "sendPhoto" {
		field = "photo"
	}
	resp, err := api.UploadFiles(o.method, p, []tgbotapi.RequestFile{{Name: field, Data: *o.file}})
	if err != nil {
		return sent{}, err
	}
	var s sent
	err = json.Unmarshal(resp.Result, &s)
	return s, err
}

// post is the library's MakeRequest for a message without a file: the
// same form-encoded request through api.Client (the call's tracked
// client, so deadlines and "was it sent" stay deliver.go's), and the
// same *tgbotapi.Error when Telegram answers ok false. It reads the
// answer itself, as getUpdates does (poll.go): MakeRequest reads it
// through a json.Decoder, which walks the message to find its end and
// again to decode it into a copy of the result, which was then read a
// third time for sent; here one json.Unmarshal walks it twice and decodes
// the two numbers sent has on the way. Sending a reply is the bot's most
// frequent call: that decoding was about 40 % of the adapter's CPU for a
// reply (BenchmarkSendReply).
func post(api *tgbotapi.BotAPI, endpoint, method string, fs []field) (sent, error) {
	req, err := http.NewRequest(http.MethodPost, fmt.Sprintf(endpoint, api.Token, method), strings.NewReader(formBody(fs)))
	if err != nil {
		return sent{}, fmt.Errorf("%s: cannot make the request", method) // its error would quote the URL, token included
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := api.Client.Do(req)
	if err != nil {
		return sent{}, err
	}
	defer resp.Body.Close()
	body, err := readBody(resp)
	if err != nil {
		return sent{}, &netError{method: method, err: err, wrote: true}
	}
	return readAnswer(method, body)
}

// readAnswer reads the answer to a send: the sent message's two numbers,
// or the *tgbotapi.Error of an answer with ok false. scanAnswer reads the
// common answer; anything else is json.Unmarshal's (unmarshalAnswer).
func readAnswer(method string, body []byte) (sent, error) {
	if s, ok := scanAnswer(body); ok {
		return s, nil
	}
	return unmarshalAnswer(method, body)
}

// unmarshalAnswer reads the answer to a send as the library would.
func unmarshalAnswer(method string, body []byte) (sent, error) {
	var ans struct {
		Ok          bool                         `json:"ok"`
		Result      *sent                        `json:"result"`
		ErrorCode   int                          `json:"error_code"`
		Description string                       `json:"description"`
		Parameters  *tgbotapi.ResponseParameters `json:"parameters"`
	}
	if err := json.Unmarshal(body, &ans); err != nil {
		return sent{}, err
	}
	if !ans.Ok {
		var params tgbotapi.ResponseParameters
		if ans.Parameters != nil {
			params = *ans.Parameters
		}
		return sent{}, &tgbotapi.Error{Code: ans.ErrorCode, Message: ans.Description, ResponseParameters: params}
	}
	if ans.Result == nil {
		return sent{}, fmt.Errorf("%s: the answer has no message", method)
	}
	return *ans.Result, nil
}

// maxSized is the longest answer readBody reads into a buffer of its
// announced length; a longer or unannounced one is read as it comes.
const maxSized = 1 << 20

// readBody reads an answer to its end (so its connection is kept) into
// one buffer of the length the server announced, where io.ReadAll would
// start small and grow by copying.
func readBody(resp *http.Response) ([]byte, error) {
	n := resp.ContentLength
	if n <= 0 || n > maxSized {
		return io.ReadAll(resp.Body)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(resp.Body, body); err != nil {
		return nil, err
	}
	// Normally at its end already; anything past the announced length
	// is not part of the answer.
	_, err := io.Copy(io.Discard, resp.Body)
	return body, err
}
