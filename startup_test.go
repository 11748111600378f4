package main

import (
	"strings"
	"testing"

	"dreambot/dreamstudio/dreamstudiotest"
	"dreambot/writable/writabletest"
)

// TestStartRefusesUnwritableDirs checks that the bot and `dreambot imagine` refuse to start
// when IMAGE_DIR or DATA_DIR cannot be written, naming the variable, the path and the user.
func TestStartRefusesUnwritableDirs(t *testing.T) {
	t.Parallel()
	locked, me := writabletest.LockedDir(t)
	tests := []struct {
		name, dir string
		args      []string
	}{
		{"bot", "DATA_DIR", nil},
		{"bot", "IMAGE_DIR", nil},
		{"imagine", "IMAGE_DIR", []string{"imagine", "a lighthouse"}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" "+tt.dir, func(t *testing.T) {
			t.Parallel()
			api := dreamstudiotest.NewServer(t)
			env := withEnv(apiEnv(t, api), "DISCORD_TOKEN", "unused: the bot stops before connecting")
			env[tt.dir] = locked
			code, _, errOut := runCLI(t, env, tt.args...)
			want := tt.dir + `: user "` + me.Username + `" (uid ` + me.Uid + ") cannot create files in " + locked
			if code != 1 || !strings.Contains(errOut, want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, errOut, want)
			}
			if n := len(api.Requests()); n != 0 {
				t.Errorf("%d API requests before refusing to start, want none", n)
			}
		})
	}
}
