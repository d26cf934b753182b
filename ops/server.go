package ops

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"sync"
	"time"
)

// Check is one health check: nil when the part it checks works.
type Check func(ctx context.Context) error

// RunChecks runs the checks at the same time, so one slow platform does
// not delay the answer for the rest, and returns each one's result by name.
func RunChecks(ctx context.Context, checks map[string]Check) map[string]error {
	results := make(map[string]error, len(checks))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, check := range checks {
		wg.Go(func() {
			err := check(ctx)
			mu.Lock()
			defer mu.Unlock()
			results[name] = err
		})
	}
	wg.Wait()
	return results
}

// healthTimeout bounds a health check, so a hanging platform makes /healthz
// fail instead of hang.
const healthTimeout = 5 * time.Second

// Server serves /healthz and /metrics over HTTP (WIJKBOT_HTTP_ADDR). Keep it
// on a private address: it shows no personal data, but nothing else either
// that the world needs.
type Server struct {
	// Addr is where Run listens, e.g. "127.0.0.1:9090".
	Addr string
	// Health checks the parts of the bot by name ("database", "telegram",
	// ...): a nil error means the part works. Nil means there is nothing
	// to check.
	Health func(ctx context.Context) map[string]error
	// Metrics is served at /metrics; nil serves 404 there.
	Metrics *Metrics
	// Pages serves every other path (package web); nil serves 404 there.
	Pages  http.Handler
	Logger *slog.Logger
}

func (s *Server) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.Default()
	}
	return s.Logger
}

// Handler routes /healthz, /metrics and the pages.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /metrics", s.Metrics.Handler())
	if s.Pages != nil {
		mux.Handle("/", s.Pages)
	}
	return mux
}

// healthz answers 200 with {"database":"ok","telegram":"ok"} when every
// check passes, else 503 with "error" for the parts that failed. Why a part
// failed goes to the log, not to the answer: error texts can name
// addresses or carry a token in a URL.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	results := map[string]error{}
	if s.Health != nil {
		results = s.Health(ctx)
	}
	body := make(map[string]string, len(results))
	status := http.StatusOK
	names := make([]string, 0, len(results))
	for name := range results {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := results[name]; err != nil {
			body[name] = "error"
			status = http.StatusServiceUnavailable
			s.logger().Warn("health check failed", "check", name, "err", err)
		} else {
			body[name] = "ok"
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// Run listens on s.Addr and serves until ctx is done, then shuts down,
// giving running requests a few seconds.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

// Serve is Run on a listener the caller opened (tests use 127.0.0.1:0).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		WriteTimeout:      healthTimeout + 5*time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	s.logger().Info("http server listening", "addr", ln.Addr().String())
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	if serr := <-done; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}
