package config_test

import (
	"strings"
	"testing"

	"dreambot/config"
)

func TestMetricsAddr(t *testing.T) {
	t.Parallel()
	tests := []struct {
		value, want string
		bad         bool
	}{
		{"", "", false},
		{"127.0.0.1:9090", "127.0.0.1:9090", false},
		{":9090", ":9090", false},
		{"[::1]:9090", "[::1]:9090", false},
		{"127.0.0.1:0", "127.0.0.1:0", false}, // a free port, logged at start
		{"9090", "", true},
		{"localhost:http", "", true},
		{"127.0.0.1:70000", "", true},
		{"http://127.0.0.1:9090", "", true},
	}
	for _, tt := range tests {
		c, err := config.Load(env(map[string]string{"METRICS_ADDR": tt.value}))
		if bad := err != nil; bad != tt.bad || c.MetricsAddr != tt.want {
			t.Errorf("METRICS_ADDR=%q: got %q, %v; want %q, error %v", tt.value, c.MetricsAddr, err, tt.want, tt.bad)
		}
		if err != nil && !strings.Contains(err.Error(), "METRICS_ADDR") {
			t.Errorf("METRICS_ADDR=%q: the error does not name the variable: %v", tt.value, err)
		}
	}
}
