package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"dreambot/config"
	"dreambot/sqlite"
	spending "dreambot/usage" // main's usage text holds the name usage
)

// dmsAndShell names the spending of no server: images made in direct
// messages and with `dreambot imagine`.
const dmsAndShell = "(DMs and shell)"

// runUsage prints the images and credits of every server today, this week
// and this month (UTC), from the bot's database.
func runUsage(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := command{name: "usage",
		about: "Shows every server's images and credits today, this week and this month (UTC), from the\n" +
			"database in DATA_DIR. Needs neither DISCORD_TOKEN nor DREAMSTUDIO_API_KEY."}
	if err := cmd.noArgs(args, stdout, stderr); err != nil {
		return err
	}
	// Reading what was spent needs neither the bot token nor the API key.
	cfg, err := loadConfig(getenv, func(config.Config) error { return nil })
	if err != nil {
		return err
	}
	path := filepath.Join(cfg.DataDir, "dreambot.db")
	// Open would create an empty database: a mistyped DATA_DIR would then
	// look like a bot that never made an image.
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("DATA_DIR: %s does not exist: is DATA_DIR the bot's?", path)
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return fmt.Errorf("DATA_DIR: %w", err)
	}
	defer db.Close()
	return printUsage(ctx, db, time.Now(), stdout)
}

// printUsage writes one row per server that spent anything this week or
// this month, then their total.
func printUsage(ctx context.Context, db *sqlite.DB, now time.Time, w io.Writer) error {
	day, week, month := spending.Periods(now)
	var periods [3]map[string]spending.Totals
	for i, since := range []time.Time{day, week, month} {
		byKey, err := db.SpentByGuild(ctx, since)
		if err != nil {
			return err
		}
		periods[i] = map[string]spending.Totals{}
		for k, t := range byKey { // every member's DMs ("dm:<member>") in one row with the shell's ("")
			if strings.HasPrefix(k, "dm:") {
				k = ""
			}
			periods[i][k] = periods[i][k].Add(t)
		}
	}
	var guilds []string
	for _, p := range periods[1:] { // every image of today is in this week too
		for g := range p {
			if !slices.Contains(guilds, g) {
				guilds = append(guilds, g)
			}
		}
	}
	if len(guilds) == 0 {
		_, err := fmt.Fprintln(w, "No images were recorded this week or this month.")
		return err
	}
	// Servers by id (snowflakes: shorter is older), DMs and the shell last.
	slices.SortFunc(guilds, func(a, b string) int {
		switch {
		case a == "":
			return 1
		case b == "":
			return -1
		}
		return cmp.Or(cmp.Compare(len(a), len(b)), cmp.Compare(a, b))
	})

	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "SERVER\tIMAGES TODAY\tCREDITS TODAY\tIMAGES THIS WEEK\tCREDITS THIS WEEK\tIMAGES THIS MONTH\tCREDITS THIS MONTH\t\n")
	var total [3]spending.Totals
	row := func(name string, ts [3]spending.Totals) {
		fmt.Fprint(tw, name)
		for _, t := range ts {
			fmt.Fprintf(tw, "\t%d\t%s", t.Images, t.CreditsString())
		}
		fmt.Fprint(tw, "\t\n")
	}
	for _, g := range guilds {
		var ts [3]spending.Totals
		for i := range periods {
			ts[i] = periods[i][g]
			total[i] = total[i].Add(ts[i])
		}
		name := g
		if g == "" {
			name = dmsAndShell
		}
		row(name, ts)
	}
	row("TOTAL", total)
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nDays, weeks (this one from Monday %s) and months are UTC. ≈: includes estimated prices.\n",
		week.Format("2 January"))
	return err
}
