// Package ops serves what an operator needs to run wijkbot: a health check,
// Prometheus metrics and structured logs.
package ops

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/wijkbv/wijkbot/commands"
)

// Metrics counts what the bot does, for Prometheus. It has its own registry,
// so tests (and two bots in one process) do not share counters. Its methods
// are safe for concurrent use and do nothing on a nil *Metrics, so code can
// report unconditionally.
type Metrics struct {
	registry    *prometheus.Registry
	commands    *prometheus.CounterVec
	deliveries  *prometheus.CounterVec
	rateLimited *prometheus.CounterVec
	rounds      *prometheus.CounterVec
}

// NewMetrics creates the counters, with the Go runtime's and the process's
// own metrics beside them.
func NewMetrics() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wijkbot_commands_handled_total",
			Help: "Commands handled, by command and outcome (ok, an error code such as invalid or internal, duplicate, rate_limited).",
		}, []string{"command", "outcome"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wijkbot_deliveries_total",
			Help: "Messages delivered to chats other than the invoker's (help requests, answers, check-ins, digests), by platform and outcome (ok, error).",
		}, []string{"platform", "outcome"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wijkbot_platform_rate_limited_total",
			Help: "Calls a platform refused for going too fast (HTTP 429), by platform.",
		}, []string{"platform"}),
		rounds: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wijkbot_scheduler_rounds_total",
			Help: "Check-in rounds by outcome (posted, missed, failed).",
		}, []string{"outcome"}),
	}
	m.registry.MustRegister(m.commands, m.deliveries, m.rateLimited, m.rounds,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// CommandHandled counts one command. Names not in the command table count
// as "unknown", so typed nonsense cannot create a time series per typo.
func (m *Metrics) CommandHandled(command, outcome string) {
	if m == nil {
		return
	}
	if c := commands.Commands.Lookup(command); c != nil {
		command = c.Name
	} else {
		command = "unknown"
	}
	m.commands.WithLabelValues(command, outcome).Inc()
}

// Delivered counts one message delivered to another chat ("ok" or "error").
func (m *Metrics) Delivered(platform, outcome string) {
	if m == nil {
		return
	}
	m.deliveries.WithLabelValues(platform, outcome).Inc()
}

// RateLimited counts one 429 from a platform. Adapters call it when the
// platform tells them to slow down.
func (m *Metrics) RateLimited(platform string) {
	if m == nil {
		return
	}
	m.rateLimited.WithLabelValues(platform).Inc()
}

// SchedulerRound counts one check-in round of one collective: "posted",
// "missed" (too late to post) or "failed".
func (m *Metrics) SchedulerRound(outcome string) {
	if m == nil {
		return
	}
	m.rounds.WithLabelValues(outcome).Inc()
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}
