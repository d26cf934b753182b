package discordtest

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"
)

// Gateway opcodes.
const (
	opDispatch       = 0
	opHeartbeat      = 1
	opIdentify       = 2
	opResume         = 6
	opInvalidSession = 9
	opHello          = 10
	opHeartbeatACK   = 11
)

// conn is one gateway websocket connection. Frames go out in order
// through one writer goroutine, so the fake never blocks on a client.
type conn struct {
	ws      *websocket.Conn
	out     chan any
	done    chan struct{}
	once    sync.Once
	session *session // set after IDENTIFY or RESUME; guarded by Server.mu
}

func newConn(ws *websocket.Conn) *conn {
	c := &conn{ws: ws, out: make(chan any, 4096), done: make(chan struct{})}
	go func() {
		for {
			select {
			case v := <-c.out:
				if cm, ok := v.(closeMsg); ok {
					ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(cm.code, cm.text))
					c.close()
					return
				}
				if ws.WriteJSON(v) != nil {
					c.close()
					return
				}
			case <-c.done:
				return
			}
		}
	}()
	return c
}

type closeMsg struct {
	code int
	text string
}

// write queues a frame; a client that cannot keep up is disconnected.
func (c *conn) write(v any) {
	select {
	case c.out <- v:
	case <-c.done:
	default:
		c.close()
	}
}

func (c *conn) close() {
	c.once.Do(func() {
		close(c.done)
		c.ws.NetConn().Close()
	})
}

// session is a gateway session: its sequence and the dispatches sent, so
// a RESUME can replay what the client missed.
type session struct {
	id      string
	seq     int64
	history []frame
}

type frame struct {
	Op int    `json:"op"`
	D  any    `json:"d"`
	S  *int64 `json:"s,omitempty"`
	T  string `json:"t,omitempty"`
}

type inbound struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
}

// Identifies counts the IDENTIFY requests received (new sessions).
func (s *Server) Identifies() int { s.mu.Lock(); defer s.mu.Unlock(); return s.identifies }

// Resumes counts the RESUME requests received.
func (s *Server) Resumes() int { s.mu.Lock(); defer s.mu.Unlock(); return s.resumes }

// WaitConnected waits until a client has identified (or resumed) on the
// gateway.
func (s *Server) WaitConnected(t testing.TB) {
	t.Helper()
	s.waitFor(t, "a gateway client", func() bool { return s.readyConn() != nil })
}

func (s *Server) readyConn() *conn {
	for c := range s.conns {
		if c.session != nil {
			return c
		}
	}
	return nil
}

// DropConnections closes every gateway connection without a close frame,
// as a network failure would; discordgo then reconnects and resumes.
func (s *Server) DropConnections() {
	s.mu.Lock()
	conns := s.conns
	s.conns = map[*conn]bool{}
	s.notify()
	s.mu.Unlock()
	for c := range conns {
		c.close()
	}
}

// broadcast sends a dispatch to every identified connection; callers hold s.mu.
func (s *Server) broadcast(event string, data any) {
	for c := range s.conns {
		if c.session != nil {
			s.send(c, event, data)
		}
	}
}

// send sends one dispatch on a connection; callers hold s.mu.
func (s *Server) send(c *conn, event string, data any) {
	c.session.seq++
	seq := c.session.seq
	f := frame{Op: opDispatch, D: data, S: &seq, T: event}
	c.session.history = append(c.session.history, f)
	c.write(f)
}

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	s.checkGateway(r)
	if r.URL.Query().Get("encoding") != "json" {
		http.Error(w, "encoding=json expected", http.StatusBadRequest)
		return
	}
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := newConn(ws)
	s.mu.Lock()
	s.conns[c] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.notify()
		s.mu.Unlock()
		c.close()
	}()
	c.write(frame{Op: opHello, D: map[string]any{"heartbeat_interval": s.HeartbeatInterval.Milliseconds()}})
	for {
		var in inbound
		if err := ws.ReadJSON(&in); err != nil {
			return
		}
		switch in.Op {
		case opHeartbeat:
			c.write(frame{Op: opHeartbeatACK})
		case opIdentify:
			var id struct {
				Token string `json:"token"`
			}
			json.Unmarshal(in.D, &id)
			if strings.TrimPrefix(id.Token, "Bot ") != s.Token {
				c.write(closeMsg{4004, "Authentication failed."})
				continue
			}
			s.identify(c)
		case opResume:
			var res struct {
				Token     string `json:"token"`
				SessionID string `json:"session_id"`
				Seq       int64  `json:"seq"`
			}
			json.Unmarshal(in.D, &res)
			if !s.resume(c, res.SessionID, res.Seq) || strings.TrimPrefix(res.Token, "Bot ") != s.Token {
				c.write(frame{Op: opInvalidSession, D: false})
			}
		}
	}
}

func (s *Server) identify(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.identifies++
	sess := &session{id: "session-" + s.id()}
	s.sessions[sess.id] = sess
	c.session = sess
	s.send(c, "READY", map[string]any{
		"v": 10, "session_id": sess.id, "resume_gateway_url": "ws" + strings.TrimPrefix(s.URL, "http") + "/gateway",
		"user": s.botUser(), "guilds": []any{map[string]any{"id": s.GuildID, "unavailable": true}},
		"application": map[string]any{"id": s.AppID, "flags": 0}, "private_channels": []any{}, "shard": []int{0, 1},
	})
	var chans []any
	for _, id := range s.channelOrder {
		chans = append(chans, s.channelJSON(s.channels[id]))
	}
	s.send(c, "GUILD_CREATE", map[string]any{
		"id": s.GuildID, "name": "Wijk", "owner_id": "1", "unavailable": false, "member_count": 1,
		"channels": chans, "roles": []any{}, "members": []any{}, "threads": []any{}, "voice_states": []any{},
	})
	s.notify()
}

// resume replays the dispatches after seq and sends RESUMED.
func (s *Server) resume(c *conn, sessionID string, seq int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.sessions[sessionID]
	if sess == nil {
		return false
	}
	s.resumes++
	for other := range s.conns {
		if other.session == sess {
			other.session = nil
		}
	}
	c.session = sess
	var missed []frame
	for _, f := range sess.history {
		if *f.S > seq {
			missed = append(missed, f)
		}
	}
	sess.seq++
	n := sess.seq
	resumed := frame{Op: opDispatch, D: map[string]any{}, S: &n, T: "RESUMED"}
	sess.history = append(sess.history, resumed)
	for _, f := range missed {
		c.write(f)
	}
	c.write(resumed)
	s.notify()
	return true
}
