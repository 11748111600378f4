// Package metrics is dreambot's Prometheus metrics and health check. The other packages report
// through small observer interfaces of their own, which *Metrics implements with plain values; it
// counts them in a registry of its own and serves /metrics and /healthz. It knows nothing of
// Discord or of the image API. Label values arrive bounded by the package that knows their rules
// (registered command names, engine ids, the API's documented error names, Discord's route
// templates) and are bounded again here, so that no caller can grow a family without limit.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// namespace prefixes every family.
const namespace = "dreambot"

// Metrics counts what the bot does. Its methods are safe for concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	interactions  *prometheus.CounterVec
	ack           *prometheus.HistogramVec
	autocomplete  *prometheus.HistogramVec
	jobWait       prometheus.Histogram
	generations   *prometheus.CounterVec
	apiErrors     *prometheus.CounterVec
	discordErrors *prometheus.CounterVec
	savedBytes    prometheus.Counter
	gauges        *gauges

	// Free-form but bounded values: at most so many distinct ones each, then "other".
	commands, models, routes, apiNames *labelSet
}

// New returns the metrics, registered in a registry of their own.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		interactions: counter("interactions_total",
			"Interactions handled, by type (command, autocomplete, component), command and outcome.", "type", "command", "outcome"),
		ack: answerHistogram("interaction_ack_seconds",
			"Time from the gateway delivering a command or a click to Discord's answer to its first response (an answer or a deferral), by outcome: ok when Discord took it, failed when it refused it (10062 after its 3 s) or never answered."),
		autocomplete: answerHistogram("autocomplete_seconds",
			"Time from the gateway delivering an autocomplete request to Discord's answer to its choices, by outcome: ok when Discord took them, failed when not."),
		jobWait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Name: "job_wait_seconds",
			Help:    "Time from accepting an image request to its turn at the API.",
			Buckets: []float64{.1, .5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 900},
		}),
		generations: counter("generations_total",
			"Images made, by engine or model and by the API's finish reason.", "model", "finish_reason"),
		apiErrors: counter("api_errors_total",
			"Error answers of the Stability API, by HTTP status and the API's error name.", "status", "name"),
		discordErrors: counter("discord_errors_total",
			"Error answers of Discord's REST API, by route and HTTP status (\"network\" when none came).", "route", "status"),
		savedBytes: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "image_bytes_saved_total",
			Help: "Bytes of PNG files saved to IMAGE_DIR.",
		}),
		gauges:   newGauges(),
		commands: newLabelSet(maxCommands), models: newLabelSet(maxModels),
		routes: newLabelSet(maxRoutes), apiNames: newLabelSet(maxAPINames),
	}
	m.reg.MustRegister(m.interactions, m.ack, m.autocomplete, m.jobWait, m.generations, m.apiErrors,
		m.discordErrors, m.savedBytes, m.gauges)
	return m
}

func counter(name, help string, labels ...string) *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help}, labels)
}

// answerHistogram times answers to Discord, by command and by whether Discord took them: fine
// below Discord's 3 s deadline, which is where they matter.
func answerHistogram(name, help string) *prometheus.HistogramVec {
	return prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: name, Help: help,
		Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 1.5, 2, 2.5, 3, 5},
	}, []string{"command", "outcome"})
}

// Registry returns the registry the metrics are in, for tests and for adding collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics at GET /metrics and the health check at GET /healthz.
func (m *Metrics) Handler(checks ...Check) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	mux.Handle("GET /healthz", Health(checks...))
	return mux
}

// Interaction records one interaction (bot.InteractionObserver): kind is command, autocomplete or
// component; ack is how long Discord took to answer its first response, 0 when none was sent, and
// acked whether Discord took it. A refused first response is timed too, as "failed": it is
// usually a slow one.
func (m *Metrics) Interaction(kind, command, outcome string, ack time.Duration, acked bool) {
	kind = oneOf(kind, interactionTypes)
	command = m.commands.bound(command)
	m.interactions.WithLabelValues(kind, command, oneOf(outcome, outcomes)).Inc()
	if ack <= 0 {
		return
	}
	ackOutcome := "ok"
	if !acked {
		ackOutcome = "failed"
	}
	switch kind {
	case "autocomplete":
		m.autocomplete.WithLabelValues(command, ackOutcome).Observe(ack.Seconds())
	case "command", "component":
		m.ack.WithLabelValues(command, ackOutcome).Observe(ack.Seconds())
	}
}

// DiscordError records an error answer of Discord's REST API (bot.RESTObserver); status 0 means no
// answer came (a network error).
func (m *Metrics) DiscordError(route string, status int) {
	st := "network"
	if status != 0 {
		st = statusLabel(status)
	}
	m.discordErrors.WithLabelValues(m.routes.bound(route), st).Inc()
}

// APIError records an error answer of the Stability API (dreamstudio.Observer).
func (m *Metrics) APIError(status int, name string) {
	m.apiErrors.WithLabelValues(statusLabel(status), m.apiNames.bound(name)).Inc()
}

// Generated records an image made (generate.Observer), and the bytes saved of it (0: not saved).
func (m *Metrics) Generated(model, finishReason string, savedBytes int) {
	m.generations.WithLabelValues(m.models.bound(model), oneOf(finishReason, finishReasons)).Inc()
	if savedBytes > 0 {
		m.savedBytes.Add(float64(savedBytes))
	}
}

// JobWaited records how long a job waited from its acceptance to its turn (commands.Observer).
func (m *Metrics) JobWaited(d time.Duration) { m.jobWait.Observe(max(d, 0).Seconds()) }

// Watch sets where the gauges read their values at each scrape: the cached balance (ok false
// while none is known: no sample is shown then) and the jobs waiting and running. Either may be
// nil.
func (m *Metrics) Watch(credits func() (float64, bool), jobs func() (waiting, running int)) {
	m.gauges.watch(credits, jobs)
}

// statusLabel is an HTTP status as a label: its number, or "other" for what is not one.
func statusLabel(status int) string {
	if status < 100 || status > 599 {
		return other
	}
	return strconv.Itoa(status)
}
