package telegram

import (
	"encoding/json"
	"testing"
)

// messageTests are sent messages as the result of an answer; scanAnswer
// must read each as json.Unmarshal does, or leave it to json.Unmarshal
// (fallback).
var messageTests = []struct {
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

// answerTests are whole answers around a good message.
var answerTests = []struct {
	name     string
	raw      string
	fallback bool
}{
	{name: "as Telegram sends it", raw: `{"ok":true,"result":{"message_id":5,"chat":{"id":-7}}}`},
	{name: "result first, spaces", raw: " {\n \"result\" : {\"chat\":{\"id\":1},\"message_id\":2} , \"ok\" : true }\n"},
	{name: "other keys", raw: `{"ok":true,"description":"x}","result":{"message_id":5,"chat":{"id":1}},"x":[{}]}`},
	{name: "ok twice, the last false", raw: `{"ok":true,"ok":false,"error_code":400,"description":"Bad Request","result":{"message_id":5,"chat":{"id":1}}}`, fallback: true},
	{name: "an error", raw: `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}`, fallback: true},
	{name: "ok as text", raw: `{"ok":"true","result":{"message_id":5,"chat":{"id":1}}}`, fallback: true},
	{name: "ok in another case", raw: `{"OK":true,"result":{"message_id":5,"chat":{"id":1}}}`, fallback: true},
	{name: "result in another case", raw: `{"ok":true,"Result":{"message_id":5,"chat":{"id":1}}}`, fallback: true},
	{name: "no result", raw: `{"ok":true}`, fallback: true},
	{name: "null result", raw: `{"ok":true,"result":null}`, fallback: true},
	{name: "result twice, merged", raw: `{"ok":true,"result":{"message_id":5,"chat":{"id":1}},"result":{"message_id":6}}`, fallback: true},
}

// allAnswers are the answers of both tables, the messages wrapped.
func allAnswers() (raws []string, fallbacks []bool, names []string) {
	for _, tt := range messageTests {
		raws = append(raws, `{"ok":true,"result":`+tt.raw+`}`)
		fallbacks, names = append(fallbacks, tt.fallback), append(names, "message: "+tt.name)
	}
	for _, tt := range answerTests {
		raws, fallbacks, names = append(raws, tt.raw), append(fallbacks, tt.fallback), append(names, tt.name)
	}
	return raws, fallbacks, names
}

// TestScanAnswer: readAnswer reads every answer as json.Unmarshal does
// (unmarshalAnswer), and scanAnswer reads the common ones itself.
func TestScanAnswer(t *testing.T) {
	raws, fallbacks, names := allAnswers()
	for i, raw := range raws {
		t.Run(names[i], func(t *testing.T) {
			if !json.Valid([]byte(raw)) {
				t.Fatalf("test answer is not JSON: %s", raw)
			}
			want, wantErr := unmarshalAnswer("sendMessage", []byte(raw))
			got, err := readAnswer("sendMessage", []byte(raw))
			if got != want || (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
				t.Fatalf("readAnswer = %+v, %v; json.Unmarshal = %+v, %v", got, err, want, wantErr)
			}
			if _, ok := scanAnswer([]byte(raw)); ok == fallbacks[i] {
				t.Fatalf("scanAnswer read it: %v, want %v", ok, !fallbacks[i])
			}
		})
	}
}

// FuzzScanAnswer: whatever valid JSON scanAnswer reads, it reads as
// json.Unmarshal does (go test ./bot/telegram -fuzz FuzzScanAnswer).
func FuzzScanAnswer(f *testing.F) {
	raws, _, _ := allAnswers()
	for _, raw := range raws {
		f.Add([]byte(raw))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, ok := scanAnswer(raw)
		if !ok || !json.Valid(raw) {
			return // json.Unmarshal reads it (and refuses what is not JSON)
		}
		want, err := unmarshalAnswer("sendMessage", raw)
		if err != nil || got != want {
			t.Fatalf("scanAnswer(%s) = %+v; json.Unmarshal = %+v, %v", raw, got, want, err)
		}
	})
}
