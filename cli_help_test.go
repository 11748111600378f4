package main

import (
	"runtime/debug"
	"strings"
	"testing"

	"dreambot/dreamstudio/dreamstudiotest"
)

// TestSubcommandHelp asks every subcommand for help in each way the flag package takes: it must
// succeed, print clean help on stdout, and send nothing to the API, though the configuration
// would let it.
func TestSubcommandHelp(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"engines", "imagine", "usage", "version", "healthcheck"} {
		for _, flag := range []string{"-h", "--help", "-help"} {
			t.Run(cmd+" "+flag, func(t *testing.T) {
				t.Parallel()
				api := dreamstudiotest.NewServer(t)
				// A prompt and a flag before -h: help wins, and nothing is made.
				args := []string{cmd, flag}
				if cmd == "imagine" {
					args = []string{cmd, "--engine", "core", "a cat", flag}
				}
				code, out, errOut := runCLI(t, apiEnv(t, api), args...)
				if code != 0 || errOut != "" {
					t.Errorf("exit %d, stderr %q; want 0 and nothing", code, errOut)
				}
				if want := "usage: dreambot " + cmd; !strings.HasPrefix(out, want) {
					t.Errorf("help starts %q, want %q", firstLine(out), want)
				}
				for _, odd := range []string{"(default", "dreambot engines`", "-1"} {
					if strings.Contains(out, odd) {
						t.Errorf("help contains %q:\n%s", odd, out)
					}
				}
				if !strings.Contains(out, "-h, --help") {
					t.Errorf("help does not mention -h:\n%s", out)
				}
				if n := len(api.Requests()); n != 0 {
					t.Errorf("%d requests to the API, want 0", n)
				}
			})
		}
	}
}

func TestImagineHelpNamesEveryFlag(t *testing.T) {
	t.Parallel()
	_, out, _ := runCLI(t, nil, "imagine", "-h")
	for _, want := range []string{"--engine id", "DEFAULT_ENGINE", "--size size", "--negative prompt", "--seed seed",
		"--steps n", "--cfg-scale number", "--sampler sampler", "--style preset"} {
		if !strings.Contains(out, want) {
			t.Errorf("imagine -h does not show %q:\n%s", want, out)
		}
	}
}

func TestMisuseExits2(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"engines", "extra"}, `unexpected argument "extra"`},
		{[]string{"usage", "--verbose"}, "flag provided but not defined"},
		{[]string{"version", "now"}, `unexpected argument "now"`},
		{[]string{"imagine", "--steps", "many", "a cat"}, "invalid value"},
		{[]string{"imagine", "--cfg-scale", "high", "a cat"}, "not a number"},
		{[]string{"imagine", "--engine", "core"}, "no prompt given"},
		{[]string{"imagine", "--seed", "4294967296", "a cat"}, "--seed must be from 0 to 4294967295"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			api := dreamstudiotest.NewServer(t)
			code, out, errOut := runCLI(t, apiEnv(t, api), tt.args...)
			if code != 2 || out != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
			}
			if !strings.Contains(errOut, tt.want) || !strings.Contains(errOut, "-h' for help") {
				t.Errorf("stderr %q; want %q and how to get help", errOut, tt.want)
			}
			if n := len(api.Requests()); n != 0 {
				t.Errorf("%d requests to the API, want 0", n)
			}
		})
	}
}

func TestVersionCommand(t *testing.T) {
	t.Parallel()
	for _, arg := range []string{"version", "--version", "-version"} {
		t.Run(arg, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCLI(t, nil, arg)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			info, _ := debug.ReadBuildInfo()
			if out != versionText(info, "") || !strings.HasPrefix(out, "dreambot ") {
				t.Errorf("printed %q, want %q", out, versionText(info, ""))
			}
		})
	}
}

func TestVersionText(t *testing.T) {
	t.Parallel()
	vcs := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	tests := []struct {
		name    string
		info    debug.BuildInfo
		stamped string
		want    string
	}{
		{"tagged, clean", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"},
			Settings: vcs("-trimpath", "true", "vcs.revision", "95218b6f", "vcs.time", "2025-11-28T10:38:00Z", "vcs.modified", "false")}, "",
			"dreambot v1.4.0\nrevision 95218b6f (2025-11-28T10:38:00Z)\nbuilt with go1.26.8\n"},
		{"local changes", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20251128103800-95218b6f+dirty"},
			Settings: vcs("vcs.revision", "95218b6f", "vcs.modified", "true")}, "ignored: the VCS knows",
			"dreambot v0.0.0-20251128103800-95218b6f+dirty\nrevision 95218b6f + local changes\nbuilt with go1.26.8\n"},
		{"no repository", debug.BuildInfo{GoVersion: "go1.26.8"}, "",
			"dreambot (devel)\nrevision unknown (built without VCS information)\nbuilt with go1.26.8\n"},
		{"no repository, stamped (the Docker image)", debug.BuildInfo{GoVersion: "go1.26.8"}, "95218b6f",
			"dreambot (devel)\nrevision 95218b6f (stamped at build)\nbuilt with go1.26.8\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := versionText(&tt.info, tt.stamped); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
