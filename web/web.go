// Package web serves the web pages: the staff's dashboard, logged in with a
// one-time link from /dashboard in the staff chat, and the public page and
// feed of the lessons shared with the network.
//
// It is a front end like a chat adapter: it reads through the commands
// package's page functions, runs state changes as commands from the staff
// chat the login came from (the same path, checks and deliveries as typed
// commands), and holds sessions and templates only; no SQL and no rule of
// the programme.
package web

import (
	"context"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/wijkbv/wijkbot/commands"
	"golang.org/x/time/rate"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Runner runs a command as if typed in a chat and delivers its messages to
// other chats; bot.Runtime is one.
type Runner interface {
	Handle(ctx context.Context, req commands.Request) commands.Reply
}

// PanelCharts draws a mengpaneel as an inline SVG element; chart.Renderer
// is one.
type PanelCharts interface {
	PanelSVG(l commands.Lang, title string, elems []commands.Element, before map[int64]int) ([]byte, error)
}

// Server serves the web pages. Handler is the one http.Handler to mount
// (ops.Server mounts it beside /healthz and /metrics).
type Server struct {
	// App reads the pages' data and checks logins and sessions.
	App *commands.Handler
	// Runner runs the answers and resolutions sent from the queue page.
	Runner Runner
	// Charts draws the panels; nil leaves the charts out (the values are
	// listed as text either way).
	Charts PanelCharts
	// SLA is when a waiting help request counts as late (the scheduler's
	// alert periods).
	SLA commands.SLA
	// BaseURL is WIJKBOT_WEB_URL: the feed's links and ids, and whether
	// the cookie is Secure (https).
	BaseURL string
	Logger  *slog.Logger
	// LoginRate and LoginBurst limit login attempts per client address;
	// zero means one every 6 seconds with a burst of 10.
	LoginRate  rate.Limit
	LoginBurst int

	once     sync.Once
	handler  http.Handler
	pages    map[string]*template.Template
	limitMu  sync.Mutex
	limiters map[string]*rate.Limiter
}

func (s *Server) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.Default()
	}
	return s.Logger
}

// secure says whether the pages are served over https (then the cookie is
// Secure).
func (s *Server) secure() bool { return strings.HasPrefix(strings.ToLower(s.BaseURL), "https://") }

// Handler returns the pages' handler, with the security headers on every
// response and cross-origin state changes refused.
func (s *Server) Handler() http.Handler {
	s.once.Do(func() {
		s.pages = s.parseTemplates()
		mux := http.NewServeMux()
		static, _ := fs.Sub(staticFS, "static")
		mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))

		mux.HandleFunc("GET /inloggen", s.howToLogIn)
		mux.HandleFunc("GET /login/{token}", s.loginPage)
		mux.HandleFunc("POST /login/{token}", s.login)
		mux.HandleFunc("POST /uitloggen", s.staff(s.logout))

		mux.HandleFunc("GET /{$}", s.staff(s.overview))
		mux.HandleFunc("GET /collectief/{id}", s.staff(s.collective))
		mux.HandleFunc("GET /hulpvragen", s.staff(s.queue))
		mux.HandleFunc("POST /hulpvragen/{number}/{action}", s.staff(s.act))
		mux.HandleFunc("GET /lessen", s.staff(s.lessons))
		mux.HandleFunc("GET /bijeenkomsten", s.staff(s.meetings))

		mux.HandleFunc("GET /openbaar/lessen", s.publicLessons)
		mux.HandleFunc("GET /openbaar/lessen.atom", s.feed)
		mux.HandleFunc("/", s.notFound)

		// Cross-origin POSTs are refused by the browser's own Sec-Fetch-Site
		// and Origin headers, before the CSRF token is even looked at.
		cop := http.NewCrossOriginProtection()
		cop.SetDenyHandler(http.HandlerFunc(s.forbidden))
		s.handler = headers(cop.Handler(mux))
	})
	return s.handler
}

// csp allows only the pages' own stylesheet: no script at all, no inline
// style (the charts use presentation attributes), no framing.
const csp = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// headers sets the security headers on every response.
func headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("Referrer-Policy", "no-referrer") // the login link carries a token
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// lang is the page's language: English with ?lang=en, else Dutch.
func lang(r *http.Request) commands.Lang {
	if r.URL.Query().Get("lang") == "en" {
		return commands.EN
	}
	return commands.NL
}

// withLang keeps the page's language in a link.
func withLang(l commands.Lang, path string) string {
	if l != commands.EN {
		return path
	}
	u, err := url.Parse(path)
	if err != nil {
		return path
	}
	q := u.Query()
	q.Set("lang", "en")
	u.RawQuery = q.Encode()
	return u.String()
}

// now is the application's time, so tests move one clock.
func (s *Server) now() time.Time { return s.App.Time() }
