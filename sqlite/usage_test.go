package sqlite_test

import (
	"context"
	"math"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"

	"dreambot/sqlite"
	"dreambot/usage"
)

func mustRecord(tb testing.TB, db *sqlite.DB, rs ...usage.Record) {
	tb.Helper()
	for _, r := range rs {
		if err := db.RecordUsage(context.Background(), r); err != nil {
			tb.Fatalf("RecordUsage(%+v): %v", r, err)
		}
	}
}

func TestRecordUsageCountsAJobOnce(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	rec := func(job int64, credits float64) usage.Record {
		return usage.Record{Key: key(job), Guild: "g1", Member: "m1", Engine: "sd3", Credits: credits, At: at}
	}
	tests := []struct {
		name    string
		records []usage.Record
		want    usage.Totals
	}{
		{"one job", []usage.Record{rec(1, 3.5)}, usage.Totals{Images: 1, Credits: 3.5}},
		{"a job replayed", []usage.Record{rec(1, 3.5), rec(1, 3.5)}, usage.Totals{Images: 1, Credits: 3.5}},
		{"a replay keeps the first price", []usage.Record{rec(1, 3.5), rec(1, 6.5)}, usage.Totals{Images: 1, Credits: 3.5}},
		{"two jobs", []usage.Record{rec(1, 3.5), rec(2, 3)}, usage.Totals{Images: 2, Credits: 6.5}},
		{"the shell always adds", []usage.Record{rec(0, 3), rec(0, 3), rec(0, 3)}, usage.Totals{Images: 3, Credits: 9}},
		{"a free image is an image", []usage.Record{rec(1, 0)}, usage.Totals{Images: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := tempPath(t)
			db := MustOpen(t, path)
			mustRecord(t, db, tt.records...)
			// A restart between the replays changes nothing.
			MustClose(t, db)
			db = MustOpen(t, path)
			mustRecord(t, db, tt.records[0])
			want := tt.want
			if tt.records[0].Key == "" {
				want = want.Add(usage.Totals{Images: 1, Credits: tt.records[0].Credits})
			}
			got, err := db.Spent(context.Background(), "g1", time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

// TestRecordUsageConcurrentReplays records one job from two handles on one
// file, as a crashed bot's replay might overlap a second process.
func TestRecordUsageConcurrentReplays(t *testing.T) {
	t.Parallel()
	path := tempPath(t)
	dbs := []*sqlite.DB{MustOpen(t, path), MustOpen(t, path)}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for _, db := range dbs {
		for range 20 {
			wg.Go(func() {
				errs <- db.RecordUsage(context.Background(), usage.Record{Key: "7", Guild: "g1", Member: "m1", Engine: "sd3", Credits: 3})
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	got, err := dbs[1].Spent(context.Background(), "g1", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if want := (usage.Totals{Images: 1, Credits: 3}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestRecordUsageRefusesBadRecords(t *testing.T) {
	t.Parallel()
	db := MustOpen(t, tempPath(t))
	for _, r := range []usage.Record{
		{Key: "1", Guild: "g1", Member: "m1", Engine: "sd3", Credits: -1},
		{Key: "2", Guild: "g1", Member: "m1", Engine: "sd3", Credits: math.NaN()},
		{Key: "3", Guild: "g1", Member: "m1", Credits: 1},
	} {
		if err := db.RecordUsage(context.Background(), r); err == nil {
			t.Errorf("RecordUsage(%+v) = nil, want an error", r)
		}
	}
	if got, err := db.Spent(context.Background(), "g1", time.Time{}); err != nil || got != (usage.Totals{}) {
		t.Errorf("got %+v, %v; want nothing recorded", got, err)
	}
}

func TestRecordUsageDefaultsToNow(t *testing.T) {
	t.Parallel()
	clock := newClock()
	db := MustOpen(t, tempPath(t), sqlite.WithClock(clock.Now))
	mustRecord(t, db, usage.Record{Guild: "g1", Member: "m1", Engine: "sd3", Credits: 1})
	recorded := clock.Now() // one second after the record's time
	for since, want := range map[time.Time]int{recorded.Add(-time.Second): 1, recorded: 0} {
		got, err := db.Spent(context.Background(), "g1", since)
		if err != nil {
			t.Fatal(err)
		}
		if got.Images != want {
			t.Errorf("since %v: got %d images, want %d", since, got.Images, want)
		}
	}
}

// spending is a server's spending around 2024-05-01 (a Wednesday), whose
// week began on Monday 29 April.
func spending(tb testing.TB, db *sqlite.DB) {
	tb.Helper()
	at := func(month time.Month, day, h, m int) time.Time {
		return time.Date(2024, month, day, h, m, 0, 0, time.UTC)
	}
	var job int64
	rec := func(guild string, credits float64, estimated bool, t time.Time) usage.Record {
		job++
		return usage.Record{Key: key(job), Guild: guild, Member: "m1", Engine: "sd3", Credits: credits, Estimated: estimated, At: t}
	}
	mustRecord(tb, db,
		rec("g1", 100, false, at(4, 1, 0, 0)),    // long ago
		rec("g1", 1, false, at(4, 28, 23, 59)),   // last Sunday: April only
		rec("g1", 0.2, true, at(4, 29, 0, 0)),    // Monday: this week, not this month
		rec("g1", 3.5, false, at(4, 30, 23, 59)), // yesterday
		rec("g1", 3, false, at(5, 1, 0, 0)),      // today
		rec("g1", 6.5, false, at(5, 1, 17, 30)),  // today
		rec("g2", 0.4, true, at(5, 1, 9, 0)),     // another server, today
		rec("", 3, false, at(5, 1, 10, 0)),       // a DM
		rec("g1", 50, false, at(5, 1, 18, 0)),    // an image made after "now"
	)
}

func TestSpentByPeriod(t *testing.T) {
	t.Parallel()
	db := MustOpen(t, tempPath(t))
	spending(t, db)
	day, week, month := usage.Periods(time.Date(2024, 5, 1, 18, 0, 0, 0, time.UTC))
	tests := []struct {
		name  string
		guild string
		since time.Time
		want  usage.Totals
	}{
		{"today", "g1", day, usage.Totals{Images: 3, Credits: 59.5}},
		{"this week", "g1", week, usage.Totals{Images: 5, Credits: 63.2, Estimated: true}},
		{"this month", "g1", month, usage.Totals{Images: 3, Credits: 59.5}},
		{"ever", "g1", time.Time{}, usage.Totals{Images: 7, Credits: 164.2, Estimated: true}},
		{"another server", "g2", day, usage.Totals{Images: 1, Credits: 0.4, Estimated: true}},
		{"DMs", "", week, usage.Totals{Images: 1, Credits: 3}},
		{"a server that made nothing", "g3", time.Time{}, usage.Totals{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := db.Spent(context.Background(), tt.guild, tt.since)
			if err != nil {
				t.Fatal(err)
			}
			if got.Images != tt.want.Images || got.Estimated != tt.want.Estimated || math.Abs(got.Credits-tt.want.Credits) > 1e-9 {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestSpentByGuild(t *testing.T) {
	t.Parallel()
	db := MustOpen(t, tempPath(t))
	if got, err := db.SpentByGuild(context.Background(), time.Time{}); err != nil || len(got) != 0 {
		t.Errorf("empty database: got %+v, %v; want nothing", got, err)
	}
	spending(t, db)
	day, week, _ := usage.Periods(time.Date(2024, 5, 1, 18, 0, 0, 0, time.UTC))
	tests := []struct {
		name  string
		since time.Time
		want  map[string]usage.Totals
	}{
		{"today", day, map[string]usage.Totals{
			"g1": {Images: 3, Credits: 59.5},
			"g2": {Images: 1, Credits: 0.4, Estimated: true},
			"":   {Images: 1, Credits: 3},
		}},
		{"this week", week, map[string]usage.Totals{
			"g1": {Images: 5, Credits: 63.2, Estimated: true},
			"g2": {Images: 1, Credits: 0.4, Estimated: true},
			"":   {Images: 1, Credits: 3},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := db.SpentByGuild(context.Background(), tt.since)
			if err != nil {
				t.Fatal(err)
			}
			for g, tot := range got {
				tot.Credits = math.Round(tot.Credits*1e6) / 1e6
				got[g] = tot
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// key is the record key of job n: "" for 0, as from the shell.
func key(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}
