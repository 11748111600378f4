package sqlite_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"dreambot/settings"
	"dreambot/sqlite"
)

func TestAuditNewestFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	db := MustOpen(t, tempPath(t), sqlite.WithClock(clk.Now))
	for i := range 5 {
		id := fmt.Sprintf("e%d", i)
		if _, err := db.UpdateGuild(ctx, "g1", fmt.Sprintf("m%d", i), "allow", allow(id)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.UpdateGuild(ctx, "g2", "x", "allow", allow("other")); err != nil {
		t.Fatal(err)
	}

	got, err := db.Audit(ctx, "g1", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d changes, want 3: %+v", len(got), got)
	}
	for i, c := range got {
		n := 4 - i
		want := settings.Change{GuildID: "g1", MemberID: fmt.Sprintf("m%d", n), Action: "allow", Detail: fmt.Sprintf("e%d", n)}
		if c.GuildID != want.GuildID || c.MemberID != want.MemberID || c.Action != want.Action || c.Detail != want.Detail {
			t.Errorf("change %d: got %+v, want %+v", i, c, want)
		}
		if i > 0 && !c.At.Before(got[i-1].At) {
			t.Errorf("change %d at %v, not before change %d at %v", i, c.At, i-1, got[i-1].At)
		}
		if c.At.Location() != time.UTC || c.At.IsZero() {
			t.Errorf("change %d at %v, want a UTC time", i, c.At)
		}
	}

	if got, err := db.Audit(ctx, "nobody", 10); err != nil || len(got) != 0 {
		t.Errorf("unknown guild: got %+v, %v; want none", got, err)
	}
	if _, err := db.Audit(ctx, "g1", 0); err == nil {
		t.Error("limit 0: got nil error, want one")
	}
}
