package commands_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/bot/bottest"
	"dreambot/catalog"
	"dreambot/commands"
	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
	"dreambot/generate"
	"dreambot/images"
	"dreambot/sqlite"
)

// env is the whole /imagine stack (router, middleware, handlers, engine
// cache, generator, API client) against the fake Stability server, with a
// recorder in Discord's place.
type env struct {
	api    *dreamstudiotest.Server
	rec    *bottest.Recorder
	router *bot.Router
	dir    string
	db     *sqlite.DB
}

func newEnv(t *testing.T, cfg commands.Config, opts ...dreamstudiotest.Option) *env {
	t.Helper()
	api := dreamstudiotest.NewServer(t, opts...)
	client, err := dreamstudio.New(api.URL, api.Key, dreamstudio.WithHTTPClient(api.Client()))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	saver, err := images.NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "dreambot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log := slog.New(slog.DiscardHandler)
	set := commands.New(cfg, commands.Deps{
		Engines: catalog.New(client, time.Hour), Generator: generate.New(client, saver, log), Store: db, History: db, Balance: client,
	}, log)
	router := bot.NewRouter(log, commands.Describe)
	router.Use(bot.Recover(log))
	set.Register(router)
	return &env{api: api, rec: bottest.NewRecorder(), router: router, dir: dir, db: db}
}

// interaction loads a real interaction payload from testdata and lets the
// test change it before it is decoded the way discordgo decodes it.
func interaction(t *testing.T, file string, edit func(m map[string]any)) *discordgo.Interaction {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(m)
	}
	if raw, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	var in discordgo.Interaction
	if err := json.Unmarshal(raw, &in); err != nil {
		t.Fatalf("decoding %s: %v", file, err)
	}
	return &in
}

// withOptions replaces the command's options: name, value pairs; a value
// of nil leaves the option out.
func withOptions(kv ...any) func(map[string]any) {
	return func(m map[string]any) {
		var opts []any
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == nil {
				continue
			}
			opts = append(opts, map[string]any{"name": kv[i], "type": 3, "value": kv[i+1]})
		}
		m["data"].(map[string]any)["options"] = opts
	}
}

// asMember changes the member (and user) id of an interaction.
func asMember(id string) func(map[string]any) {
	return func(m map[string]any) {
		if mem, ok := m["member"].(map[string]any); ok {
			mem["user"].(map[string]any)["id"] = id
		}
		if u, ok := m["user"].(map[string]any); ok {
			u["id"] = id
		}
	}
}

func both(fs ...func(map[string]any)) func(map[string]any) {
	return func(m map[string]any) {
		for _, f := range fs {
			f(m)
		}
	}
}

func (e *env) handle(t *testing.T, in *discordgo.Interaction) []bottest.Call {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e.router.Handle(ctx, e.rec, in)
	calls := e.rec.Calls()
	for _, c := range calls {
		if strings.Contains(c.Content, e.api.Key) {
			t.Fatalf("the API key appears in a message: %q", c.Content)
		}
	}
	return calls
}

// last returns the final message the member saw.
func last(t *testing.T, calls []bottest.Call) bottest.Call {
	t.Helper()
	if len(calls) == 0 {
		t.Fatal("the bot sent nothing")
	}
	return calls[len(calls)-1]
}

func savedFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func ephemeral(c bottest.Call) bool { return c.Flags&discordgo.MessageFlagsEphemeral != 0 }

func defaultConfig() commands.Config {
	return commands.Config{UserEvery: 20 * time.Second, UserBurst: 2, GuildEvery: time.Second, GuildBurst: 100}
}
