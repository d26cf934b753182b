package commands

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

// The web pages (DESIGN.md "Web pages") log staff in without a password:
// /dashboard in the staff chat gives a one-time link, and the staff chat is
// what proves someone is staff. The rules of that login live here; package
// web only carries tokens between a browser and these functions.

// LoginTTL is how long a login link from /dashboard can be used.
const LoginTTL = 15 * time.Minute

// SessionTTL is how long a web session lasts after logging in.
const SessionTTL = 12 * time.Hour

// secretBytes is the size of login and session tokens: 256 bits, beyond
// guessing.
const secretBytes = 32

// WebSession is a staff member logged in to the web pages. Chat is the
// staff chat the login link was asked in: what the person does on the web
// runs as if typed there, so it stops working when that chat stops being a
// staff chat.
type WebSession struct {
	User      UserRef
	Chat      ChatRef
	CreatedAt time.Time
	ExpiresAt time.Time
}

// WebStore keeps login links and web sessions (by the SHA-256 hash of their
// tokens only, so a copy of the database opens nothing), and what the web
// pages read beyond the chat commands.
type WebStore interface {
	// CreateLogin stores a login link's token hash for by, asked in chat,
	// usable until expires.
	CreateLogin(ctx context.Context, ev string, hash []byte, chat ChatRef, by UserRef, expires time.Time) error
	// RedeemLogin uses the login once, if it exists and has not expired at
	// now, and starts a session with sessionHash until sessionExpires, in
	// one transaction. Returns ENOTFOUND for an unknown, used or expired login.
	RedeemLogin(ctx context.Context, hash, sessionHash []byte, now, sessionExpires time.Time) (*WebSession, error)
	// WebSession returns the session if it has not expired at now.
	// Returns ENOTFOUND otherwise.
	WebSession(ctx context.Context, hash []byte, now time.Time) (*WebSession, error)
	// EndWebSession ends one session (logging out); an unknown one is fine.
	EndWebSession(ctx context.Context, hash []byte) error
	// EndWebSessions ends every session and unused login of the person and
	// returns how many sessions ended.
	EndWebSessions(ctx context.Context, ev string, user UserRef) (int, error)
	// Introductions counts the collective's accepted sparring invitations,
	// asked or answered.
	Introductions(ctx context.Context, collectiveID int64) (int, error)
}

// newSecret returns a fresh random token, URL-safe.
func newSecret() (string, error) {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("new secret: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// SecretHash is what is stored of a token: its SHA-256. A token is 256
// random bits, so a plain hash is enough (no salt or slow hash needed).
func SecretHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// optDashboardOff ends the person's sessions instead of giving a link.
var optDashboardOff = TextOpt{Option{Name: "uit", NameEN: "off", Desc: MsgDescOptDashboardOff,
	Type: OptChoice, Choices: []string{"uit", "off"}}}

// dashboard is /dashboard: a one-time login link for the web pages, or
// with "uit" the end of all the person's sessions.
func (h *Handler) dashboard(ctx context.Context, c *call) (Reply, error) {
	l := c.lang
	if c.args.Text(optDashboardOff) != "" {
		n, err := h.Store.EndWebSessions(ctx, c.EventID, c.User)
		if err != nil {
			return Reply{}, err
		}
		h.logger().Info("web sessions ended", "platform", c.User.Platform, "sessions", n)
		return Reply{Text: l.Msg(MsgWebLoggedOut, l.Count(MsgWebSessionsN, n)),
			Ephemeral: true}, nil
	}
	if h.WebURL == "" {
		return Reply{}, Errorf(EINVALID, "%s", l.Msg(MsgWebWebPagesAreOff))
	}
	token, err := newSecret()
	if err != nil {
		return Reply{}, err
	}
	expires := h.now().Add(LoginTTL)
	if err := h.Store.CreateLogin(ctx, c.EventID, SecretHash(token), c.Chat, c.User, expires); err != nil {
		return Reply{}, err
	}
	link := strings.TrimRight(h.WebURL, "/") + "/login/" + token
	// Secret: on Discord only the asker sees the link; on Telegram it goes
	// to the asker's private chat with the bot, never to the staff chat.
	return Reply{Text: l.Msg(MsgWebYourLoginLinkFor, link),
		Ephemeral: true, Secret: true}, nil
}

// WebLogin uses a login link's token once and starts a session: it returns
// the session's token (for the cookie) and the session. A token that is
// unknown, used, expired, or from a chat that is no longer a staff chat is
// refused with ENOTFOUND or EFORBIDDEN.
func (h *Handler) WebLogin(ctx context.Context, token string) (string, *WebSession, error) {
	if token == "" {
		return "", nil, Errorf(ENOTFOUND, "login link unknown")
	}
	session, err := newSecret()
	if err != nil {
		return "", nil, err
	}
	now := h.now()
	s, err := h.Store.RedeemLogin(ctx, SecretHash(token), SecretHash(session), now, now.Add(SessionTTL))
	if err != nil {
		return "", nil, err
	}
	if err := h.stillStaff(ctx, s); err != nil {
		h.Store.EndWebSession(ctx, SecretHash(session))
		return "", nil, err
	}
	h.logger().Info("web login", "platform", s.User.Platform)
	return session, s, nil
}

// WebSession returns the session of a cookie's token: ENOTFOUND when there
// is none or it expired, EFORBIDDEN when its staff chat is no longer one.
func (h *Handler) WebSession(ctx context.Context, token string) (*WebSession, error) {
	if token == "" {
		return nil, Errorf(ENOTFOUND, "no session")
	}
	s, err := h.Store.WebSession(ctx, SecretHash(token), h.now())
	if err != nil {
		return nil, err
	}
	if err := h.stillStaff(ctx, s); err != nil {
		return nil, err
	}
	return s, nil
}

// WebLogout ends the session of a cookie's token.
func (h *Handler) WebLogout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return h.Store.EndWebSession(ctx, SecretHash(token))
}

// stillStaff refuses a session whose chat is no longer an active staff chat.
func (h *Handler) stillStaff(ctx context.Context, s *WebSession) error {
	chat, err := h.Store.Chat(ctx, s.Chat)
	if err != nil {
		return err
	}
	if chat.Kind != ChatStaff || !chat.Active {
		return Errorf(EFORBIDDEN, "the login's chat is no longer a staff chat")
	}
	return nil
}
