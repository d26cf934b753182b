package telegram

import (
	"encoding/json"
	"testing"
)

// sentTests are answers to a send; scanSent must read each as
// json.Unmarshal does, or leave it to json.Unmarshal (fallback).
var sentTests = []struct {
	name     string
	raw      string
	fallback bool
}{
	{name: "a reply as Telegram sends it", raw: `{"message_id":812,"from":{"id":42,"is_bot":true,"first_name":"WijkBot","username":"wijkbot"},` +
		`"chat":{"id":-1001234567890,"title":"Bewoners {Noord}","type":"supergroup"},"date":1764500000,` +
		`"reply_to_message":{"message_id":811,"from":{"id":101,"is_bot":false,"first_name":"Anna"},"chat":{"id":-1,"type":"group"},"date":1764499999,"text":"/voortgang \"id\":7 }"},` +
		`"text":"Genoteerd! \\\"message_id\\\":9 {[","entities":[{"type":"bold","offset":0,"length":9}],"link_preview_options":{"is_disabled":true}}`},
	{name: "chat before message_id, spaces", raw: " { \"chat\" : { \"type\" : \"private\" , \"id\" : 101 } ,\n\t\"message_id\" : 3 } "},
	{name: "duplicate keys: the last wins", raw: `{"message_id":1,"chat":{"id":5},"message_id":2,"chat":{"title":"x"}}`},
	{name: "nested arrays and literals", raw: `{"a":[[1,{"b":[true,false,null]}],"]"],"message_id":7,"n":-1.5e3,"chat":{"id":0,"x":{}}}`},
	{name: "no chat", raw: `{"message_id":7}`, fallback: true},
	{name: "no message_id", raw: `{"chat":{"id":7}}`, fallback: true},
	{name: "key in another case", raw: `{"Message_ID":7,"message_id":8,"chat":{"id":1}}`, fallback: true},
	{name: "escaped key", raw: `{"message\u005fid":7,"chat":{"id":1}}`, fallback: true},
	{name: "fractional id", raw: `{"message_id":7.0,"chat":{"id":1}}`, fallback: true},
	{name: "id as text", raw: `{"message_id":"7","chat":{"id":1}}`, fallback: true},
	{name: "null chat", raw: `{"message_id":7,"chat":null}`, fallback: true},
	{name: "too large", raw: `{"message_id":7,"chat":{"id":99999999999999999999}}`, fallback: true},
	{name: "not an object", raw: `[1,2]`, fallback: true},
}

func TestDecodeSent(t *testing.T) {
	for _, tt := range sentTests {
		t.Run(tt.name, func(t *testing.T) {
			if !json.Valid([]byte(tt.raw)) {
				t.Fatalf("test answer is not JSON: %s", tt.raw)
			}
			var want sent
			wantErr := json.Unmarshal([]byte(tt.raw), &want)
			got, err := decodeSent([]byte(tt.raw))
			if got != want || (err == nil) != (wantErr == nil) {
				t.Fatalf("decodeSent = %+v, %v; json.Unmarshal = %+v, %v", got, err, want, wantErr)
			}
			if _, ok := scanSent([]byte(tt.raw)); ok == tt.fallback {
				t.Fatalf("scanSent read it: %v, want %v", ok, !tt.fallback)
			}
		})
	}
}

// FuzzScanSent: whatever valid JSON scanSent reads, it reads as
// json.Unmarshal does.
func FuzzScanSent(f *testing.F) {
	for _, tt := range sentTests {
		f.Add([]byte(tt.raw))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, ok := scanSent(raw)
		if !ok || !json.Valid(raw) {
			return // json.Unmarshal reads it (and refuses what is not JSON)
		}
		var want sent
		if err := json.Unmarshal(raw, &want); err != nil || got != want {
			t.Fatalf("scanSent(%s) = %+v; json.Unmarshal = %+v, %v", raw, got, want, err)
		}
	})
}
