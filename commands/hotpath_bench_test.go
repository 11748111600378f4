package commands_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/budget"
	"dreambot/catalog"
	"dreambot/commands"
	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
	"dreambot/jobs"
	"dreambot/sqlite"
)

// hotPath is the stack an interaction crosses before its first answer:
// the gateway payload decoded as discordgo decodes it, the router with the
// middleware dreambot uses, the handlers with the settings in SQLite, and
// the bot's own REST session sending the callback to an httptest server.
// Jobs go to a fake queue that only counts them: the real one (River on
// SQLite) is benchmarked in ./jobs and would dominate.
type hotPath struct {
	router    *bot.Router
	rest      bot.REST
	callbacks atomic.Int64
}

func newHotPath(b *testing.B) *hotPath {
	b.Helper()
	api := dreamstudiotest.NewServer(b)
	client, err := dreamstudio.New(api.URL, api.Key, dreamstudio.WithHTTPClient(api.Client()))
	if err != nil {
		b.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "dreambot.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	cfg := defaultConfig()
	cfg.UserEvery, cfg.UserBurst, cfg.GuildBurst = time.Nanosecond, 1<<30, 1<<30
	log := slog.New(slog.DiscardHandler)
	set := commands.New(cfg, commands.Deps{
		Engines: catalog.New(client, time.Hour), Store: db, Queue: &countingQueue{},
		Turns: budget.New(100, 10*time.Second),
	}, log)
	router := bot.NewRouter(log, commands.Describe)
	router.Use(bot.Recover(log), bot.Log(log))
	set.Register(router)

	h := &hotPath{router: router}
	discord := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/callback") {
			http.Error(w, "not a callback", http.StatusNotFound)
			return
		}
		h.callbacks.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	b.Cleanup(discord.Close)
	bt, err := bot.New(bot.Options{Token: "bot-token", APIBase: discord.URL, Router: router, Logger: log})
	if err != nil {
		b.Fatal(err)
	}
	h.rest = bt.REST()
	return h
}

// payload reads a real interaction from testdata, as the gateway's "d".
func payload(b *testing.B, file string) []byte {
	b.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

// serve does what the bot does with an INTERACTION_CREATE: discordgo
// decodes "d" into an InteractionCreate, and the router answers it (the
// bot's dispatch adds only a shutdown check around Router.Handle).
func (h *hotPath) serve(b *testing.B, raw []byte) {
	ic := &discordgo.InteractionCreate{}
	if err := json.Unmarshal(raw, ic); err != nil {
		b.Fatal(err)
	}
	h.router.Handle(context.Background(), h.rest, ic.Interaction)
}

func (h *hotPath) bench(b *testing.B, file string) {
	raw := payload(b, file)
	h.serve(b, raw) // warm the engine list and the connections
	before := h.callbacks.Load()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		h.serve(b, raw)
	}
	b.StopTimer()
	if got := h.callbacks.Load() - before; got != int64(b.N) {
		b.Fatalf("%d callbacks for %d interactions", got, b.N)
	}
}

// BenchmarkAcknowledgeImagine is one /imagine from payload to deferral.
func BenchmarkAcknowledgeImagine(b *testing.B) {
	newHotPath(b).bench(b, "imagine_guild.json")
}

// BenchmarkAutocompleteEngine is one keystroke in the engine option, from
// payload to the choices sent.
func BenchmarkAutocompleteEngine(b *testing.B) {
	newHotPath(b).bench(b, "autocomplete_engine.json")
}

// BenchmarkBurst sends 1000 interactions at once, half /imagine and half
// autocomplete, and reports the peak of the heap in use and of the heap
// obtained from the OS, sampled every 100 µs while they run.
func BenchmarkBurst(b *testing.B) {
	h := newHotPath(b)
	imagine, complete := payload(b, "imagine_guild.json"), payload(b, "autocomplete_engine.json")
	h.serve(b, imagine)
	var peakInuse, peakSys uint64
	for b.Loop() {
		runtime.GC()
		stop := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			t := time.NewTicker(100 * time.Microsecond)
			defer t.Stop()
			var m runtime.MemStats
			for {
				runtime.ReadMemStats(&m)
				peakInuse, peakSys = max(peakInuse, m.HeapInuse), max(peakSys, m.HeapSys)
				select {
				case <-stop:
					return
				case <-t.C:
				}
			}
		}()
		var wg sync.WaitGroup
		for i := range 1000 {
			raw := imagine
			if i%2 == 1 {
				raw = complete
			}
			wg.Go(func() { h.serve(b, raw) })
		}
		wg.Wait()
		close(stop)
		<-sampled
	}
	b.ReportMetric(float64(peakInuse)/(1<<20), "peak-heap-inuse-MiB")
	b.ReportMetric(float64(peakSys)/(1<<20), "peak-heap-sys-MiB")
}

// countingQueue is a Queue that accepts every job and keeps none; any other
// call panics on the nil interface it embeds.
type countingQueue struct {
	commands.Queue
	n atomic.Int64
}

func (q *countingQueue) Enqueue(context.Context, string, string, []byte) (int64, error) {
	return q.n.Add(1), nil
}

func (q *countingQueue) Pending(context.Context, string) ([]jobs.Job, error) { return nil, nil }
