package web

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"regexp"

	"github.com/wijkbv/wijkbot/commands"
	"golang.org/x/time/rate"
)

// cookieName is the session cookie. The __Host- prefix (over https) makes
// the browser refuse it unless Secure, for this host only, on path /.
func (s *Server) cookieName() string {
	if s.secure() {
		return "__Host-wijkbot"
	}
	return "wijkbot"
}

// tokenPattern is what a login or session token looks like (32 bytes,
// base64url): anything else is refused before touching the database.
var tokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// eventPattern is a form's event id: 16 random bytes, base64url.
var eventPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`)

// maxForm bounds a form's body: an answer is at most 2000 characters.
const maxForm = 64 << 10

// visit is one request by a logged-in staff member.
type visit struct {
	session *commands.WebSession
	token   string // the cookie's value
	lang    commands.Lang
}

// csrf is the token every form of the session carries: derived from the
// session's secret, so it needs no storage and another site, which cannot
// read the cookie, cannot compute it.
func (v *visit) csrf() string {
	h := sha256.Sum256([]byte("wijkbot csrf\x00" + v.token))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// checkCSRF compares the form's token with the session's in constant time.
func (v *visit) checkCSRF(r *http.Request) bool {
	got := r.PostFormValue("csrf")
	want := v.csrf()
	return len(got) == len(want) && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// staff wraps a page for logged-in staff: without a valid session a GET is
// redirected to the page that says how to log in, anything else refused;
// a POST without the session's CSRF token is refused with 403.
func (s *Server) staff(page func(w http.ResponseWriter, r *http.Request, v *visit)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		l := lang(r)
		w.Header().Set("Cache-Control", "no-store")
		var token string
		if c, err := r.Cookie(s.cookieName()); err == nil && tokenPattern.MatchString(c.Value) {
			token = c.Value
		}
		sess, err := s.App.WebSession(r.Context(), token)
		if err != nil {
			if code := commands.ErrorCode(err); code == commands.EINTERNAL {
				s.logger().Error("web session", "err", err)
				s.serverError(w, r)
				return
			}
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				s.forbidden(w, r)
				return
			}
			http.Redirect(w, r, withLang(l, "/inloggen"), http.StatusSeeOther)
			return
		}
		v := &visit{session: sess, token: token, lang: l}
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		if r.Method == http.MethodPost && !v.checkCSRF(r) {
			s.forbidden(w, r)
			return
		}
		page(w, r, v)
	}
}

// newEventID names a form's submission, so sending it twice (a reload, a
// double click) is recognised as one command, as a re-delivered chat
// event is.
func newEventID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// allowLogin limits login attempts per client address. Tokens are 256
// bits, so this is not what keeps guessers out; it keeps a flood of them
// off the database.
func (s *Server) allowLogin(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	s.limitMu.Lock()
	defer s.limitMu.Unlock()
	if s.limiters == nil || len(s.limiters) > 10000 {
		s.limiters = map[string]*rate.Limiter{}
	}
	lim := s.limiters[host]
	if lim == nil {
		every, burst := s.LoginRate, s.LoginBurst
		if every == 0 {
			every = rate.Limit(1.0 / 6)
		}
		if burst == 0 {
			burst = 10
		}
		lim = rate.NewLimiter(every, burst)
		s.limiters[host] = lim
	}
	return lim.AllowN(s.now(), 1)
}

// loginPage shows the button that logs in. Opening the link does not log
// in by itself: link previews (a chat app fetching the page to show a
// preview) and scanners would otherwise use the one-time link up.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	l := lang(r)
	w.Header().Set("Cache-Control", "no-store")
	token := r.PathValue("token")
	s.render(w, r, http.StatusOK, "login", &page{Lang: l, Title: t(l, "login.title"), Data: map[string]any{
		"Action": withLang(l, "/login/"+token),
		"Valid":  tokenPattern.MatchString(token),
	}})
}

// login uses the link's token once and starts the session.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	l := lang(r)
	w.Header().Set("Cache-Control", "no-store")
	if !s.allowLogin(r) {
		w.Header().Set("Retry-After", "60")
		s.render(w, r, http.StatusTooManyRequests, "message", &page{Lang: l, Title: t(l, "login.title"), Data: t(l, "login.slow")})
		return
	}
	token := r.PathValue("token")
	if !tokenPattern.MatchString(token) {
		s.loginRefused(w, r)
		return
	}
	session, sess, err := s.App.WebLogin(r.Context(), token)
	if code := commands.ErrorCode(err); code == commands.EINTERNAL {
		s.logger().Error("web login", "err", err)
		s.serverError(w, r)
		return
	} else if err != nil {
		s.loginRefused(w, r)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name:     s.cookieName(),
		Value:    session,
		Path:     "/",
		Expires:  sess.ExpiresAt,
		MaxAge:   int(commands.SessionTTL.Seconds()),
		HttpOnly: true,
		Secure:   s.secure(),
		SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, withLang(l, "/"), http.StatusSeeOther)
}

func (s *Server) loginRefused(w http.ResponseWriter, r *http.Request) {
	l := lang(r)
	s.render(w, r, http.StatusForbidden, "howto", &page{Lang: l, Title: t(l, "login.title"), Data: t(l, "login.refused")})
}

// logout ends the session and clears the cookie.
func (s *Server) logout(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := s.App.WebLogout(r.Context(), v.token); err != nil {
		s.logger().Error("web logout", "err", err)
	}
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure(), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, withLang(v.lang, "/inloggen"), http.StatusSeeOther)
}

// howToLogIn is where pages send a visitor without a session.
func (s *Server) howToLogIn(w http.ResponseWriter, r *http.Request) {
	l := lang(r)
	s.render(w, r, http.StatusOK, "howto", &page{Lang: l, Title: t(l, "login.title")})
}

func (s *Server) forbidden(w http.ResponseWriter, r *http.Request) {
	l := lang(r)
	s.render(w, r, http.StatusForbidden, "message", &page{Lang: l, Title: t(l, "forbidden.title"), Data: t(l, "forbidden.text")})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	l := lang(r)
	s.render(w, r, http.StatusNotFound, "message", &page{Lang: l, Title: t(l, "notfound.title"), Data: t(l, "notfound.text")})
}

func (s *Server) serverError(w http.ResponseWriter, r *http.Request) {
	l := lang(r)
	s.render(w, r, http.StatusInternalServerError, "message", &page{Lang: l, Title: t(l, "error.title"), Data: t(l, "error.text")})
}

// Name is the logged-in person's name, as the chat platform gave it.
func (v *visit) Name() string { return v.session.User.Name }
