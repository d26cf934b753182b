package telegram

import (
	"encoding/json"
	"errors"
	"log/slog"
	"reflect"
	"strconv"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// TestDecodeUpdatesRefusesMalformedBatches: a result that is not a JSON
// array, or an element without a readable update_id, fails the whole
// poll; null is no updates.
func TestDecodeUpdatesRefusesMalformedBatches(t *testing.T) {
	b := &Bot{log: slog.New(slog.DiscardHandler)}
	if got, err := b.decodeUpdates([]byte(" null ")); got != nil || err != nil {
		t.Fatalf("null: %v, %v", got, err)
	}
	for _, in := range []string{``, `{}`, `1`, `[`, `[1`, `[1,]`, `[,1]`, `[1]x`, `["a]`, `[}]`, `nul`,
		`[1 2]`, `[{"update_id":1} {"update_id":2}]`, `[{"update_id":1},2]`} {
		if got, err := b.decodeUpdates([]byte(in)); err == nil {
			t.Errorf("decodeUpdates(%q) = %+v, want an error", in, got)
		}
	}
}

// TestDecodeMatchesTheLibrary: both ways of decoding a batch (the whole
// answer at once, and one update at a time) give what the library's
// GetUpdates gives (json.Unmarshal of the result into []Update), in order,
// unknown fields ignored.
func TestDecodeMatchesTheLibrary(t *testing.T) {
	var raw []byte
	raw = append(raw, '[')
	for i := range 30 {
		if i > 0 {
			raw = append(raw, ',')
		}
		raw = append(raw, []byte(`{"update_id":`+strconv.Itoa(100+i)+`,"message":{"message_id":`+strconv.Itoa(i)+
			`,"date":1,"chat":{"id":-`+strconv.Itoa(i)+`,"type":"group","title":"G"},"from":{"id":7,"is_bot":false,"first_name":"A"},"text":"/hulp `+strconv.Itoa(i)+`","nieuw_veld":{"x":[1]}}}`)...)
	}
	raw = append(raw, ']')
	var want []tgbotapi.Update
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	b := &Bot{log: slog.New(slog.DiscardHandler)}
	got, err := b.decodeUpdates(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("decodeUpdates differs from json.Unmarshal:\n%+v\n%+v", got, want)
	}
	got, err = b.decodeResponse(append(append([]byte(`{"ok":true,"result":`), raw...), "}\n"...))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("decodeResponse differs from json.Unmarshal:\n%+v\n%+v", got, want)
	}
}

// TestDecodeResponseErrors: an answer with ok false is the library's
// *tgbotapi.Error, with its code, description and parameters.
func TestDecodeResponseErrors(t *testing.T) {
	b := &Bot{log: slog.New(slog.DiscardHandler)}
	_, err := b.decodeResponse([]byte(`{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}`))
	var apiErr *tgbotapi.Error
	if !errors.As(err, &apiErr) || apiErr.Code != 429 || apiErr.RetryAfter != 3 || apiErr.Message != "Too Many Requests: retry after 3" {
		t.Fatalf("err=%#v, want the library's Error with code 429 and retry_after 3", err)
	}
	if ups, err := b.decodeResponse([]byte(`{"ok":true,"result":[]}`)); err != nil || len(ups) != 0 {
		t.Fatalf("empty batch: %v, %v", ups, err)
	}
	if ups, err := b.decodeResponse([]byte(`{"ok":true,"result":null}`)); err != nil || ups != nil {
		t.Fatalf("null batch: %v, %v", ups, err)
	}
}
