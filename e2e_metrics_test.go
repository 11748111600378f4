package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"dreambot/discordtest"
)

// metricsAddr waits for the bot's "metrics listening" line and returns the address in it.
func metricsAddr(ctx context.Context, t *testing.T, e *e2e) string {
	t.Helper()
	if err := e.logs.waitFor(ctx, `msg="metrics listening"`); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`msg="metrics listening" addr=(\S+)`).FindStringSubmatch(e.logs.String())
	if m == nil {
		t.Fatalf("no address in the logs:\n%s", e.logs)
	}
	return m[1]
}

func httpGet(ctx context.Context, t *testing.T, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
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

// TestE2EMetricsAndHealth: with METRICS_ADDR set, one /imagine shows in /metrics (the
// interaction, its acknowledgement, the generation by engine, the bytes saved), /healthz says
// ok, and `dreambot healthcheck` agrees with it; against a closed port it fails.
func TestE2EMetricsAndHealth(t *testing.T) {
	t.Parallel()
	e := startBot(t, map[string]string{"METRICS_ADDR": "127.0.0.1:0"})
	ctx := ctxFor(t)
	addr := metricsAddr(ctx, t, e)

	it := e.discord.Inject(discordtest.SlashCommand("imagine",
		discordtest.WithOption("prompt", "a lighthouse"), discordtest.WithOption("engine", "stable-diffusion-xl-1024-v1-0")))
	msg, err := it.WaitOriginal(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	saved, err := os.Stat(savedPath(t, msg.Content))
	if err != nil {
		t.Fatal(err)
	}

	code, body := httpGet(ctx, t, "http://"+addr+"/metrics")
	if code != 200 {
		t.Fatalf("/metrics: %d\n%s", code, body)
	}
	for _, want := range []string{
		`dreambot_interactions_total{command="imagine",outcome="ok",type="command"} 1` + "\n",
		`dreambot_interaction_ack_seconds_count{command="imagine",outcome="ok"} 1` + "\n",
		`dreambot_generations_total{finish_reason="SUCCESS",model="stable-diffusion-xl-1024-v1-0"} 1` + "\n",
		"dreambot_job_wait_seconds_count 1\n",
		fmt.Sprintf("dreambot_image_bytes_saved_total %d\n", saved.Size()),
		// Gauges, whose values move: the job may still be finishing, the balance is the fake's.
		"\ndreambot_jobs_waiting ", "\ndreambot_jobs_running ", "\ndreambot_credits ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	for _, line := range strings.Split(body, "\n") {
		if line != "" && !strings.HasPrefix(line, "#") && !strings.HasPrefix(line, "dreambot_") {
			t.Errorf("a sample without the dreambot_ prefix: %s", line)
		}
		for _, id := range []string{e.discord.GuildID, it.ChannelID()} {
			if strings.Contains(line, id) {
				t.Errorf("an id in a label: %s", line)
			}
		}
	}

	if err := e.logs.waitFor(ctx, `msg="connected to Discord"`); err != nil { // READY was handled
		t.Fatal(err)
	}
	if code, body := httpGet(ctx, t, "http://"+addr+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz: %d %q, want 200 ok", code, body)
	}
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	tests := []struct {
		name string
		addr string
		code int
		out  string
	}{
		{"the bot", addr, 0, "ok\n"},
		{"a closed port", closed.Addr().String(), 1, ""},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCLI(t, map[string]string{"METRICS_ADDR": tt.addr}, "healthcheck")
		if code != tt.code || stdout != tt.out {
			t.Errorf("healthcheck against %s: exit %d, stdout %q, stderr %q; want %d, %q", tt.name, code, stdout, stderr, tt.code, tt.out)
		}
	}

	// The server stops with the bot.
	e.stop()
	code = <-e.exited
	e.exited <- code // for the cleanup
	if conn, err := net.Dial("tcp", addr); err == nil {
		conn.Close()
		t.Errorf("metrics still served at %s after the bot stopped", addr)
	}
}
