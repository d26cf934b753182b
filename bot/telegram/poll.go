package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// getUpdates is one long poll. It runs outside the outbox: its context is
// the bot's lifetime, so cancelling ctx ends the poll at once.
//
// It makes the library's request (UpdateConfig's parameters, form-encoded
// to the library's endpoint) but reads the answer itself, because the poll
// is the serial phase of every batch: the next batch is fetched only after
// this one is stored, so its decoding is paid once per batch on one core.
// The library's GetUpdates walks the 100 updates of a full batch four
// times (its json.Decoder reads the envelope, copies the result aside,
// then json.Unmarshal checks it and decodes it); decodeResponse walks them
// twice. And the library stops reading at the end of the JSON, before the
// end of a chunked body, so the connection of every full poll was closed
// and dialled anew; the body is read to its end here.
func (b *Bot) getUpdates(ctx context.Context, offset int, timeout time.Duration) ([]tgbotapi.Update, error) {
	form := url.Values{}
	if offset != 0 {
		form.Set("offset", strconv.Itoa(offset))
	}
	form.Set("limit", "100")
	if s := int(timeout / time.Second); s != 0 {
		form.Set("timeout", strconv.Itoa(s))
	}
	form.Set("allowed_updates", allowedUpdatesJSON)
	req, err := http.NewRequest(http.MethodPost, fmt.Sprintf(b.endpoint, b.api.Token, "getUpdates"), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, errors.New("getUpdates: cannot make the request") // its error would quote the URL, token included
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := (&tracked{ctx: ctx, c: b.client}).Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, &netError{method: "getUpdates", err: err, wrote: true}
	}
	return b.decodeResponse(body)
}

// allowedUpdatesJSON is allowedUpdates as the library sends it.
var allowedUpdatesJSON = func() string {
	j, _ := json.Marshal(allowedUpdates)
	return string(j)
}()

// decodeResponse reads a getUpdates answer as the library would: its
// APIResponse, an *tgbotapi.Error when ok is false, else the result
// decoded into the library's Update type.
//
// The common answer (ok, an array of updates that all decode) is decoded
// in one json.Unmarshal. Anything else takes the library's path, with one
// difference: an update that does not decode (a field of a type this
// version of the library does not know) is logged and skipped, keeping
// only its update_id, and the offset moves past it. The library failed
// the whole poll, and the next poll fetched the same update again: the
// bot stood still. A result that is not an array, or an update without a
// readable update_id (the offset could not move past that one alone),
// still fails the poll as a whole.
func (b *Bot) decodeResponse(body []byte) ([]tgbotapi.Update, error) {
	var fast struct {
		Ok     bool              `json:"ok"`
		Result []tgbotapi.Update `json:"result"`
	}
	if json.Unmarshal(body, &fast) == nil && fast.Ok && fast.Result != nil && numbered(fast.Result) {
		return fast.Result, nil
	}
	var resp tgbotapi.APIResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, fmt.Errorf("getUpdates: %w", err)
	}
	if !resp.Ok {
		var params tgbotapi.ResponseParameters
		if resp.Parameters != nil {
			params = *resp.Parameters
		}
		return nil, &tgbotapi.Error{Code: resp.ErrorCode, Message: resp.Description, ResponseParameters: params}
	}
	return b.decodeUpdates(resp.Result)
}

// numbered says every update has an update_id (Telegram counts from 1).
func numbered(ups []tgbotapi.Update) bool {
	for _, u := range ups {
		if u.UpdateID == 0 {
			return false
		}
	}
	return true
}

// decodeUpdates decodes a result one update at a time, skipping (and
// logging) those that do not decode; see decodeResponse.
func (b *Bot) decodeUpdates(raw json.RawMessage) ([]tgbotapi.Update, error) {
	// Cut into elements, each checked when it is decoded below. A result
	// that is not an array (or not JSON) fails the poll; null is no
	// updates, as the library allowed.
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		return nil, fmt.Errorf("getUpdates: the result is not a JSON array: %w", err)
	}
	if elems == nil {
		return nil, nil
	}
	ups := make([]tgbotapi.Update, len(elems))
	for k, e := range elems {
		err := json.Unmarshal(e, &ups[k])
		if err == nil && ups[k].UpdateID != 0 {
			continue
		}
		var id struct {
			UpdateID int `json:"update_id"`
		}
		if json.Unmarshal(e, &id) != nil || id.UpdateID == 0 {
			return nil, fmt.Errorf("getUpdates: update %d of %d has no update_id (%v)", k+1, len(elems), err)
		}
		b.log.Error("an update could not be decoded; skipping it", "update", id.UpdateID, "err", err)
		ups[k] = tgbotapi.Update{UpdateID: id.UpdateID}
	}
	return ups, nil
}
