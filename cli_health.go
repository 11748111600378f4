package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"dreambot/config"
)

// healthTimeout bounds `dreambot healthcheck`: a container's HEALTHCHECK gives it 30 s by default,
// but a bot that takes more than a few seconds to say it is well is not.
const healthTimeout = 3 * time.Second

// maxHealthBody bounds what is read of /healthz's answer: one line.
const maxHealthBody = 1 << 10

// runHealthcheck asks the bot's /healthz, at METRICS_ADDR, and returns why it is not healthy.
func runHealthcheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := command{name: "healthcheck",
		about: "Asks the running bot whether it is healthy, at http://METRICS_ADDR/healthz: exits 0 when it is\n" +
			"(connected to Discord, its database readable), 1 when it is not or does not answer, saying why.\n" +
			"For a container's HEALTHCHECK, which has no curl. Needs METRICS_ADDR, as the bot has it."}
	if err := cmd.noArgs(args, stdout, stderr); err != nil {
		return err
	}
	cfg, err := loadConfig(getenv, func(c config.Config) error {
		if c.MetricsAddr == "" {
			return errors.New("METRICS_ADDR is not set, so the bot serves no health check: " +
				"set it (such as 127.0.0.1:9090) for the bot and for this command")
		}
		return nil
	})
	if err != nil {
		return err
	}
	u, err := healthURL(cfg.MetricsAddr)
	if err != nil {
		return err
	}
	reason, err := askHealth(ctx, u)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, reason)
	return nil
}

// healthURL is where a bot listening on addr answers health checks: on this machine, when addr
// is every interface (":9090", "0.0.0.0:9090").
func healthURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("METRICS_ADDR: %w", err)
	}
	if port == "0" {
		return "", errors.New("METRICS_ADDR's port is 0: the bot picked a port of its own (see its log line \"metrics listening\"); " +
			"give it a fixed one to check it")
	}
	switch ip := net.ParseIP(host); {
	case host == "" || ip != nil && ip.To4() != nil && ip.IsUnspecified():
		host = "127.0.0.1"
	case ip != nil && ip.IsUnspecified():
		host = "::1"
	}
	return (&url.URL{Scheme: "http", Host: net.JoinHostPort(host, port), Path: "/healthz"}).String(), nil
}

// askHealth asks u and returns the bot's one line when it is healthy, or an error with its reason
// when it is not, or does not answer.
func askHealth(ctx context.Context, u string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	// The bot is on this machine or a private network: never through a proxy.
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if ctx.Err() != nil {
			err = fmt.Errorf("no answer within %s", healthTimeout)
		}
		return "", fmt.Errorf("unhealthy: %s does not answer: %w (is the bot running, with the same METRICS_ADDR?)", u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxHealthBody))
	line := strings.Join(strings.Fields(string(body)), " ")
	switch resp.StatusCode {
	case http.StatusOK:
		return line, nil
	case http.StatusServiceUnavailable:
		return "", fmt.Errorf("unhealthy: %s", line)
	}
	return "", fmt.Errorf("unhealthy: %s answered %s, not the bot's health check", u, resp.Status)
}
