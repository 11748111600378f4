package commands_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"dreambot/bot/bottest"
	"dreambot/budget"
	"dreambot/budget/budgettest"
	"dreambot/commands"
)

// imagineMember is the member of imagine_guild.json.
const imagineMember = "80351110224678912"

// queueConfig shows a waiting job's place at once.
func queueConfig() commands.Config {
	cfg := defaultConfig()
	cfg.UserBurst, cfg.QueueNoticeAfter, cfg.QueueUpdateEvery = 10, time.Millisecond, 10*time.Millisecond
	return cfg
}

// clickAs clicks the component customID as member, with permissions.
func clickAs(t *testing.T, customID, member, permissions string) func(map[string]any) {
	return both(asMember(member), withPermissions(permissions), func(m map[string]any) {
		m["data"].(map[string]any)["custom_id"] = customID
		m["id"] = "1310512345678907777"
	})
}

// queuedCancel waits until a job shows its place and returns its Cancel
// button's custom id.
func queuedCancel(t *testing.T, e *env, prompt string) string {
	t.Helper()
	c := e.waitCall(t, "a place in the queue", func(c bottest.Call) bool {
		return strings.Contains(c.Content, "Queued: #") && strings.Contains(c.Content, prompt)
	})
	ids := c.CustomIDs()
	if len(ids) != 1 || !strings.HasPrefix(ids[0], "cancel:") {
		t.Fatalf("queued message %q has buttons %v, want one Cancel", c.Content, ids)
	}
	return ids[0]
}

// TestQueuedJobShowsItsPlaceThenItsImage: with the budget spent, a job
// tells its member where it stands, then starts when a slot frees.
func TestQueuedJobShowsItsPlaceThenItsImage(t *testing.T) {
	t.Parallel()
	clock := budgettest.NewClock(time.Now())
	turns := budget.New(2, 10*time.Second, budget.WithClock(clock))
	e := newEnvWith(t, queueConfig(), turns)
	e.handle(t, interaction(t, "imagine_guild.json", withOptions("prompt", "first")))
	e.send(t, interaction(t, "imagine_guild.json", both(withOptions("prompt", "second"), withID(2))))
	queuedCancel(t, e, "second")
	clock.Advance(10 * time.Second)
	e.waitCall(t, "the generating note", func(c bottest.Call) bool { return strings.Contains(c.Content, "Generating with") })
	e.waitCall(t, "the second image", func(c bottest.Call) bool { return len(c.Files) == 1 && strings.Contains(c.Content, "second") })
	if n := e.api.Generations(); n != 2 {
		t.Errorf("%d generations, want 2", n)
	}
}

func TestCancelAWaitingJob(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, member, permissions string
		ok                        bool
	}{
		{"by its member", imagineMember, "0", true},
		{"by a moderator", "80351110224670001", "32", true},
		{"by someone else", "80351110224670002", "0", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := budgettest.NewClock(time.Now())
			cfg := queueConfig()
			cfg.UserBurst = 2
			e := newEnvWith(t, cfg, budget.New(2, 10*time.Second, budget.WithClock(clock)))
			e.handle(t, interaction(t, "imagine_guild.json", withOptions("prompt", "first")))
			e.send(t, interaction(t, "imagine_guild.json", both(withOptions("prompt", "second"), withID(2))))
			id := queuedCancel(t, e, "second")

			e.send(t, interaction(t, "again_click.json", clickAs(t, id, tt.member, tt.permissions)))
			reply := e.waitCall(t, "the click's answer", func(c bottest.Call) bool {
				return c.Method == "respond" && c.Flags != 0 && c.Content != ""
			})
			if got := strings.Contains(reply.Content, "Cancelled"); got != tt.ok {
				t.Fatalf("click answered %q, cancelled %v, want %v", reply.Content, got, tt.ok)
			}
			if !tt.ok {
				return
			}
			e.waitCall(t, "the cancelled job's note", func(c bottest.Call) bool {
				return c.Method == "edit" && strings.Contains(c.Content, "Cancelled. Nothing was spent")
			})
			e.settle(t)
			if n := e.api.Generations(); n != 1 {
				t.Errorf("%d generations, want 1: the cancelled job spent nothing", n)
			}
			// The member's token came back: a burst of 2, two taken, one returned.
			clock.Advance(10 * time.Second)
			calls := e.handle(t, interaction(t, "imagine_guild.json", both(withOptions("prompt", "third"), withID(3))))
			if msg := last(t, calls); len(msg.Files) != 1 {
				t.Errorf("after the cancel: %q, want an image (the rate-limit token came back)", msg.Content)
			}
		})
	}
}

// TestRateLimitedByTheAPIPausesTheQueue: a 429 holds every job for the
// lockout, waiting members see the pause, and the job resumes by itself.
func TestRateLimitedByTheAPIPausesTheQueue(t *testing.T) {
	t.Parallel()
	clock := budgettest.NewClock(time.Now())
	e := newEnvWith(t, queueConfig(), budget.New(100, 10*time.Second, budget.WithClock(clock)))
	e.handle(t, interaction(t, "imagine_guild.json", withOptions("prompt", "first"))) // the engine list is cached
	e.api.FailNext(429, "rate_limit_exceeded", "slow down")
	e.send(t, interaction(t, "imagine_guild.json", both(withOptions("prompt", "patient"), withID(2))))
	e.waitCall(t, "the pause", func(c bottest.Call) bool { return strings.Contains(c.Content, "slow down") })
	clock.Advance(time.Minute)
	e.waitCall(t, "the image", func(c bottest.Call) bool { return len(c.Files) == 1 && strings.Contains(c.Content, "patient") })
	for _, c := range e.rec.Calls() {
		if c.Flags != 0 {
			t.Errorf("the member saw an error: %q", c.Content)
		}
	}
	if n := e.api.Generations(); n != 2 {
		t.Errorf("%d generations, want 2", n)
	}
}

func TestQueueCaps(t *testing.T) {
	t.Parallel()
	clock := budgettest.NewClock(time.Now())
	e := newEnvWith(t, queueConfig(), budget.New(2, 10*time.Second, budget.WithClock(clock)))
	e.handle(t, interaction(t, "imagine_guild.json", withOptions("prompt", "first"))) // the engine list and this image take both slots
	for i := range 4 {                                                                // the member cap in newEnv
		e.send(t, interaction(t, "imagine_guild.json", both(withOptions("prompt", "waiting"), withID(10+i))))
	}
	e.send(t, interaction(t, "imagine_guild.json", both(withOptions("prompt", "one too many"), withID(20))))
	msg := e.waitCall(t, "the cap", func(c bottest.Call) bool { return strings.Contains(c.Content, "already have 4 images waiting") })
	if msg.Flags == 0 {
		t.Errorf("cap message %q is public, want it private", msg.Content)
	}
	for i := range 4 {
		e.waitCall(t, "a place in the queue", func(c bottest.Call) bool { return strings.Contains(c.Content, fmt.Sprintf("Queued: #%d", i+1)) })
	}
	// A moderator sees the four waiting.
	e.send(t, interaction(t, "dreamstudio_guild.json", both(sub([]string{"queue"}), withPermissions("32"))))
	list := e.waitCall(t, "the queue listing", func(c bottest.Call) bool { return strings.Contains(c.Content, "waiting or in progress") })
	if !strings.Contains(list.Content, "4 image(s)") || !strings.Contains(list.Content, "#1") {
		t.Errorf("queue listing %q, want the 4 waiting with their places", list.Content)
	}
	if n := e.api.Generations(); n != 1 {
		t.Errorf("%d generations, want 1", n)
	}
}
