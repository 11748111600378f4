package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"dreambot/bot"
	"dreambot/dreamstudio"
	"dreambot/settings"
	"dreambot/usage"
)

// Usage records what images cost and sums it (a *sqlite.DB in dreambot).
type Usage interface {
	RecordUsage(ctx context.Context, r usage.Record) error
	Spent(ctx context.Context, guildID string, since time.Time) (usage.Totals, error)
}

func usageSubcommands() []*discordgo.ApplicationCommandOption {
	minCredits := 0.0
	return []*discordgo.ApplicationCommandOption{
		{
			Type: discordgo.ApplicationCommandOptionSubCommand, Name: "usage",
			Description: "Show the images and credits this server used today, this week and this month",
		},
		{
			Type: discordgo.ApplicationCommandOptionSubCommand, Name: "budget",
			Description: "How many credits this server may spend a day (resets at 00:00 UTC)",
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type: discordgo.ApplicationCommandOptionNumber, Name: "credits", Description: "Credits a day",
					MinValue: &minCredits, MaxValue: settings.MaxDailyCredits,
				},
				{
					Type: discordgo.ApplicationCommandOptionBoolean, Name: "reset", Description: "Go back to the bot's default budget",
				},
			},
		},
	}
}

// dailyBudget is the credits guild g may spend a day: its own budget, else
// the operator's; 0 is none.
func (s *Set) dailyBudget(g settings.Guild) float64 {
	if g.DailyCredits > 0 {
		return g.DailyCredits
	}
	return s.cfg.DailyCredits
}

// checkBudget refuses, with a *usage.OverBudgetError, an image costing cost when what key (a
// server, or a member's DMs: see spendingKey) spent today plus what its queued images will cost
// (queuedCredits) would pass its daily budget. A server's budget is its own or the operator's default; DMs have
// the operator's default, per member.
func (s *Set) checkBudget(ctx context.Context, guildID string, cost float64, queuedCredits func() (float64, error), key string) error {
	if s.usage == nil {
		return nil
	}
	budget := s.cfg.DailyCredits
	if guildID != "" {
		g, err := s.guild(ctx, guildID)
		if err != nil {
			return err
		}
		budget = s.dailyBudget(g)
	}
	if budget <= 0 {
		return nil
	}
	// Queued first, then spent: an image leaves the queue only after its cost is recorded, so
	// read in this order none is missed (one may be counted twice for a moment, which errs on the
	// side of the budget).
	queued, err := queuedCredits()
	if err != nil {
		return err
	}
	now := s.now()
	day, _, _ := usage.Periods(now)
	today, err := s.usage.Spent(ctx, key, day)
	if err != nil {
		return err
	}
	err = usage.CheckBudget(budget, today.Credits+queued, cost, now)
	var over *usage.OverBudgetError
	if errors.As(err, &over) {
		over.DMs = guildID == ""
	}
	return err
}

// showUsage answers with what the server made and spent, and its budget.
func (s *Set) showUsage(ctx context.Context, guildID string) (*bot.Response, error) {
	if s.usage == nil {
		return nil, inputErrorf("Spending isn't recorded with this bot's configuration.")
	}
	g, err := s.guild(ctx, guildID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	day, week, month := usage.Periods(now)
	periods := []struct {
		name  string
		since time.Time
	}{{"Today", day}, {"This week (since Monday)", week}, {"This month", month}}
	totals := make([]usage.Totals, len(periods))
	var b strings.Builder
	b.WriteString("**DreamStudio spending for this server** (days, weeks and months in UTC)\n")
	for i, p := range periods {
		if totals[i], err = s.usage.Spent(ctx, guildID, p.since); err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "%s: %d %s, %s credits\n", p.name, totals[i].Images, plural(totals[i].Images, "image", "images"), totals[i].CreditsString())
	}

	budget := s.dailyBudget(g)
	source := "set for this server"
	if g.DailyCredits == 0 {
		source = "the bot's default"
	}
	if budget <= 0 {
		fmt.Fprintf(&b, "Daily budget: none (%s)\n", source)
	} else {
		queued, err := s.pendingCredits(ctx, guildID)
		if err != nil {
			return nil, err
		}
		left := usage.Totals{Credits: max(0, budget-totals[0].Credits-queued), Estimated: totals[0].Estimated}
		fmt.Fprintf(&b, "Daily budget: %s credits (%s). Left today: %s credits", dreamstudio.CreditAmount(budget), source, left.CreditsString())
		if queued > 0 {
			fmt.Fprintf(&b, ", after %s for queued images", dreamstudio.CreditAmount(queued))
		}
		fmt.Fprintf(&b, ". It resets <t:%d:R>.\n", usage.NextReset(now).Unix())
	}
	if totals[2].Estimated {
		b.WriteString("≈: some prices are the bot's estimates; DreamStudio's own account is the final word.\n")
	}
	return &bot.Response{Content: truncate(b.String(), 2000), Ephemeral: true}, nil
}

// changeBudget sets or resets the server's daily budget.
func (s *Set) changeBudget(ctx context.Context, r *bot.Request, o options) (*bot.Response, error) {
	credits, hasCredits, err := o.number("credits", 0, settings.MaxDailyCredits)
	if err != nil {
		return nil, err
	}
	reset := o.bool("reset")
	switch {
	case reset && hasCredits:
		return nil, inputErrorf("Use either `credits` or `reset`, not both.")
	case !reset && !hasCredits:
		return nil, inputErrorf("Give the credits this server may spend a day, e.g. `/dreamstudio budget credits: 50`, " +
			"or `reset: True` to use the bot's default.")
	}
	return s.update(ctx, r, "budget", func(g *settings.Guild) (string, error) {
		if reset {
			g.ResetDailyCredits()
			if s.cfg.DailyCredits > 0 {
				return fmt.Sprintf("daily budget reset to the bot's default (%s credits)", dreamstudio.CreditAmount(s.cfg.DailyCredits)), nil
			}
			return "daily budget reset to the bot's default (none)", nil
		}
		if err := g.SetDailyCredits(credits); err != nil {
			return "", err
		}
		return fmt.Sprintf("daily budget %s credits", dreamstudio.CreditAmount(credits)), nil
	})
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
