package ops

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

func TestMetrics(t *testing.T) {
	m := NewMetrics()
	srv := httptest.NewServer((&Server{Metrics: m}).Handler())
	defer srv.Close()

	m.CommandHandled("voortgang", "ok")
	m.CommandHandled("log", "ok") // the English alias counts as its command
	m.CommandHandled("schuif", "invalid")
	m.CommandHandled("bestaat-niet-1", "invalid")
	m.CommandHandled("bestaat-niet-2", "invalid")
	m.Delivered("telegram", "error")
	m.RateLimited("discord")
	m.SchedulerRound("posted")

	code, body := get(t, srv.URL+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics status=%d", code)
	}
	for _, want := range []string{
		`wijkbot_commands_handled_total{command="voortgang",outcome="ok"} 2`,
		`wijkbot_commands_handled_total{command="schuif",outcome="invalid"} 1`,
		`wijkbot_commands_handled_total{command="unknown",outcome="invalid"} 2`,
		`wijkbot_deliveries_total{outcome="error",platform="telegram"} 1`,
		`wijkbot_platform_rate_limited_total{platform="discord"} 1`,
		`wijkbot_scheduler_rounds_total{outcome="posted"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, "bestaat-niet") {
		t.Error("/metrics has a series for a command that does not exist")
	}
}

// /metrics is Prometheus's text format as Prometheus's own parser reads it:
// every family once, the bot's counters typed as counters with their help,
// the label values escaped, and the Go runtime's and the process's metrics
// beside them.
func TestMetricsTextFormat(t *testing.T) {
	m := NewMetrics()
	srv := httptest.NewServer((&Server{Metrics: m}).Handler())
	defer srv.Close()
	m.CommandHandled("voortgang", "ok")
	m.CommandHandled("voortgang", "invalid")
	m.Delivered("telegram", "ok")
	m.Delivered("discord", "error")
	m.RateLimited(`tele"gram\x`) // no platform is called so; escaping is tested
	m.SchedulerRound("missed")

	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type %q, want Prometheus's text format", ct)
	}
	parser := expfmt.NewTextParser(model.LegacyValidation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("Prometheus cannot parse /metrics: %v", err)
	}
	counters := map[string]map[string]float64{
		"wijkbot_commands_handled_total": {
			`command="voortgang",outcome="ok"`: 1, `command="voortgang",outcome="invalid"`: 1},
		"wijkbot_deliveries_total": {
			`outcome="ok",platform="telegram"`: 1, `outcome="error",platform="discord"`: 1},
		"wijkbot_platform_rate_limited_total": {`platform="tele\"gram\\x"`: 1},
		"wijkbot_scheduler_rounds_total":      {`outcome="missed"`: 1},
	}
	for name, want := range counters {
		f := families[name]
		if f == nil {
			t.Errorf("no family %s", name)
			continue
		}
		if f.GetType() != dto.MetricType_COUNTER || f.GetHelp() == "" {
			t.Errorf("%s: type %v, help %q; want a counter with help", name, f.GetType(), f.GetHelp())
		}
		got := map[string]float64{}
		for _, s := range f.GetMetric() {
			var labels []string
			for _, l := range s.GetLabel() {
				labels = append(labels, l.GetName()+"="+strconv.Quote(l.GetValue()))
			}
			got[strings.Join(labels, ",")] = s.GetCounter().GetValue()
		}
		if !maps.Equal(got, want) {
			t.Errorf("%s: series %v, want %v", name, got, want)
		}
	}
	for _, name := range []string{"go_goroutines", "go_memstats_alloc_bytes", "process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds"} {
		if families[name] == nil {
			t.Errorf("no family %s", name)
		}
	}
}

func TestMetricsNil(t *testing.T) {
	var m *Metrics
	m.CommandHandled("voortgang", "ok")
	m.Delivered("telegram", "ok")
	m.RateLimited("telegram")
	m.SchedulerRound("posted")
	srv := httptest.NewServer((&Server{}).Handler())
	defer srv.Close()
	if code, _ := get(t, srv.URL+"/metrics"); code != http.StatusNotFound {
		t.Fatalf("/metrics without Metrics: status=%d, want 404", code)
	}
}

func TestHealthz(t *testing.T) {
	var logs bytes.Buffer
	checks := map[string]Check{
		"database": func(ctx context.Context) error { return nil },
		"telegram": func(ctx context.Context) error { return nil },
	}
	s := &Server{
		Health: func(ctx context.Context) map[string]error { return RunChecks(ctx, checks) },
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()

	t.Run("all ok", func(t *testing.T) {
		code, body := get(t, srv.URL+"/healthz")
		if code != http.StatusOK {
			t.Fatalf("status=%d body=%s, want 200", code, body)
		}
		var got map[string]string
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatal(err)
		}
		if got["database"] != "ok" || got["telegram"] != "ok" || len(got) != 2 {
			t.Fatalf("body=%s", body)
		}
	})
	t.Run("a platform down", func(t *testing.T) {
		checks["telegram"] = func(ctx context.Context) error {
			return errors.New(`Post "https://api.telegram.org/bot123:SECRET/getMe": dial tcp: timeout`)
		}
		code, body := get(t, srv.URL+"/healthz")
		if code != http.StatusServiceUnavailable {
			t.Fatalf("status=%d, want 503", code)
		}
		var got map[string]string
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatal(err)
		}
		if got["telegram"] != "error" || got["database"] != "ok" {
			t.Fatalf("body=%s, want telegram error and database ok", body)
		}
		if strings.Contains(body, "SECRET") {
			t.Fatal("/healthz shows an error text with a token in it")
		}
		if !strings.Contains(logs.String(), "check=telegram") {
			t.Fatalf("failure not logged: %s", logs.String())
		}
	})
	t.Run("a check that hangs", func(t *testing.T) {
		checks["telegram"] = func(ctx context.Context) error {
			<-ctx.Done() // ends when healthTimeout or the client gives up
			return ctx.Err()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequestWithContext(ctx, "GET", "/healthz", nil))
		if rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("status=%d, want 503", rec.Code)
		}
	})
}

func TestServeStopsWithContext(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{Metrics: NewMetrics(), Logger: slog.New(slog.DiscardHandler)}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	if code, _ := get(t, "http://"+ln.Addr().String()+"/healthz"); code != http.StatusOK {
		t.Fatalf("/healthz with no checks: status=%d, want 200", code)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
}

func TestNewLogger(t *testing.T) {
	for _, tt := range []struct {
		format, want string
	}{
		{"", `level=INFO msg=hallo n=1`},
		{"text", `level=INFO msg=hallo n=1`},
		{"json", `"level":"INFO","msg":"hallo","n":1}`},
	} {
		t.Run(tt.format, func(t *testing.T) {
			var buf bytes.Buffer
			l, err := NewLogger(tt.format, &buf, nil)
			if err != nil {
				t.Fatal(err)
			}
			l.Info("hallo", "n", 1)
			if !strings.Contains(buf.String(), tt.want) {
				t.Fatalf("log %q, want it to contain %q", buf.String(), tt.want)
			}
		})
	}
	if _, err := NewLogger("xml", io.Discard, nil); err == nil {
		t.Fatal("NewLogger accepted format xml")
	}
	t.Run("level", func(t *testing.T) {
		var buf bytes.Buffer
		level := new(slog.LevelVar)
		l, err := NewLogger("json", &buf, level)
		if err != nil {
			t.Fatal(err)
		}
		level.Set(slog.LevelWarn)
		l.Info("stil")
		l.Warn("hoorbaar")
		if got := buf.String(); strings.Contains(got, "stil") || !strings.Contains(got, "hoorbaar") {
			t.Fatalf("log %q, want only the warning", got)
		}
	})
}
