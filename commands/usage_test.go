package commands_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"dreambot/commands"
	"dreambot/usage"
)

const testGuild = "1309000000000000001" // the server of the testdata interactions

func (e *env) record(t *testing.T, rs ...usage.Record) {
	t.Helper()
	for _, r := range rs {
		if err := e.db.RecordUsage(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
}

func TestUsageShowsSpending(t *testing.T) {
	t.Parallel()
	cfg := defaultConfig()
	cfg.DailyCredits = 50
	e := newEnv(t, cfg)
	now := time.Now()
	e.record(t,
		usage.Record{Key: "1", Guild: testGuild, Member: "m1", Engine: "sd3.5-large", Credits: 6.5, At: now},
		usage.Record{Key: "2", Guild: testGuild, Member: "m2", Engine: "stable-diffusion-v1-6", Credits: 0.2, Estimated: true, At: now},
		usage.Record{Key: "2", Guild: testGuild, Member: "m2", Engine: "stable-diffusion-v1-6", Credits: 0.2, Estimated: true, At: now}, // replayed
		usage.Record{Key: "3", Guild: testGuild, Member: "m1", Engine: "sd3.5-large", Credits: 100, At: now.AddDate(0, 0, -40)},
		usage.Record{Key: "4", Guild: "1309000000000000099", Member: "m3", Engine: "sd3.5-large", Credits: 6.5, At: now},
		usage.Record{Member: "m3", Engine: "sd3.5-large", Credits: 6.5, At: now}, // a DM
	)
	got := e.moderate(t, sub([]string{"usage"}))
	for _, want := range []string{
		"Today: 2 images, ≈6.7 credits\n",
		"This week (since Monday): 2 images, ≈6.7 credits\n",
		"This month: 2 images, ≈6.7 credits\n",
		"Daily budget: 50 credits (the bot's default). Left today: ≈43.3 credits.",
		fmt.Sprintf("It resets <t:%d:R>.", usage.NextReset(now).Unix()),
		"some prices are the bot's estimates",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("usage reply does not say %q:\n%s", want, got)
		}
	}
}

// TestUsageCountsImagesMade follows one image from /imagine to the usage
// the moderators read.
func TestUsageCountsImagesMade(t *testing.T) {
	t.Parallel()
	e := newEnv(t, defaultConfig())
	got := e.moderate(t, sub([]string{"usage"}))
	if !strings.Contains(got, "Today: 0 images, 0 credits") || !strings.Contains(got, "Daily budget: none (the bot's default)") {
		t.Errorf("before any image:\n%s", got)
	}
	if msg := last(t, e.handle(t, interaction(t, "imagine_guild.json", nil))); len(msg.Files) != 1 {
		t.Fatalf("no image: %q", msg.Content)
	}
	got = e.moderate(t, sub([]string{"usage"}))
	if !strings.Contains(got, "Today: 1 image, ") || strings.Contains(got, "Today: 1 image, 0 credits") {
		t.Errorf("after an image:\n%s", got)
	}
}

func TestBudgetSetting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		operator float64
		options  []any
		want     string // in the reply
		changed  bool
		budget   string // in /dreamstudio usage afterwards
	}{
		{"set", 0, []any{"credits", 50.0}, "Done: daily budget 50 credits.", true, "Daily budget: 50 credits (set for this server)"},
		{"set a fraction", 20, []any{"credits", 2.5}, "Done: daily budget 2.5 credits.", true, "Daily budget: 2.5 credits (set for this server)"},
		{"reset to none", 0, []any{"reset", true}, "Done: daily budget reset to the bot's default (none).", true, "Daily budget: none (the bot's default)"},
		{"reset to the operator's", 20, []any{"reset", true}, "Done: daily budget reset to the bot's default (20 credits).", true,
			"Daily budget: 20 credits (the bot's default)"},
		{"zero", 20, []any{"credits", 0.0}, "The daily budget must be more than 0 and at most 100000 credits", false,
			"Daily budget: 20 credits (the bot's default)"},
		{"too large (forged)", 0, []any{"credits", 500000.0}, "`credits` must be a number from 0 to 100000.", false,
			"Daily budget: none"},
		{"negative (forged)", 0, []any{"credits", -5.0}, "`credits` must be a number from 0 to 100000.", false, "Daily budget: none"},
		{"not a number (forged)", 0, []any{"credits", "lots"}, "`credits` must be a number", false, "Daily budget: none"},
		{"both", 0, []any{"credits", 5.0, "reset", true}, "Use either `credits` or `reset`, not both.", false, "Daily budget: none"},
		{"neither", 0, nil, "Give the credits this server may spend a day", false, "Daily budget: none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := defaultConfig()
			cfg.DailyCredits = tt.operator
			e := newEnv(t, cfg)
			got := e.moderate(t, sub([]string{"budget"}, tt.options...))
			if !strings.Contains(strings.ToLower(got), strings.ToLower(tt.want)) {
				t.Errorf("reply %q, want it to say %q", got, tt.want)
			}
			want := 0
			if tt.changed {
				want = 1
			}
			if n := e.audits(t); n != want {
				t.Errorf("%d changes recorded, want %d", n, want)
			}
			if got := e.moderate(t, sub([]string{"usage"})); !strings.Contains(got, tt.budget) {
				t.Errorf("usage afterwards:\n%s\nwant it to say %q", got, tt.budget)
			}
		})
	}
}

func TestBudgetRefusesImages(t *testing.T) {
	t.Parallel()
	cfg := defaultConfig()
	cfg.AllowDMs = true
	cfg.DailyCredits = 1
	e := newEnv(t, cfg)
	now := time.Now()
	e.record(t,
		usage.Record{Key: "1", Guild: testGuild, Member: "m1", Engine: "sd3.5-large", Credits: 1, At: now},
		// DMs have the operator's budget, per member: another member's spending is not this one's.
		usage.Record{Key: "2", Guild: "dm:1", Member: "1", Engine: "sd3.5-large", Credits: 5, At: now},
	)
	msg := last(t, e.handle(t, interaction(t, "imagine_guild.json", nil)))
	if !ephemeral(msg) || !strings.Contains(msg.Content, "This server's daily budget of 1 credit is used up (1 spent or queued today;") ||
		!strings.Contains(msg.Content, fmt.Sprintf("It resets <t:%d:R>.", usage.NextReset(now).Unix())) {
		t.Errorf("got %q, want a private refusal saying when the budget resets", msg.Content)
	}
	if n := e.api.Generations(); n != 0 {
		t.Errorf("%d generations after the refusal, want none", n)
	}
	if msg := last(t, e.handle(t, interaction(t, "imagine_dm.json", nil))); len(msg.Files) != 1 {
		t.Errorf("in a DM: got %q, want the image", msg.Content)
	}
	e.record(t, usage.Record{Key: "3", Guild: "dm:80351110224678912", Member: "80351110224678912", Engine: "core", Credits: 3, At: now})
	if msg := last(t, e.handle(t, interaction(t, "imagine_dm.json", withID(2)))); !ephemeral(msg) ||
		!strings.Contains(msg.Content, "Your daily budget of 1 credit is used up") {
		t.Errorf("in a DM over the operator's budget: got %q, want a private refusal", msg.Content)
	}
	// A moderator raising the budget lets members go on.
	e.moderate(t, sub([]string{"budget"}, "credits", 100.0))
	if msg := last(t, e.handle(t, interaction(t, "imagine_guild.json", withID(1)))); len(msg.Files) != 1 {
		t.Errorf("after raising the budget: got %q, want the image", msg.Content)
	}
}

func TestDescribeOverBudget(t *testing.T) {
	t.Parallel()
	resets := time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)
	err := fmt.Errorf("accept: %w", &usage.OverBudgetError{Budget: 50, Spent: 48.5, Cost: 3, Resets: resets})
	resp, memberCaused := commands.Describe(err)
	want := "This server's daily budget of 50 credits is used up (48.5 spent or queued today; this image costs 3 credits). It resets <t:1714608000:R>."
	if resp.Content != want || !resp.Ephemeral || !memberCaused {
		t.Errorf("got %q (ephemeral %v, member's %v), want %q, private, the member's", resp.Content, resp.Ephemeral, memberCaused, want)
	}
}

// TestBudgetTakesOneOfRacingRequests sends requests at once for the last credits of a budget:
// the check and the enqueue are one step, so exactly one image is made.
func TestBudgetTakesOneOfRacingRequests(t *testing.T) {
	t.Parallel()
	cfg := defaultConfig()
	cfg.DailyCredits = 0.5 // one SDXL image (≈0.33), not two
	e := newEnv(t, cfg)
	const racers = 6
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			e.send(t, interaction(t, "imagine_guild.json", both(withID(10+i), asMember(strconv.Itoa(80351110224678000+i)))))
		})
	}
	wg.Wait()
	e.settle(t)
	refused := 0
	for _, c := range e.rec.Calls() {
		if strings.Contains(c.Content, "daily budget of 0.5 credits is used up") {
			refused++
		}
	}
	if n := e.api.Generations(); n != 1 || refused != racers-1 {
		t.Errorf("%d images made and %d refused, want 1 and %d", n, refused, racers-1)
	}
}
