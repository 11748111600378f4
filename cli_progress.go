package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progress tells an operator at a terminal what the shell is waiting for and for how long, on
// one line redrawn about once a second. A nil *progress shows nothing: stderr is a pipe or a
// file, where redrawn lines would be noise.
type progress struct {
	w   io.Writer
	now func() time.Time
	// mu guards line, the progress line on the terminal now ("" when none), and writes to w.
	mu   sync.Mutex
	line string
	// every returns a ticker's channel and its Stop.
	every func() (<-chan time.Time, func())
}

// newProgress returns a progress on w if w is a terminal, else nil.
func newProgress(w io.Writer) *progress {
	if !isTerminal(w) {
		return nil
	}
	return &progress{w: w, now: time.Now, every: func() (<-chan time.Time, func()) {
		t := time.NewTicker(time.Second)
		return t.C, t.Stop
	}}
}

// isTerminal reports whether w is a character device (a terminal) rather than a pipe or a file.
// Anything with Stat, *os.File first, can say.
func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Stat() (os.FileInfo, error) })
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// wait shows "what (N s)…" from now until done is called, which clears the line (so that what
// follows on the terminal starts clean) and returns only once nothing more will be written.
func (p *progress) wait(what string) (done func()) {
	if p == nil {
		return func() {}
	}
	start := p.now()
	show := func(at time.Time) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.line = fmt.Sprintf("%s (%d s)…", what, int(at.Sub(start)/time.Second))
		fmt.Fprint(p.w, "\r\x1b[K"+p.line)
	}
	show(start)
	ticks, stop := p.every()
	quit, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			select {
			case <-quit:
				return
			case at := <-ticks:
				show(at)
			}
		}
	}()
	return func() {
		stop()
		close(quit)
		<-stopped
		p.mu.Lock()
		defer p.mu.Unlock()
		p.line = ""
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// Write passes a log line through: the progress line is cleared before it and drawn again after,
// so that the two never share a line. The shell's logger writes here when progress is shown.
func (p *progress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.line != "" {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
	n, err := p.w.Write(b)
	if p.line != "" {
		fmt.Fprint(p.w, p.line)
	}
	return n, err
}
