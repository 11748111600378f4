package metrics_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"dreambot/metrics"
)

// gather returns the families of m by name.
func gather(t *testing.T, m *metrics.Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*dto.MetricFamily{}
	for _, f := range fams {
		out[f.GetName()] = f
	}
	return out
}

// labels writes a sample's labels as name=value,... in the order the registry sorts them.
func labels(s *dto.Metric) string {
	var parts []string
	for _, l := range s.GetLabel() {
		parts = append(parts, l.GetName()+"="+l.GetValue())
	}
	return strings.Join(parts, ",")
}

// value is a sample's value: a counter's or gauge's, or a histogram's count.
func value(s *dto.Metric) float64 {
	switch {
	case s.Counter != nil:
		return s.Counter.GetValue()
	case s.Gauge != nil:
		return s.Gauge.GetValue()
	case s.Histogram != nil:
		return float64(s.Histogram.GetSampleCount())
	}
	return -1
}

// samples returns a family's samples as labels -> value.
func samples(f *dto.MetricFamily) map[string]float64 {
	out := map[string]float64{}
	for _, s := range f.GetMetric() {
		out[labels(s)] = value(s)
	}
	return out
}

// observeOneOfEach reports one of everything the bot reports, with the values it reports.
func observeOneOfEach(m *metrics.Metrics) {
	m.Interaction("command", "imagine", "ok", 40*time.Millisecond, true)
	m.Interaction("autocomplete", "imagine", "ok", 7*time.Millisecond, true)
	m.Interaction("component", "again", "refused", 30*time.Millisecond, true)
	m.DiscordError("PATCH /webhooks/{id}/{token}/messages/@original", 429)
	m.APIError(404, "not_found")
	m.Generated("stable-diffusion-xl-1024-v1-0", "SUCCESS", 1234)
	m.JobWaited(1500 * time.Millisecond)
	m.Watch(func() (float64, bool) { return 42.5, true }, func() (int, int) { return 3, 1 })
}

func TestEveryFamilyIsRegistered(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	observeOneOfEach(m)
	fams := gather(t, m)
	tests := []struct {
		name string
		typ  dto.MetricType
		want map[string]float64
	}{
		{"dreambot_interactions_total", dto.MetricType_COUNTER, map[string]float64{
			"command=imagine,outcome=ok,type=command": 1, "command=imagine,outcome=ok,type=autocomplete": 1,
			"command=again,outcome=refused,type=component": 1,
		}},
		{"dreambot_interaction_ack_seconds", dto.MetricType_HISTOGRAM, map[string]float64{"command=imagine,outcome=ok": 1, "command=again,outcome=ok": 1}},
		{"dreambot_autocomplete_seconds", dto.MetricType_HISTOGRAM, map[string]float64{"command=imagine,outcome=ok": 1}},
		{"dreambot_job_wait_seconds", dto.MetricType_HISTOGRAM, map[string]float64{"": 1}},
		{"dreambot_jobs_waiting", dto.MetricType_GAUGE, map[string]float64{"": 3}},
		{"dreambot_jobs_running", dto.MetricType_GAUGE, map[string]float64{"": 1}},
		{"dreambot_generations_total", dto.MetricType_COUNTER, map[string]float64{
			"finish_reason=SUCCESS,model=stable-diffusion-xl-1024-v1-0": 1}},
		{"dreambot_api_errors_total", dto.MetricType_COUNTER, map[string]float64{"name=not_found,status=404": 1}},
		{"dreambot_discord_errors_total", dto.MetricType_COUNTER, map[string]float64{
			"route=PATCH /webhooks/{id}/{token}/messages/@original,status=429": 1}},
		{"dreambot_credits", dto.MetricType_GAUGE, map[string]float64{"": 42.5}},
		{"dreambot_image_bytes_saved_total", dto.MetricType_COUNTER, map[string]float64{"": 1234}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fams[tt.name]
			if f == nil {
				t.Fatalf("family %s not gathered", tt.name)
			}
			if f.GetType() != tt.typ {
				t.Errorf("type %v, want %v", f.GetType(), tt.typ)
			}
			if got := samples(f); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("samples %v, want %v", got, tt.want)
			}
		})
	}
	for name := range fams {
		if !strings.HasPrefix(name, "dreambot_") {
			t.Errorf("family %s is not prefixed dreambot_", name)
		}
	}
	if len(fams) != len(tests) {
		t.Errorf("%d families gathered, want %d", len(fams), len(tests))
	}
}

// TestHistogramsKeepTime: the histograms record seconds, into the buckets they fall in.
func TestHistogramsKeepTime(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.Interaction("command", "imagine", "ok", 40*time.Millisecond, true)
	m.Interaction("command", "imagine", "ok", 4*time.Second, true)
	m.Interaction("command", "imagine", "failed", 0, false) // never acknowledged: counted, not timed
	h := gather(t, m)["dreambot_interaction_ack_seconds"].GetMetric()[0].GetHistogram()
	if h.GetSampleCount() != 2 || h.GetSampleSum() != 4.04 {
		t.Fatalf("count %d sum %v, want 2 and 4.04", h.GetSampleCount(), h.GetSampleSum())
	}
	for _, b := range h.GetBucket() {
		var want uint64
		switch {
		case b.GetUpperBound() >= 4:
			want = 2
		case b.GetUpperBound() >= 0.04:
			want = 1
		}
		if b.GetCumulativeCount() != want {
			t.Errorf("bucket le=%v holds %d, want %d", b.GetUpperBound(), b.GetCumulativeCount(), want)
		}
	}
}

// TestRefusedAcksAreTimed: a first response Discord refused (10062 after its 3 s) is timed, apart
// from the ones it took, so that the slow answers are not the ones left out.
func TestRefusedAcksAreTimed(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.Interaction("command", "imagine", "ok", 40*time.Millisecond, true)
	m.Interaction("command", "imagine", "ok", 3200*time.Millisecond, false)
	m.Interaction("autocomplete", "imagine", "ok", 3100*time.Millisecond, false)
	fams := gather(t, m)
	tests := []struct {
		family, labels string
		count          uint64
		sum            float64
	}{
		{"dreambot_interaction_ack_seconds", "command=imagine,outcome=ok", 1, 0.04},
		{"dreambot_interaction_ack_seconds", "command=imagine,outcome=failed", 1, 3.2},
		{"dreambot_autocomplete_seconds", "command=imagine,outcome=failed", 1, 3.1},
	}
	for _, tt := range tests {
		var found bool
		for _, s := range fams[tt.family].GetMetric() {
			if labels(s) != tt.labels {
				continue
			}
			found = true
			if h := s.GetHistogram(); h.GetSampleCount() != tt.count || h.GetSampleSum() != tt.sum {
				t.Errorf("%s{%s}: count %d sum %v, want %d and %v", tt.family, tt.labels, h.GetSampleCount(), h.GetSampleSum(), tt.count, tt.sum)
			}
		}
		if !found {
			t.Errorf("%s{%s}: no samples", tt.family, tt.labels)
		}
	}
}

func TestCreditsAbsentUntilKnown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		credits func() (float64, bool)
		want    string
	}{
		{"not watched", nil, ""},
		{"no reading yet", func() (float64, bool) { return 0, false }, ""},
		{"a reading", func() (float64, bool) { return 7.25, true }, "7.25"},
		{"spent below zero", func() (float64, bool) { return -0.5, true }, "-0.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := metrics.New()
			m.Watch(tt.credits, nil)
			got := ""
			if f := gather(t, m)["dreambot_credits"]; f != nil {
				got = fmt.Sprint(value(f.GetMetric()[0]))
			}
			if got != tt.want {
				t.Errorf("dreambot_credits %q, want %q", got, tt.want)
			}
		})
	}
}

// TestLabelsAreBounded: whatever a caller passes, a family's label values stay within a known
// set, or a bounded number of plain values.
func TestLabelsAreBounded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		observe func(m *metrics.Metrics)
		family  string
		want    map[string]float64
	}{
		{"unknown type and outcome", func(m *metrics.Metrics) { m.Interaction("ping", "imagine", "maybe", 0, false) },
			"dreambot_interactions_total", map[string]float64{"command=imagine,outcome=other,type=other": 1}},
		{"an unprintable command", func(m *metrics.Metrics) { m.Interaction("command", "im\nagine", "ok", 0, false) },
			"dreambot_interactions_total", map[string]float64{"command=other,outcome=ok,type=command": 1}},
		{"an empty command", func(m *metrics.Metrics) { m.Interaction("command", "", "unrouted", 0, false) },
			"dreambot_interactions_total", map[string]float64{"command=none,outcome=unrouted,type=command": 1}},
		{"a thousand commands", func(m *metrics.Metrics) {
			for i := range 1000 {
				m.Interaction("command", fmt.Sprintf("c%03d", i), "ok", 0, false)
			}
		}, "dreambot_interactions_total", nil},
		{"a thousand models", func(m *metrics.Metrics) {
			for i := range 1000 {
				m.Generated(fmt.Sprintf("model-%d", i), "SUCCESS", 0)
			}
		}, "dreambot_generations_total", nil},
		{"an unknown finish reason", func(m *metrics.Metrics) { m.Generated("core", "MAYBE", 0) },
			"dreambot_generations_total", map[string]float64{"finish_reason=other,model=core": 1}},
		{"a status that is not HTTP", func(m *metrics.Metrics) { m.APIError(42, "") },
			"dreambot_api_errors_total", map[string]float64{"name=none,status=other": 1}},
		{"a long error name", func(m *metrics.Metrics) { m.APIError(400, strings.Repeat("x", 500)) },
			"dreambot_api_errors_total", map[string]float64{"name=other,status=400": 1}},
		{"no answer from Discord", func(m *metrics.Metrics) { m.DiscordError("GET /gateway/bot", 0) },
			"dreambot_discord_errors_total", map[string]float64{"route=GET /gateway/bot,status=network": 1}},
		{"a thousand routes", func(m *metrics.Metrics) {
			for i := range 1000 {
				m.DiscordError(fmt.Sprintf("GET /r%d", i), 500)
			}
		}, "dreambot_discord_errors_total", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := metrics.New()
			tt.observe(m)
			got := samples(gather(t, m)[tt.family])
			if tt.want != nil {
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Errorf("samples %v, want %v", got, tt.want)
				}
				return
			}
			// A flood: a bounded number of series, the rest under "other".
			if len(got) > 65 {
				t.Errorf("%d series: the label is not bounded", len(got))
			}
			others := 0.0
			for l, v := range got {
				if strings.Contains(l, "=other") {
					others += v
				}
			}
			if others == 0 || others+float64(len(got)-1) != 1000 {
				t.Errorf("%v under other in %d series, want the overflow of 1000", others, len(got))
			}
		})
	}
}

// TestMetricsText: /metrics answers in Prometheus' text format.
func TestMetricsText(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	observeOneOfEach(m)
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		"# TYPE dreambot_interactions_total counter\n",
		`dreambot_interactions_total{command="imagine",outcome="ok",type="command"} 1` + "\n",
		`dreambot_interaction_ack_seconds_count{command="imagine",outcome="ok"} 1` + "\n",
		`dreambot_generations_total{finish_reason="SUCCESS",model="stable-diffusion-xl-1024-v1-0"} 1` + "\n",
		"dreambot_credits 42.5\n",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q:\n%s", want, body)
		}
	}
	post, err := http.Post(srv.URL+"/metrics", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	post.Body.Close()
	if post.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /metrics: %s, want 405", post.Status)
	}
}
