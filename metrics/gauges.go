package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// gauges reads the credits and the jobs at each scrape, from what the bot already holds: a scrape
// never calls the API or the database.
type gauges struct {
	credits, waiting, running *prometheus.Desc

	// mu guards the sources, set by Watch once the bot is wired.
	mu        sync.Mutex
	creditsOf func() (float64, bool)
	jobsOf    func() (waiting, running int)
}

func newGauges() *gauges {
	return &gauges{
		credits: prometheus.NewDesc(namespace+"_credits",
			"The account's credits as far as the bot knows: its last balance reading less what it spent since. "+
				"Absent until a reading succeeds, and when LOW_BALANCE_CREDITS is 0 (no readings).", nil, nil),
		waiting: prometheus.NewDesc(namespace+"_jobs_waiting",
			"Image jobs accepted and waiting for their turn at the API.", nil, nil),
		running: prometheus.NewDesc(namespace+"_jobs_running",
			"Image jobs generating or delivering their images.", nil, nil),
	}
}

func (g *gauges) watch(credits func() (float64, bool), jobs func() (waiting, running int)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.creditsOf, g.jobsOf = credits, jobs
}

func (g *gauges) Describe(ch chan<- *prometheus.Desc) {
	ch <- g.credits
	ch <- g.waiting
	ch <- g.running
}

func (g *gauges) Collect(ch chan<- prometheus.Metric) {
	g.mu.Lock()
	creditsOf, jobsOf := g.creditsOf, g.jobsOf
	g.mu.Unlock()
	if creditsOf != nil {
		if v, ok := creditsOf(); ok {
			ch <- prometheus.MustNewConstMetric(g.credits, prometheus.GaugeValue, v)
		}
	}
	var waiting, running int
	if jobsOf != nil {
		waiting, running = jobsOf()
	}
	ch <- prometheus.MustNewConstMetric(g.waiting, prometheus.GaugeValue, float64(waiting))
	ch <- prometheus.MustNewConstMetric(g.running, prometheus.GaugeValue, float64(running))
}
