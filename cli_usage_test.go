package main

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"dreambot/sqlite"
	spending "dreambot/usage"
)

// recordIn stores records in the database of dataDir, as the bot would.
func recordIn(t *testing.T, dataDir string, rs ...spending.Record) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(dataDir, "dreambot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, r := range rs {
		if err := db.RecordUsage(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
}

func TestUsageCommand(t *testing.T) {
	t.Parallel()
	now := time.Now()
	rec := func(job int64, guild string, credits float64, estimated bool, at time.Time) spending.Record {
		return spending.Record{Key: key(job), Guild: guild, Member: "m1", Engine: "sd3.5-large", Credits: credits, Estimated: estimated, At: at}
	}
	tests := []struct {
		name    string
		records []spending.Record
		noDB    bool
		code    int
		rows    [][]string // the fields of the table's rows, headers excluded
		say     string     // in stdout or stderr
	}{
		{
			name: "servers, DMs and a total",
			records: []spending.Record{
				rec(1, "1309000000000000001", 6.5, false, now),
				rec(2, "1309000000000000001", 0.2, true, now),
				rec(2, "1309000000000000001", 0.2, true, now), // replayed
				rec(3, "1309000000000000001", 100, false, now.AddDate(0, 0, -40)),
				rec(4, "99000000000000001", 3, false, now), // an older server, listed first
				rec(0, "", 3.5, false, now),
				rec(9, "dm:80351110224678912", 3.5, false, now), // a member's DMs, in the same row
			},
			rows: [][]string{
				{"99000000000000001", "1", "3", "1", "3", "1", "3"},
				{"1309000000000000001", "2", "≈6.7", "2", "≈6.7", "2", "≈6.7"},
				{"(DMs", "and", "shell)", "2", "7", "2", "7", "2", "7"},
				{"TOTAL", "5", "≈16.7", "5", "≈16.7", "5", "≈16.7"},
			},
			say: "≈: includes estimated prices",
		},
		{
			name:    "nothing this month",
			records: []spending.Record{rec(1, "1309000000000000001", 100, false, now.AddDate(0, 0, -40))},
			say:     "No images were recorded this week or this month.",
		},
		{name: "no database", noDB: true, code: 1, say: "does not exist: is DATA_DIR the bot's?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dataDir := t.TempDir()
			if !tt.noDB {
				recordIn(t, dataDir, tt.records...)
			}
			code, out, errOut := runCLI(t, map[string]string{"DATA_DIR": dataDir}, "usage")
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, errOut)
			}
			if !strings.Contains(out+errOut, tt.say) {
				t.Errorf("output does not say %q:\n%s%s", tt.say, out, errOut)
			}
			// The rows run from the header to the first blank line.
			var rows [][]string
			_, table, _ := strings.Cut(out, "SERVER")
			_, table, _ = strings.Cut(table, "\n")
			table, _, _ = strings.Cut(table, "\n\n")
			for line := range strings.Lines(table) {
				rows = append(rows, strings.Fields(line))
			}
			if !slices.EqualFunc(rows, tt.rows, slices.Equal) {
				t.Errorf("rows\n got %q\nwant %q\nin:\n%s", rows, tt.rows, out)
			}
		})
	}
}

func TestUsageCommandListed(t *testing.T) {
	t.Parallel()
	_, out, _ := runCLI(t, nil, "help")
	if !strings.Contains(out, "dreambot usage") {
		t.Errorf("help does not list the usage command:\n%s", out)
	}
}

// key is the record key of job n: "" for 0, as from the shell.
func key(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}
