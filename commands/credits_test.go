package commands_test

import (
	"strings"
	"testing"

	"dreambot/dreamstudio/dreamstudiotest"
)

func TestBalanceCommand(t *testing.T) {
	t.Parallel()
	cfg := defaultConfig()
	cfg.LowBalance = 5
	e := newEnv(t, cfg, dreamstudiotest.WithBalance(123.456))
	got := e.moderate(t, sub([]string{"balance"}))
	if !strings.Contains(got, "**123.46**") || !strings.Contains(got, "pauses under 5.00") {
		t.Errorf("balance reply %q", got)
	}
	msg := last(t, e.handle(t, interaction(t, "dreamstudio_guild.json", both(sub([]string{"balance"}), withPermissions("0")))))
	if !strings.Contains(msg.Content, "Manage Server") {
		t.Errorf("a member without permission got %q", msg.Content)
	}
}

func TestLowBalancePausesImagine(t *testing.T) {
	t.Parallel()
	cfg := defaultConfig()
	cfg.LowBalance, cfg.UserBurst = 1, 1
	e := newEnv(t, cfg, dreamstudiotest.WithBalance(0.4))

	first := last(t, e.handle(t, interaction(t, "imagine_guild.json", nil)))
	if ephemeral(first) || !strings.Contains(first.Content, "Moderators") || !strings.Contains(first.Content, "0.40 left") {
		t.Errorf("first refusal %+v, want a public notice for the moderators", first)
	}
	second := last(t, e.handle(t, interaction(t, "imagine_guild.json", asMember("999999999999999999"))))
	if !ephemeral(second) || !strings.Contains(second.Content, "out of DreamStudio credits") {
		t.Errorf("second refusal %+v, want a private message", second)
	}
	if n := e.api.Generations(); n != 0 {
		t.Errorf("%d generations while out of credits", n)
	}
	// The operator tops up; a moderator's /dreamstudio balance reads it.
	e.api.SetBalance(50)
	if got := e.moderate(t, sub([]string{"balance"})); strings.Contains(got, "paused") {
		t.Errorf("after top-up: %q", got)
	}
	// The refusals gave their rate-limit tokens back.
	msg := last(t, e.handle(t, interaction(t, "imagine_guild.json", nil)))
	if len(msg.Files) != 1 {
		t.Errorf("after top-up: got %q, want an image", msg.Content)
	}
}

func TestBalanceUnavailableLetsImagesThrough(t *testing.T) {
	t.Parallel()
	cfg := defaultConfig()
	cfg.LowBalance = 1
	e := newEnv(t, cfg)
	e.handle(t, interaction(t, "autocomplete_engine.json", nil)) // warm the engine list
	e.api.FailNext(500, "server_error", "balance down")
	msg := last(t, e.handle(t, interaction(t, "imagine_guild.json", nil)))
	if len(msg.Files) != 1 {
		t.Errorf("got %q: an unknown balance must not stop images", msg.Content)
	}
}
