package main

import (
	"fmt"
	"log/slog"
	"time"

	"dreambot/bot"
	"dreambot/commands"
	"dreambot/config"
	"dreambot/dreamstudio"
	"dreambot/generate"
	"dreambot/metrics"
)

// hooks are the metrics' observers, as each package takes them. With METRICS_ADDR unset every one
// is nil: nothing is measured for nobody.
type hooks struct {
	metrics      *metrics.Metrics
	api          []dreamstudio.Option
	generate     []generate.Option
	jobs         commands.Observer
	rest         bot.RESTObserver
	interactions bot.InteractionObserver
}

func newHooks(cfg config.Config) hooks {
	if cfg.MetricsAddr == "" {
		return hooks{}
	}
	m := metrics.New()
	return hooks{
		metrics: m, api: []dreamstudio.Option{dreamstudio.WithObserver(m)}, generate: []generate.Option{generate.WithObserver(m)},
		jobs: m, rest: m, interactions: m,
	}
}

// metricsStopTimeout is how long requests to the metrics server may finish at shutdown; it comes
// out of shutdownReserve. Scrapes and health checks take milliseconds.
const metricsStopTimeout = time.Second

// serve starts serving /metrics and /healthz on METRICS_ADDR, with the gauges read from set and
// the health told by checks, and logs the address it got ("metrics listening", addr=...: port 0
// picks one). stop stops it; it does nothing when metrics are off.
func (h hooks) serve(cfg config.Config, log *slog.Logger, set *commands.Set, checks ...metrics.Check) (stop func(), err error) {
	if h.metrics == nil {
		return func() {}, nil
	}
	h.metrics.Watch(set.Credits, set.Jobs)
	srv, err := metrics.Listen(cfg.MetricsAddr, h.metrics.Handler(checks...))
	if err != nil {
		return nil, fmt.Errorf("METRICS_ADDR: %w", err)
	}
	log.Info("metrics listening", "addr", srv.Addr())
	return func() {
		if err := srv.Stop(min(metricsStopTimeout, cfg.ShutdownTimeout)); err != nil {
			log.Warn("metrics server did not stop cleanly", "err", err)
		}
	}, nil
}
