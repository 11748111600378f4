package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// attempt is one call of discordgo's Open, watched by the connector: which step it waits for,
// for how long, and the connections to close to end it.
type attempt struct {
	// ctx ends when the attempt is given up: a step's timeout or the run context. It is kept
	// here because discordgo dials and fetches the gateway's URL without a context.
	ctx    context.Context
	cancel context.CancelCauseFunc
	timer  *time.Timer
	// stopClosing stops the closing of conns that ctx's end would bring.
	stopClosing func() bool

	// These are guarded by connector.mu.
	waitFor string     // what the attempt waits for, as "waiting for" would end
	gateway string     // the gateway's host:port, once dialled
	conns   []net.Conn // what the attempt dialled
	over    bool       // Open returned: the hooks no longer report
}

// open runs Open, one attempt to connect the gateway, bounding each of its steps by the
// connect timeout and ctx.
func (c *connector) open(ctx context.Context, open func() error) error {
	actx, cancel := context.WithCancelCause(ctx)
	a := &attempt{ctx: actx, cancel: cancel, waitFor: "the gateway's URL"}
	a.timer = time.AfterFunc(c.timeout, func() { c.expire(a) })
	a.stopClosing = context.AfterFunc(actx, func() {
		c.mu.Lock()
		conns := a.conns
		c.mu.Unlock()
		for _, conn := range conns {
			_ = conn.Close() // Open's read or write fails at once
		}
	})
	c.mu.Lock()
	c.cur = a
	c.mu.Unlock()

	err := open()

	a.timer.Stop()
	a.stopClosing()
	c.mu.Lock()
	a.over = true
	if c.cur == a {
		c.cur = nil
	}
	gateway := a.gateway
	c.mu.Unlock()
	cause := context.Cause(actx) // before cancel, which would make it context.Canceled
	cancel(nil)
	switch {
	case err == nil:
		return nil // even if the timer fired just now: a closed connection is a Disconnect
	case cause != nil:
		return cause // the step's timeout, or the run context's end
	}
	return c.explainGateway(err, gateway)
}

// enter records that a now waits for what, and restarts the step's timer.
func (c *connector) enter(a *attempt, what string) {
	c.mu.Lock()
	if a.over {
		c.mu.Unlock()
		return
	}
	a.waitFor = what
	a.timer.Reset(c.timeout)
	c.mu.Unlock()
	c.log.Info("waiting for Discord", "for", what, "timeout", c.timeout)
}

// expire gives a up: its step took longer than the connect timeout.
func (c *connector) expire(a *attempt) {
	c.mu.Lock()
	what := a.waitFor
	c.mu.Unlock()
	a.cancel(&waitError{what: what, waited: c.timeout})
}

// current returns the attempt under way, or nil.
func (c *connector) current() *attempt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cur
}

// dial is the websocket dialer's NetDialContext: it connects within the attempt and watches the
// connection for the next steps.
func (c *connector) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	a := c.current()
	if a == nil { // not from Open: nothing to watch
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	c.mu.Lock()
	a.gateway = addr
	c.mu.Unlock()
	c.enter(a, "the websocket handshake with the gateway at "+addr)
	conn, err := (&net.Dialer{}).DialContext(a.ctx, network, addr)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	a.conns = append(a.conns, conn)
	c.mu.Unlock()
	if a.ctx.Err() != nil { // given up while dialling: conns were closed without this one
		_ = conn.Close()
		return nil, context.Cause(a.ctx)
	}
	return &watchedConn{Conn: conn, c: c, a: a, addr: addr}, nil
}

// Steps of a watched connection.
const (
	handshaking int32 = iota
	awaitingHello
	identified
)

// watchedConn tells the connector when the websocket handshake is over (gorilla clears the
// connection's deadline then, as its last act) and when discordgo has answered HELLO (its
// first write after that, IDENTIFY or RESUME), and the heartbeat interval HELLO asked for,
// which discordgo keeps to itself and Health needs.
type watchedConn struct {
	net.Conn
	c    *connector
	a    *attempt
	addr string
	step atomic.Int32
	// hello is what was read before IDENTIFY or RESUME, HELLO among it, up to maxHello bytes.
	// Only Open's goroutine reads and writes until then, and nothing touches it after.
	hello []byte
}

// maxHello bounds what a watched connection keeps to find HELLO: the handshake's answer
// and HELLO take less than 1 KiB.
const maxHello = 8 << 10

func (w *watchedConn) Read(p []byte) (int, error) {
	n, err := w.Conn.Read(p)
	if w.step.Load() != identified && len(w.hello) < maxHello {
		w.hello = append(w.hello, p[:min(n, maxHello-len(w.hello))]...)
	}
	return n, err
}

func (w *watchedConn) SetDeadline(t time.Time) error {
	if t.IsZero() && w.step.CompareAndSwap(handshaking, awaitingHello) {
		w.c.enter(w.a, "HELLO from the gateway at "+w.addr)
	}
	return w.Conn.SetDeadline(t)
}

func (w *watchedConn) Write(p []byte) (int, error) {
	if w.step.CompareAndSwap(awaitingHello, identified) {
		if d := heartbeatInterval(w.hello); d > 0 {
			w.c.mu.Lock()
			w.c.heartbeat = d
			w.c.mu.Unlock()
		}
		w.hello = nil
		w.c.enter(w.a, "READY or RESUMED from the gateway at "+w.addr)
	}
	return w.Conn.Write(p)
}

// The connection watched is the TCP one under TLS: with wss:// (Discord's own gateway) the bytes
// are encrypted and no interval is found, so Health uses Discord's usual 41.25 s; with ws:// (a
// local proxy, the tests' fake) the HELLO's own interval is read.
//
// heartbeatInterval finds HELLO's heartbeat_interval (milliseconds) in what was read of the
// connection, raw websocket frames: the gateway sends HELLO as uncompressed text. It returns
// zero if there is none.
func heartbeatInterval(read []byte) time.Duration {
	const key = `"heartbeat_interval":`
	i := bytes.Index(read, []byte(key))
	if i < 0 {
		return 0
	}
	var ms int64
	for _, c := range bytes.TrimLeft(read[i+len(key):], " ") {
		if c < '0' || c > '9' || ms > 1<<40 {
			break
		}
		ms = 10*ms + int64(c-'0')
	}
	return time.Duration(ms) * time.Millisecond
}

// gatewayTransport binds GET /gateway, which discordgo's Open sends without a context, to the
// attempt under way, so that the step's timeout and the run context end it.
type gatewayTransport struct {
	c    *connector
	next http.RoundTripper
}

func (t gatewayTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	a := t.c.current()
	if a == nil || req.Method != http.MethodGet || !strings.HasSuffix(req.URL.Path, "/gateway") {
		return t.next.RoundTrip(req)
	}
	t.c.enter(a, "an answer to GET "+t.c.where(req.URL))
	// a.ctx lasts until Open returns, and discordgo has read the body by then.
	resp, err := t.next.RoundTrip(req.WithContext(a.ctx))
	if err != nil || resp.StatusCode != http.StatusTooManyRequests {
		return resp, err
	}
	// discordgo would sleep out a 429 here, holding the session's lock, where no signal can end
	// it: the attempt fails instead, and retry waits in a select on the run context.
	defer resp.Body.Close()
	var body struct {
		RetryAfter float64 `json:"retry_after"`
	}
	_ = json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&body)
	wait := time.Duration(body.RetryAfter * float64(time.Second))
	if secs, perr := strconv.ParseFloat(resp.Header.Get("Retry-After"), 64); perr == nil && wait == 0 {
		wait = time.Duration(secs * float64(time.Second))
	}
	return nil, &rateLimitError{where: t.c.where(req.URL), retryAfter: wait}
}
