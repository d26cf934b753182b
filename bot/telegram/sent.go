package telegram

import (
	"bytes"
	"strconv"
)

// The keys the scans read, for comparing regardless of case.
var (
	okKey        = []byte("ok")
	resultKey    = []byte("result")
	messageIDKey = []byte("message_id")
	chatKey      = []byte("chat")
	idKey        = []byte("id")
)

// scanAnswer reads Telegram's answer to a send, {"ok":true,"result":
// {the message}}, taking only the message's message_id and chat.id. The
// answer is the whole message: sender, chat, text and entities, and the
// replied-to message again with its own message_id and chat. json.Unmarshal
// checks and walks all of it to skip what sent does not have: about a
// tenth of the bot's CPU for a /voortgang in wijkbench's throughput run
// (10 µs a reply of 115; the reply goroutines' stacks, shrunk by the
// garbage collector while they wait, grew again inside it), where the
// echo bot it is compared with hands the result to the library. ok false
// leaves the answer to json.Unmarshal: an error answer, a key json.Unmarshal
// would read differently (escaped, or in another case), a number that is
// not a plain integer, a field missing. For valid JSON it reads what
// json.Unmarshal reads (TestScanAnswer, FuzzScanAnswer).
func scanAnswer(b []byte) (s sent, ok bool) {
	var okTrue, haveResult bool
	i, ok := scanObject(b, skipSpace(b, 0), func(key []byte, i int) (int, bool) {
		switch string(key) {
		case "ok":
			okTrue = bytes.HasPrefix(b[i:], []byte("true"))
			return skipValue(b, i)
		case "result":
			haveResult = true
			var j int
			var ok bool
			s, j, ok = scanSent(b, i)
			return j, ok
		}
		return skipValue(b, i)
	})
	if !ok || skipSpace(b, i) != len(b) || !okTrue || !haveResult {
		return sent{}, false
	}
	return s, true
}

// scanSent reads sent from the object at b[i:] and returns the index
// after it; ok false leaves the answer to json.Unmarshal.
func scanSent(b []byte, i int) (s sent, end int, ok bool) {
	var haveID, haveChat bool
	end, ok = scanObject(b, i, func(key []byte, i int) (int, bool) {
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
	if !ok || !haveID || !haveChat {
		return sent{}, end, false
	}
	return s, end, true
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
		if k := string(key); k != "ok" && k != "result" && k != "message_id" && k != "chat" && k != "id" &&
			(bytes.EqualFold(key, okKey) || bytes.EqualFold(key, resultKey) ||
				bytes.EqualFold(key, messageIDKey) || bytes.EqualFold(key, chatKey) || bytes.EqualFold(key, idKey)) {
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
