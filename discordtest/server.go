package discordtest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a fake Discord: REST under /api/v9 and /api/v10 and a gateway websocket, both on
// 127.0.0.1. Its exported fields are set by NewServer and never change.
type Server struct {
	// URL is the value for DISCORD_API_BASE, such as "http://127.0.0.1:41234".
	URL string
	// GatewayURL is the websocket URL that GET /api/v9/gateway returns.
	GatewayURL string
	// Token is the bot token the fake accepts; requests send it as "Bot <Token>".
	Token string
	// AppID is the application id, which is also the bot user's id.
	AppID string
	// Bot is the bot user.
	Bot User
	// User is the member who triggers injected interactions unless WithUser says otherwise.
	User User
	// GuildID is the guild the bot is in.
	GuildID string
	// ChannelID is the guild's text channel where injected interactions happen.
	ChannelID string
	// OtherChannelID is a second text channel of the guild.
	OtherChannelID string
	// DMChannelID is the DM channel between the bot and User.
	DMChannelID string

	tb    testing.TB
	cfg   config
	clock *Clock
	ids   *snowflakes
	spec  *spec
	http  *httptest.Server
	// routes is the REST route table; read-only.
	routes []*endpoint

	changed notifier
	holds   routeHolds

	// mu guards everything below, and the mutable parts of gateway and the stores.
	mu           sync.Mutex
	closed       bool
	problems     []Problem
	requests     []Request
	faults       []*fault
	commands     map[string][]*command // scope ("" for global, else guild id) -> commands
	channels     map[string]*channel
	interactions map[string]*Interaction // id -> interaction
	byToken      map[string]*Interaction
	files        map[string]servedFile // attachment URL path -> file
	downloads    int                   // attachment downloads served
	gw           gatewayState
}

// NewServer starts a fake Discord on 127.0.0.1 and closes it when tb's test ends. Anything
// the real Discord would refuse fails tb (see Problem and RecordOnly).
func NewServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	sp, err := loadSpec()
	if err != nil {
		tb.Fatalf("discordtest: load openapi description: %v", err)
	}
	clock := NewClock(time.Now().UTC().Truncate(time.Millisecond))
	ids := newSnowflakes(clock)
	s := &Server{
		Token:        "fake." + randomToken(24),
		tb:           tb,
		cfg:          cfg,
		clock:        clock,
		ids:          ids,
		spec:         sp,
		commands:     map[string][]*command{},
		channels:     map[string]*channel{},
		interactions: map[string]*Interaction{},
		byToken:      map[string]*Interaction{},
		files:        map[string]servedFile{},
		routes:       routeTable(),
	}
	s.AppID = ids.next()
	s.Bot = User{ID: s.AppID, Username: "dreambot", Bot: true}
	s.User = User{ID: ids.next(), Username: "tester", GlobalName: "Tester"}
	s.GuildID = ids.next()
	s.ChannelID = ids.next()
	s.OtherChannelID = ids.next()
	s.DMChannelID = ids.next()
	s.channels[s.ChannelID] = &channel{id: s.ChannelID, guildID: s.GuildID, name: "general"}
	s.channels[s.OtherChannelID] = &channel{id: s.OtherChannelID, guildID: s.GuildID, name: "images"}
	s.channels[s.DMChannelID] = &channel{id: s.DMChannelID, recipient: s.User}
	s.gw.init()

	s.http = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.http.URL
	s.GatewayURL = "ws" + strings.TrimPrefix(s.http.URL, "http")
	tb.Cleanup(s.close)
	return s
}

// Clock returns the fake clock that decides when interaction tokens expire.
func (s *Server) Clock() *Clock { return s.clock }

// close stops reporting to tb, drops the gateway and stops the HTTP server.
func (s *Server) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.closeGateway()
	s.http.Close()
}

// serveHTTP sends websocket upgrades to the gateway, everything under /api/ to REST and
// everything under /attachments/ to the CDN.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.serveREST(w, r)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/attachments/") {
		s.serveAttachment(w, r)
		return
	}
	if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		s.serveGateway(w, r)
		return
	}
	s.unknownRoute(w, r)
}
