package commands_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/dreamstudio/dreamstudiotest"
)

// BenchmarkFiftyAtOnce sends 50 /imagine at once, from 50 members of one
// server, through the whole path (router, rate limits, job queue on SQLite,
// the API budget, the worker, the fake API with a fixed latency) and
// reports the wall time until the last image was delivered as a multiple
// of one generation's latency (x-one-image). The budget (100 requests per
// 10 s) lets all 50 start at once, so it should stay close to 1.
func BenchmarkFiftyAtOnce(b *testing.B) {
	const latency = 3 * time.Second // as measured in the issue
	cfg := defaultConfig()
	cfg.GuildBurst = 1000
	var worst time.Duration
	for b.Loop() {
		b.StopTimer()
		e := newEnv(b, cfg, dreamstudiotest.WithLatency(latency))
		// Warm the engine list, as a running bot has.
		e.handle(b, interaction(b, "imagine_guild.json", asMember("700000000000000000")))
		var ins []*discordgo.Interaction
		for i := range 50 {
			ins = append(ins, interaction(b, "imagine_guild.json", both(asMember(strconv.Itoa(800000000000000000+i)), withID(i))))
		}
		b.StartTimer()
		start := time.Now()
		var wg sync.WaitGroup
		for _, in := range ins {
			wg.Go(func() {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				e.router.Handle(ctx, e.rec, in)
			})
		}
		wg.Wait()
		e.settle(b)
		worst = max(worst, time.Since(start))
	}
	b.ReportMetric(float64(worst)/float64(latency), "x-one-image")
}
