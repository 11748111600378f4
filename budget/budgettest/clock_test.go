package budgettest_test

import (
	"slices"
	"testing"
	"time"

	"dreambot/budget/budgettest"
)

var t0 = time.Date(2026, 11, 24, 5, 19, 3, 0, time.UTC)

func TestClockFiresInDeadlineOrder(t *testing.T) {
	t.Parallel()
	c := budgettest.NewClock(t0)
	var fired []string
	at := map[string]time.Duration{}
	record := func(name string) func() {
		return func() {
			fired = append(fired, name)
			at[name] = c.Now().Sub(t0)
		}
	}
	c.AfterFunc(3*time.Second, record("c"))
	c.AfterFunc(time.Second, record("a"))
	stopB := c.AfterFunc(2*time.Second, record("b"))
	c.AfterFunc(2*time.Second, func() {
		record("d")()
		// A timer set while firing falls due within this Advance too.
		c.AfterFunc(500*time.Millisecond, record("e"))
	})
	if !stopB() {
		t.Fatal("stop of a pending timer = false, want true")
	}
	if stopB() {
		t.Fatal("second stop = true, want false")
	}
	c.Advance(5 * time.Second)
	if want := []string{"a", "d", "e", "c"}; !slices.Equal(fired, want) {
		t.Fatalf("fired %v, want %v", fired, want)
	}
	want := map[string]time.Duration{"a": time.Second, "d": 2 * time.Second, "e": 2500 * time.Millisecond, "c": 3 * time.Second}
	for name, d := range want {
		if at[name] != d {
			t.Errorf("%s fired at %v, want %v", name, at[name], d)
		}
	}
	if got := c.Now().Sub(t0); got != 5*time.Second {
		t.Errorf("Now after Advance = t0+%v, want t0+5s", got)
	}
	if _, ok := c.Next(); ok {
		t.Error("Next after firing everything: ok = true, want false")
	}
}

func TestClockNextAndDueNow(t *testing.T) {
	t.Parallel()
	c := budgettest.NewClock(t0)
	fired := 0
	c.AfterFunc(0, func() { fired++ })
	if fired != 0 {
		t.Fatal("a timer due at once fired inside AfterFunc")
	}
	if when, ok := c.Next(); !ok || !when.Equal(t0) {
		t.Fatalf("Next = %v, %v, want t0, true", when, ok)
	}
	c.Advance(0)
	if fired != 1 {
		t.Fatalf("fired %d times after Advance(0), want 1", fired)
	}
}

func TestClockCatchesATimerLoop(t *testing.T) {
	t.Parallel()
	c := budgettest.NewClock(t0)
	var rearm func()
	rearm = func() { c.AfterFunc(0, rearm) }
	c.AfterFunc(time.Second, rearm)
	defer func() {
		if recover() == nil {
			t.Error("Advance over a timer that re-arms itself for now did not panic")
		}
	}()
	c.Advance(2 * time.Second)
}
