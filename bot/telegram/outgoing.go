package telegram

import (
	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// This file is the one place where the adapter builds its messages itself
// instead of through telegram-bot-api's configs. The library (v5.5.1, 2021)
// predates Bot API 7.0: its MessageConfig, PhotoConfig and DocumentConfig
// send reply_to_message_id, allow_sending_without_reply and
// disable_web_page_preview, which left the API in 7.0 (Telegram still
// honours them through a legacy path, for now), and entities /
// caption_entities as JSON null. outgoing sends the current parameters,
// reply_parameters and link_preview_options, through the library's generic
// requests (MakeRequest, UploadFiles), so transport, errors and
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

// params are the request's parameters in the current Bot API.
func (o outgoing) params() (tgbotapi.Params, error) {
	p := tgbotapi.Params{}
	p.AddNonZero64("chat_id", o.chatID)
	if o.method == "sendMessage" {
		p["text"] = o.html
		// Replies quote links users typed; a preview card would bury the answer.
		if err := p.AddInterface("link_preview_options", linkPreviewOptions{IsDisabled: true}); err != nil {
			return nil, err
		}
	} else {
		p.AddNonEmpty("caption", o.html)
	}
	if o.html != "" {
		p["parse_mode"] = tgbotapi.ModeHTML
	}
	if o.replyTo != 0 {
		if err := p.AddInterface("reply_parameters", replyParameters{MessageID: o.replyTo, AllowSendingWithoutReply: true}); err != nil {
			return nil, err
		}
	}
	if o.keyboard != nil {
		if err := p.AddInterface("reply_markup", o.keyboard); err != nil {
			return nil, err
		}
	} else if o.forceReply != nil {
		if err := p.AddInterface("reply_markup", o.forceReply); err != nil {
			return nil, err
		}
	}
	return p, nil
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
func (o outgoing) send(api *tgbotapi.BotAPI) (sent, error) {
	p, err := o.params()
	if err != nil {
		return sent{}, err
	}
	var resp *tgbotapi.APIResponse
	if o.file != nil {
		field := "document"
		if o.method == "sendPhoto" {
			field = "photo"
		}
		resp, err = api.UploadFiles(o.method, p, []tgbotapi.RequestFile{{Name: field, Data: *o.file}})
	} else {
		resp, err = api.MakeRequest(o.method, p)
	}
	if err != nil {
		return sent{}, err
	}
	return decodeSent(resp.Result)
}
