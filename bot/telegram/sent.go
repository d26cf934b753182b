package telegram

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// The keys scanSent reads, for comparing regardless of case.
var (
	messageIDKey = []byte("message_id")
	chatKey      = []byte("chat")
	idKey        = []byte("id")
)

// decodeSent reads the message_id and chat.id of the message Telegram
// answers a send with. The answer is the whole message: sender, chat,
// text and entities, and the replied-to message again with its own
// message_id and chat. json.Unmarshal checks all of it, then decodes it,
// skipping what sent does not have: about a sixth of the CPU of sending a
// reply (wijkbench's throughput run, where the echo bot it is compared
// with reads nothing of the answer). scanSent walks it once instead and
// reads only those two numbers.
//
// The library has decoded the response around it already, so raw is
// valid JSON; whatever scanSent does not read exactly as json.Unmarshal
// would (an escaped or differently cased key, a number that is not a
// plain integer, a missing field) goes to json.Unmarshal.
func decodeSent(raw []byte) (sent, error) {
	if s, ok := scanSent(raw); ok {
		return s, nil
	}
	var s sent
	err := json.Unmarshal(raw, &s)
	return s, err
}

// scanSent reads sent from an object; ok false leaves it to json.Unmarshal.
func scanSent(b []byte) (s sent, ok bool) {
	var haveID, haveChat bool
	i, ok := scanObject(b, skipSpace(b, 0), func(key []byte, i int) (int, bool) {
		switch string(key) {
		case "message_id":
			haveID = true
			id, j, ok := scanInt(b, i, strconv.IntSize)
			s.MessageID = int(id)
			return j, ok
		case "chat":
			haveChat = true
			return scanObject(b, i, func(key []byte, i int) (int, bool) {
				if string(key) == "id" {
					id, j, ok := scanInt(b, i, 64)
					s.Chat.ID = id
					return j, ok
				}
				return skipValue(b, i)
			})
		}
		return skipValue(b, i)
	})
	if !ok || skipSpace(b, i) != len(b) || !haveID || !haveChat {
		return sent{}, false
	}
	return s, true
}

// scanObject walks the object at b[i:], calling field with each key and
// the index of its value; field returns the index after the value. It
// returns the index after the object.
func scanObject(b []byte, i int, field func(key []byte, i int) (int, bool)) (int, bool) {
	if i >= len(b) || b[i] != '{' {
		return i, false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, true
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return i, false
		}
		end := i + 1
		for end < len(b) && b[end] != '"' && b[end] != '\\' {
			end++
		}
		if end >= len(b) || b[end] == '\\' {
			return i, false // an escaped key: json.Unmarshal reads it
		}
		key := b[i+1 : end]
		if k := string(key); k != "message_id" && k != "chat" && k != "id" &&
			(bytes.EqualFold(key, messageIDKey) || bytes.EqualFold(key, chatKey) || bytes.EqualFold(key, idKey)) {
			return i, false // json.Unmarshal matches keys regardless of case
		}
		i = skipSpace(b, end+1)
		if i >= len(b) || b[i] != ':' {
			return i, false
		}
		var ok bool
		if i, ok = field(key, skipSpace(b, i+1)); !ok {
			return i, false
		}
		i = skipSpace(b, i)
		if i >= len(b) {
			return i, false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return i + 1, true
		default:
			return i, false
		}
	}
}

// scanInt reads a plain integer (digits, an optional minus) that fits in
// bits bits.
func scanInt(b []byte, i, bits int) (int64, int, bool) {
	start := i
	if i < len(b) && b[i] == '-' {
		i++
	}
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	if i < len(b) && (b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
		return 0, i, false
	}
	v, err := strconv.ParseInt(string(b[start:i]), 10, bits)
	return v, i, err == nil
}

// skipValue returns the index after the (valid) JSON value at b[i:].
func skipValue(b []byte, i int) (int, bool) {
	depth := 0
	for i < len(b) {
		switch c := b[i]; c {
		case '"':
			i++
			for i < len(b) && b[i] != '"' {
				if b[i] == '\\' {
					i++
				}
				i++
			}
			if i >= len(b) {
				return i, false
			}
			i++
		case '{', '[':
			depth++
			i++
		case '}', ']':
			if depth == 0 {
				return i, true // the end of the enclosing object
			}
			depth--
			i++
		case ',':
			if depth == 0 {
				return i, true
			}
			i++
		default:
			i++
		}
		if depth == 0 && i > 0 && (b[i-1] == '"' || b[i-1] == '}' || b[i-1] == ']') {
			return i, true
		}
	}
	return i, depth == 0
}

// skipSpace returns the index of the first non-space byte at or after i.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}
