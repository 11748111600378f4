package commands_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/bot/bottest"
	"dreambot/budget"
	"dreambot/catalog"
	"dreambot/commands"
	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
	"dreambot/generate"
	"dreambot/images"
	"dreambot/jobs"
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
	queue  *jobs.Queue
	set    *commands.Set
	waits  *jobWaits // what the set told its Observer
	// finished receives the id of every job the worker finished; done
	// keeps those settle has seen.
	finished chan int64
	done     map[int64]bool
}

func newEnv(t testing.TB, cfg commands.Config, opts ...dreamstudiotest.Option) *env {
	t.Helper()
	return newEnvWith(t, cfg, budget.New(100, 10*time.Second), opts...)
}

// newEnvWith is newEnv with the API budget turns (one on a fake clock, say).
func newEnvWith(t testing.TB, cfg commands.Config, turns *budget.Budget, opts ...dreamstudiotest.Option) *env {
	t.Helper()
	api := dreamstudiotest.NewServer(t, opts...)
	client, err := dreamstudio.New(api.URL, api.Key, dreamstudio.WithHTTPClient(api.Client()), dreamstudio.WithLimiter(turns))
	if err != nil {
		t.Fatal(err)
	}
	// As in dreambot, the worker takes a turn before each generation: its
	// client does not wait on the budget again.
	genClient, err := dreamstudio.New(api.URL, api.Key, dreamstudio.WithHTTPClient(api.Client()), dreamstudio.WithLimiter(nil))
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
	queue, err := jobs.Open(context.Background(), jobs.Options{Path: filepath.Join(t.TempDir(), "jobs.db"), MaxPerMember: 4, MaxPerGuild: 50, MaxTotal: 100})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	if os.Getenv("DREAMBOT_TEST_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	waits := &jobWaits{}
	set := commands.New(cfg, commands.Deps{
		Engines: catalog.New(client, time.Hour), Generator: generate.New(genClient, saver, log), Store: db, History: db, Balance: client,
		Queue: queue, Turns: turns, Usage: db, Observer: waits,
	}, log)
	router := bot.NewRouter(log, commands.Describe)
	router.Use(bot.Recover(log))
	set.Register(router)
	e := &env{api: api, rec: bottest.NewRecorder(), router: router, dir: dir, db: db, queue: queue, set: set, waits: waits,
		finished: make(chan int64, 1000), done: map[int64]bool{}}
	w := set.Worker(e.rec)
	if err := queue.Start(context.Background(), workFunc(func(ctx context.Context, j jobs.Job) error {
		err := w.Work(ctx, j)
		e.finished <- j.ID
		return err
	})); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := queue.Stop(ctx); err != nil {
			t.Errorf("stop the queue: %v", err)
		}
		queue.Close()
	})
	return e
}

type workFunc func(ctx context.Context, j jobs.Job) error

func (f workFunc) Work(ctx context.Context, j jobs.Job) error { return f(ctx, j) }

// settle waits until every job queued so far has been worked.
func (e *env) settle(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pending, err := e.queue.Pending(ctx, "*")
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range pending {
		for !e.done[j.ID] {
			select {
			case id := <-e.finished:
				e.done[id] = true
			case <-ctx.Done():
				t.Fatalf("job %d never finished", j.ID)
			}
		}
	}
}

// interaction loads a real interaction payload from testdata and lets the
// test change it before it is decoded the way discordgo decodes it.
func interaction(t testing.TB, file string, edit func(m map[string]any)) *discordgo.Interaction {
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

// withID gives an interaction an id of its own.
func withID(n int) func(map[string]any) {
	return func(m map[string]any) { m["id"] = strconv.Itoa(900000000000000000 + n) }
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

func (e *env) handle(t testing.TB, in *discordgo.Interaction) []bottest.Call {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e.router.Handle(ctx, e.rec, in)
	e.settle(t)
	calls := e.rec.Calls()
	for _, c := range calls {
		if strings.Contains(c.Content, e.api.Key) {
			t.Fatalf("the API key appears in a message: %q", c.Content)
		}
	}
	return calls
}

// send hands in to the router and returns once it is answered or its job
// queued, without waiting for the job.
func (e *env) send(t testing.TB, in *discordgo.Interaction) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e.router.Handle(ctx, e.rec, in)
}

// waitCall waits for a call that match accepts.
func (e *env) waitCall(t testing.TB, what string, match func(bottest.Call) bool) bottest.Call {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		for _, c := range e.rec.Calls() {
			if match(c) {
				return c
			}
		}
		select {
		case <-e.rec.Sent():
		case <-ctx.Done():
			t.Fatalf("never sent %s; calls: %+v", what, e.rec.Calls())
		}
	}
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
	return commands.Config{
		PreferredEngines: []string{"stable-diffusion-xl-1024-v1-0", "stable-diffusion-v1-6"},
		UserEvery:        20 * time.Second, UserBurst: 2, GuildEvery: time.Second, GuildBurst: 100,
		GenerateTimeout: 30 * time.Second, BalanceTTL: time.Minute, QueueNoticeAfter: 2 * time.Second, QueueUpdateEvery: 5 * time.Second,
	}
}
