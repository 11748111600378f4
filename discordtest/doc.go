// Package discordtest is a strict fake Discord for end-to-end tests of the bot, in the spirit
// of net/http/httptest: NewServer starts REST (under /api/v9 and /api/v10) and a gateway
// websocket on 127.0.0.1, and closes them when the test ends.
//
// # Pointing the bot at it
//
// Set DISCORD_API_BASE to Server.URL and the bot token to Server.Token. The bot gives its
// discordgo session an http.Client whose Transport rewrites the scheme and host of every
// request (discordgo builds https://discord.com/api/v9/... URLs). The gateway URL then comes
// from the fake's GET /api/v9/gateway, which names the fake's own websocket.
//
// # An end-to-end test
//
//	srv := discordtest.NewServer(t)
//	t.Setenv("DISCORD_API_BASE", srv.URL)
//	// ... start the bot with token srv.Token; it registers its commands and opens the gateway.
//	ctx := context.Background() // or one with a deadline
//	if err := srv.WaitReady(ctx); err != nil { t.Fatal(err) }
//	it := srv.Inject(discordtest.SlashCommand("imagine",
//		discordtest.WithOption("prompt", "a lighthouse"), discordtest.WithPermissions(1<<11)))
//	resp, err := it.WaitResponse(ctx) // resp.Type == 5: the bot deferred
//	msg, err := it.WaitOriginal(ctx, func(m *discordtest.Message) bool { return !m.Loading() })
//	// msg.Attachments[0].Data holds the PNG the bot uploaded.
//
// Commands must be registered (by the bot, in the guild or globally) before a SlashCommand
// or Autocomplete that names them is injected, as Discord only sends registered commands.
// InDM makes an interaction come from the bot's DM (a "user", no "member"); ComponentClick
// clicks a button, on a message given with OnMessage or on a new one; RawInteraction sends
// any JSON, with id, token and application_id filled in. Each injection gets a fresh
// snowflake id and token.
//
// # Attachments
//
// AddAttachment stores a file as a member uploads it to a command's attachment option, and
// WithAttachment gives it to an injected command (an option of type 11 and the object in
// data.resolved.attachments); WithAttachmentURL puts another url in that object, for hosts
// the bot must refuse. The fake serves attachments, and those of the bot's own messages, on
// its own host at /attachments/<channel id>/<attachment id>/<filename>?ex=&is=&hm=, as
// Discord's CDN does: 404 for an unknown path or once the fake clock passes the 24-hour
// expiry, and a Problem for a known path whose signature was dropped. AttachmentDownloads
// counts the files served, so a test can check that nothing was fetched.
//
// # Strictness
//
// Every REST request is checked as Discord would: the bot token (401), the route (any route
// the fake does not serve answers 404 and fails the test, naming it), the body against
// Discord's OpenAPI description (testdata/openapi.json, embedded), and the rules the
// description misses: command and option names (^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$,
// lower case), descriptions of 1-100 characters, at most 25 options and choices, choice names
// of 1-100 characters, required options first, attachment options (type 11) with only a name,
// a description and required, message content of at most 2000 characters,
// at most 10 files, custom_id of at most 100 characters, PNG content for files named *.png,
// the callback types each interaction type allows (autocomplete: 8; commands: 4, 5, 9;
// components: 4-7, 9), one callback per interaction (40060), the first callback within 3 s
// of delivery (real time; later ones get 404 10062), no empty messages (50006). An invalid
// body gets Discord's 400 {"code":50035,"message":"Invalid Form Body","errors":{...}}.
//
// Each refusal is a Problem: it fails the test with t.Errorf, unless the server was created
// with RecordOnly, for tests that send bad requests on purpose and then check Problems.
//
// discordgo sends default_member_permissions as a string; Discord accepts that, so the fake
// turns it into the integer the description requires before validating. Multipart bodies
// are split by hand: payload_json is validated as the route's JSON body and files[n] parts
// are checked for count, size and PNG signature.
//
// # Time
//
// The 3-second rule uses real time, measured from the moment INTERACTION_CREATE was written
// to the bot's connection (or from the injection, when no connection received it):
// Interaction.AckLatency reports it. The 15-minute life of interaction tokens uses the fake
// Clock: after srv.Clock().Advance(15*time.Minute), webhook calls with the token answer 401
// 50027 "Invalid Webhook Token" and the callback 404 10062. Those answers, and those of the
// fault knobs, are what Discord does to a correct bot, so they do not fail the test.
//
// # Fault knobs
//
// FailNext answers the next n requests of a route (see the Route constants) with a 429
// (RateLimited, GloballyRateLimited: retry_after in the body and X-RateLimit-* headers), a
// 5xx (ServerError) or 413 40005 (TooLarge). DropGateway closes the gateway connection
// without a close frame; the bot reconnects and RESUMEs, and the dispatches it missed are
// replayed before RESUMED. To inject while the bot is surely disconnected:
//
//	release := srv.HoldGateway() // new connections wait
//	srv.DropGateway()
//	it := srv.Inject(discordtest.SlashCommand("imagine", discordtest.WithOption("prompt", "x")))
//	release()
//	err := srv.WaitResumed(ctx) // the bot has it now
//
// discordgo v0.29 waits one second inside Close before reconnecting, and another second in
// Close when a test ends: tests that open the gateway take about a second each, so mark
// them t.Parallel. discordgo v0.29 resumes on the URL it first connected to, not on READY's
// resume_gateway_url; the fake serves both.
//
// # Observing
//
// Requests lists every REST request (route, status, JSON or payload_json, files) and
// WaitRequest waits for one; Commands lists the commands of a scope; Messages lists a
// channel's messages with attachment bytes; GatewayStats, WaitGateway, WaitReady and
// WaitResumed follow the gateway. Waits use the server's change notifications, never polling.
//
// The OpenAPI description is parsed once per test binary (about 0.3 s, 1.5 s under -race);
// SpecLoadTime reports how long it took.
package discordtest
