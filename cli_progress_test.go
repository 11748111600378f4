package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"dreambot/dreamstudio/dreamstudiotest"
)

// fakeTerminal is stderr on a terminal: a character device, which the test reads while the
// command writes to it.
type fakeTerminal struct{ lockedBuffer }

func (f *fakeTerminal) Stat() (os.FileInfo, error) { return charDevice{}, nil }

type charDevice struct{ os.FileInfo }

func (charDevice) Mode() fs.FileMode { return fs.ModeDevice | fs.ModeCharDevice | 0o620 }

func TestIsTerminal(t *testing.T) {
	t.Parallel()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	file, err := os.Create(t.TempDir() + "/log")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { file.Close() })
	tests := []struct {
		name string
		w    io.Writer
		want bool
	}{
		{"a terminal", &fakeTerminal{}, true},
		{"a pipe", w, false},
		{"a file", file, false},
		{"a buffer", &bytes.Buffer{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isTerminal(tt.w); got != tt.want {
				t.Errorf("isTerminal = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestProgressRedrawsEachTick drives the ticker by hand: one line per tick, the elapsed time
// taken from the tick, and the line cleared at the end with nothing written after.
func TestProgressRedrawsEachTick(t *testing.T) {
	t.Parallel()
	start := time.Date(2025, 11, 28, 10, 0, 0, 0, time.UTC)
	ticks := make(chan time.Time)
	stopped := false
	var out bytes.Buffer
	p := &progress{w: &out, now: func() time.Time { return start },
		every: func() (<-chan time.Time, func()) { return ticks, func() { stopped = true } }}

	done := p.wait("waiting for Stability")
	ticks <- start.Add(1 * time.Second)
	ticks <- start.Add(12*time.Second + 900*time.Millisecond)
	done()

	want := "\r\x1b[Kwaiting for Stability (0 s)…" + "\r\x1b[Kwaiting for Stability (1 s)…" +
		"\r\x1b[Kwaiting for Stability (12 s)…" + "\r\x1b[K"
	if got := out.String(); got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
	if !stopped {
		t.Error("the ticker was not stopped")
	}
}

func TestProgressLetsLogLinesThrough(t *testing.T) {
	t.Parallel()
	start := time.Date(2025, 11, 28, 10, 0, 0, 0, time.UTC)
	ticks := make(chan time.Time)
	var out bytes.Buffer
	p := &progress{w: &out, now: func() time.Time { return start },
		every: func() (<-chan time.Time, func()) { return ticks, func() {} }}
	fmt.Fprint(p, "before\n") // no progress line yet: passed through as is
	done := p.wait("waiting")
	fmt.Fprint(p, "level=WARN msg=retrying\n")
	done()
	fmt.Fprint(p, "after\n")
	want := "before\n" + "\r\x1b[Kwaiting (0 s)…" + "\r\x1b[Klevel=WARN msg=retrying\nwaiting (0 s)…" + "\r\x1b[K" + "after\n"
	if got := out.String(); got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
}

func TestNoProgressWhenNotATerminal(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	p := newProgress(&out)
	if p != nil {
		t.Fatalf("newProgress on a buffer = %+v, want nil", p)
	}
	p.wait("waiting for Stability")()
	if out.Len() != 0 {
		t.Errorf("wrote %q to a buffer", out.String())
	}
}

// TestImagineProgress holds the generation at the fake API and reads stderr meanwhile: on a
// terminal it says what the command waits for, when piped it says nothing.
func TestImagineProgress(t *testing.T) {
	t.Parallel()
	for _, terminal := range []bool{true, false} {
		name := map[bool]string{true: "terminal", false: "piped"}[terminal]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			api := dreamstudiotest.NewServer(t)
			release := api.Hold()
			var stderr interface {
				Write([]byte) (int, error)
				String() string
			} = &fakeTerminal{}
			if !terminal {
				stderr = &lockedBuffer{}
			}
			var stdout bytes.Buffer
			env := apiEnv(t, api)
			code := make(chan int, 1)
			go func() {
				code <- run(context.Background(), []string{"imagine", "--engine", "core", "a lighthouse"},
					func(k string) string { return env[k] }, &stdout, stderr)
			}()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := api.WaitHeld(ctx, 1); err != nil {
				t.Fatal(err)
			}
			waiting := stderr.String()
			release()
			if c := <-code; c != 0 {
				t.Fatalf("exit %d, stderr %q", c, stderr.String())
			}
			shows := strings.Contains(waiting, "\r\x1b[Kwaiting for Stability to make the image (0 s)…")
			if shows != terminal {
				t.Errorf("while generating, stderr %q; want progress: %v", waiting, terminal)
			}
			final := stderr.String()
			if terminal && (!strings.Contains(final, "waiting for Stability's engine list") || !strings.HasSuffix(final, "\r\x1b[K")) {
				t.Errorf("stderr %q: want the engine list's wait, and the line cleared at the end", final)
			}
			if !terminal && strings.ContainsAny(final, "\r\x1b…") {
				t.Errorf("piped stderr %q, want no progress (logs only)", final)
			}
			if lines := strings.Split(strings.TrimSpace(stdout.String()), "\n"); !strings.HasSuffix(lines[len(lines)-1], ".png") {
				t.Errorf("stdout %q does not end with the image's path", stdout.String())
			}
		})
	}
}

// lockedBuffer is stderr as a pipe: not a terminal.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
