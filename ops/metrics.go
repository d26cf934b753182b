// Package ops serves what an operator needs to run wijkbot: a health check,
// Prometheus metrics and structured logs.
package ops

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/VictoriaMetrics/metrics"

	"github.com/wijkbv/wijkbot/commands"
)

// Metrics counts what the bot does, for Prometheus. Each Metrics has its own
// counters, so tests (and two bots in one process) do not share them. Its
// methods are safe for concurrent use and do nothing on a nil *Metrics, so
// code can report unconditionally.
//
// The counters are github.com/VictoriaMetrics/metrics sets, one per metric
// family, so that each family is written with its own HELP and TYPE lines
// (the library writes either none or empty ones).
type Metrics struct {
	commands    family
	deliveries  family
	rateLimited family
	rounds      family
}

// family is one counter metric with labels: its series live in set.
type family struct {
	name, help string
	set        *metrics.Set
}

// NewMetrics creates the counters; /metrics shows the Go runtime's and the
// process's own metrics beside them.
func NewMetrics() *Metrics {
	return &Metrics{
		commands: newFamily("wijkbot_commands_handled_total",
			"Commands handled, by command and outcome (ok, an error code such as invalid or internal, duplicate, rate_limited)."),
		deliveries: newFamily("wijkbot_deliveries_total",
			"Messages delivered to chats other than the invoker's (help requests, answers, check-ins, digests), by platform and outcome (ok, error)."),
		rateLimited: newFamily("wijkbot_platform_rate_limited_total",
			"Calls a platform refused for going too fast (HTTP 429), by platform."),
		rounds: newFamily("wijkbot_scheduler_rounds_total",
			"Check-in rounds by outcome (posted, missed, failed)."),
	}
}

func newFamily(name, help string) family {
	return family{name: name, help: help, set: metrics.NewSet()}
}

// inc adds one to the series with these label pairs (name, value, name,
// value, ...; names in alphabetical order, as Prometheus's own client
// writes them).
func (f *family) inc(labels ...string) {
	var b strings.Builder
	b.WriteString(f.name)
	b.WriteByte('{')
	for i := 0; i+1 < len(labels); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(labels[i])
		b.WriteString(`="`)
		labelEscaper.WriteString(&b, labels[i+1])
		b.WriteByte('"')
	}
	b.WriteByte('}')
	f.set.GetOrCreateCounter(b.String()).Inc()
}

// labelEscaper escapes a label value as the text format requires.
var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// write writes the family in the text format: HELP, TYPE, then its series.
func (f *family) write(b *bytes.Buffer) {
	b.WriteString("# HELP " + f.name + " " + f.help + "\n# TYPE " + f.name + " counter\n")
	f.set.WritePrometheus(b)
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
	m.commands.inc("command", command, "outcome", outcome)
}

// Delivered counts one message delivered to another chat ("ok" or "error").
func (m *Metrics) Delivered(platform, outcome string) {
	if m == nil {
		return
	}
	m.deliveries.inc("outcome", outcome, "platform", platform)
}

// RateLimited counts one 429 from a platform. Adapters call it when the
// platform tells them to slow down.
func (m *Metrics) RateLimited(platform string) {
	if m == nil {
		return
	}
	m.rateLimited.inc("platform", platform)
}

// SchedulerRound counts one check-in round of one collective: "posted",
// "missed" (too late to post) or "failed".
func (m *Metrics) SchedulerRound(outcome string) {
	if m == nil {
		return
	}
	m.rounds.inc("outcome", outcome)
}

// Handler serves the metrics in Prometheus's text format: the bot's
// counters, then the Go runtime's (go_goroutines, go_memstats_…) and the
// process's (process_cpu_seconds_total, process_resident_memory_bytes,
// process_open_fds, …), under the names Prometheus's own client uses.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b bytes.Buffer
		for _, f := range []*family{&m.commands, &m.deliveries, &m.rateLimited, &m.rounds} {
			f.write(&b)
		}
		metrics.WriteProcessMetrics(&b)
		metrics.WriteFDMetrics(&b) // process_open_fds, process_max_fds: a few files here
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		w.Write(b.Bytes())
	})
}
