package usage_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"dreambot/usage"
)

func utc(y int, m time.Month, d, h, min, s, ns int) time.Time {
	return time.Date(y, m, d, h, min, s, ns, time.UTC)
}

func TestPeriods(t *testing.T) {
	t.Parallel()
	paris := time.FixedZone("CEST", 2*60*60)
	tests := []struct {
		name             string
		now              time.Time
		day, week, month time.Time
		nextReset        time.Time
	}{
		{"midnight starts the day", utc(2024, 5, 1, 0, 0, 0, 0),
			utc(2024, 5, 1, 0, 0, 0, 0), utc(2024, 4, 29, 0, 0, 0, 0), utc(2024, 5, 1, 0, 0, 0, 0), utc(2024, 5, 2, 0, 0, 0, 0)},
		{"last instant of a month", utc(2024, 4, 30, 23, 59, 59, 999999999),
			utc(2024, 4, 30, 0, 0, 0, 0), utc(2024, 4, 29, 0, 0, 0, 0), utc(2024, 4, 1, 0, 0, 0, 0), utc(2024, 5, 1, 0, 0, 0, 0)},
		{"Monday starts the week", utc(2024, 4, 29, 0, 0, 0, 0),
			utc(2024, 4, 29, 0, 0, 0, 0), utc(2024, 4, 29, 0, 0, 0, 0), utc(2024, 4, 1, 0, 0, 0, 0), utc(2024, 4, 30, 0, 0, 0, 0)},
		{"Sunday ends the week", utc(2024, 4, 28, 23, 59, 59, 0),
			utc(2024, 4, 28, 0, 0, 0, 0), utc(2024, 4, 22, 0, 0, 0, 0), utc(2024, 4, 1, 0, 0, 0, 0), utc(2024, 4, 29, 0, 0, 0, 0)},
		{"a week across months", utc(2024, 3, 1, 12, 0, 0, 0),
			utc(2024, 3, 1, 0, 0, 0, 0), utc(2024, 2, 26, 0, 0, 0, 0), utc(2024, 3, 1, 0, 0, 0, 0), utc(2024, 3, 2, 0, 0, 0, 0)},
		{"leap day", utc(2024, 2, 29, 23, 0, 0, 0),
			utc(2024, 2, 29, 0, 0, 0, 0), utc(2024, 2, 26, 0, 0, 0, 0), utc(2024, 2, 1, 0, 0, 0, 0), utc(2024, 3, 1, 0, 0, 0, 0)},
		{"a week across years", utc(2025, 1, 1, 8, 0, 0, 0),
			utc(2025, 1, 1, 0, 0, 0, 0), utc(2024, 12, 30, 0, 0, 0, 0), utc(2025, 1, 1, 0, 0, 0, 0), utc(2025, 1, 2, 0, 0, 0, 0)},
		{"local time is read as UTC", time.Date(2024, 5, 1, 1, 30, 0, 0, paris), // 23:30 UTC on the 30th
			utc(2024, 4, 30, 0, 0, 0, 0), utc(2024, 4, 29, 0, 0, 0, 0), utc(2024, 4, 1, 0, 0, 0, 0), utc(2024, 5, 1, 0, 0, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			day, week, month := usage.Periods(tt.now)
			if !day.Equal(tt.day) || !week.Equal(tt.week) || !month.Equal(tt.month) {
				t.Errorf("Periods(%v) = %v, %v, %v; want %v, %v, %v", tt.now, day, week, month, tt.day, tt.week, tt.month)
			}
			if day.Location() != time.UTC || week.Location() != time.UTC || month.Location() != time.UTC {
				t.Errorf("Periods(%v) not in UTC: %v, %v, %v", tt.now, day, week, month)
			}
			if got := usage.NextReset(tt.now); !got.Equal(tt.nextReset) {
				t.Errorf("NextReset(%v) = %v, want %v", tt.now, got, tt.nextReset)
			}
		})
	}
}

func TestCheckBudget(t *testing.T) {
	t.Parallel()
	now := utc(2024, 5, 1, 18, 0, 0, 0)
	tests := []struct {
		name                string
		budget, spent, cost float64
		refused             bool
	}{
		{"no budget", 0, 1000, 5, false},
		{"negative budget is none", -1, 1000, 5, false},
		{"well within", 50, 10, 3, false},
		{"exactly the budget", 50, 47, 3, false},
		{"a float sum at the budget", 0.3, 0.1, 0.2, false}, // 0.1+0.2 > 0.3 in float64
		{"just over", 50, 47.5, 3, true},
		{"already over", 50, 51, 0.2, true},
		{"one image larger than the budget", 2, 0, 3, true},
		{"a free image at the budget", 50, 50, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := usage.CheckBudget(tt.budget, tt.spent, tt.cost, now)
			var over *usage.OverBudgetError
			if got := errors.As(err, &over); got != tt.refused {
				t.Fatalf("CheckBudget(%v, %v, %v) = %v, want refused %v", tt.budget, tt.spent, tt.cost, err, tt.refused)
			}
			if !tt.refused {
				return
			}
			want := usage.OverBudgetError{Budget: tt.budget, Spent: tt.spent, Cost: tt.cost, Resets: utc(2024, 5, 2, 0, 0, 0, 0)}
			if *over != want {
				t.Errorf("got %+v, want %+v", *over, want)
			}
		})
	}
}

func TestOverBudgetMessage(t *testing.T) {
	t.Parallel()
	err := &usage.OverBudgetError{Budget: 50, Spent: 48.5, Cost: 3}
	want := "This server's daily budget of 50 credits is used up (48.5 spent or queued today; this image costs 3 credits)."
	if got := err.Message(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := err.Error(), "daily budget of 50 credits used up: 48.5 spent or queued, 3 more asked"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestTotals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		t    usage.Totals
		want string
	}{
		{"nothing", usage.Totals{}, "0"},
		{"exact", usage.Totals{Images: 2, Credits: 7}, "7"},
		{"a float sum", usage.Totals{Images: 2, Credits: 0.1 + 0.2}, "0.3"},
		{"estimated", usage.Totals{Images: 1, Credits: 0.2, Estimated: true}, "≈0.2"},
		{"rounded to cents", usage.Totals{Images: 3, Credits: 10.005001}, "10.01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.t.CreditsString(); got != tt.want {
				t.Errorf("%+v.CreditsString() = %q, want %q", tt.t, got, tt.want)
			}
		})
	}
	sum := usage.Totals{Images: 1, Credits: 3.5}.Add(usage.Totals{Images: 2, Credits: 0.4, Estimated: true})
	if want := (usage.Totals{Images: 3, Credits: 3.9, Estimated: true}); sum != want {
		t.Errorf("Add = %+v, want %+v", sum, want)
	}
}

func TestRecordValidate(t *testing.T) {
	t.Parallel()
	ok := usage.Record{Key: "1", Guild: "g1", Member: "m1", Engine: "sd3", Credits: 3.5, At: utc(2024, 5, 1, 0, 0, 0, 0)}
	tests := []struct {
		name  string
		edit  func(*usage.Record)
		valid bool
	}{
		{"valid", func(*usage.Record) {}, true},
		{"from the shell", func(r *usage.Record) { r.Key, r.Guild = "", "" }, true},
		{"free", func(r *usage.Record) { r.Credits = 0 }, true},
		{"no engine", func(r *usage.Record) { r.Engine = "" }, false},
		{"negative price", func(r *usage.Record) { r.Credits = -0.2 }, false},
		{"NaN", func(r *usage.Record) { r.Credits = math.NaN() }, false},
		{"infinite", func(r *usage.Record) { r.Credits = math.Inf(1) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := ok
			tt.edit(&r)
			if err := r.Validate(); (err == nil) != tt.valid {
				t.Errorf("Validate(%+v) = %v, want valid %v", r, err, tt.valid)
			}
		})
	}
}
