package bot

import (
	"context"
	"net"
	"net/http"
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
// first write after that, IDENTIFY or RESUME).
type watchedConn struct {
	net.Conn
	c    *connector
	a    *attempt
	addr string
	step atomic.Int32
}

func (w *watchedConn) SetDeadline(t time.Time) error {
	if t.IsZero() && w.step.CompareAndSwap(handshaking, awaitingHello) {
		w.c.enter(w.a, "HELLO from the gateway at "+w.addr)
	}
	return w.Conn.SetDeadline(t)
}

func (w *watchedConn) Write(p []byte) (int, error) {
	if w.step.CompareAndSwap(awaitingHello, identified) {
		w.c.enter(w.a, "READY or RESUMED from the gateway at "+w.addr)
	}
	return w.Conn.Write(p)
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
	return t.next.RoundTrip(req.WithContext(a.ctx))
}
