package dreamstudio_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
)

func TestValidateEngineID(t *testing.T) {
	t.Parallel()
	longest := strings.Repeat("e", dreamstudio.MaxEngineIDLength)
	tests := []struct {
		id      string
		message string // part of the message; "" when valid
	}{
		{"stable-diffusion-xl-1024-v1-0", ""},
		{"my_engine.v2", ""},
		{"...", ""},
		{".hidden", ""},
		{longest, ""},
		{"", "choose an engine"},
		{"  ", "choose an engine"},
		{".", `"." is not an engine id`},
		{"..", `".." is not an engine id`},
		{longest + "e", "at most 64 characters"},
		{"a/b", "use letters, digits"},
		{"../v1", "use letters, digits"},
		{"a%2Fb", "use letters, digits"},
		{"a b", "use letters, digits"},
		{"a?b", "use letters, digits"},
		{"a#b", "use letters, digits"},
		{"a\\b", "use letters, digits"},
		{"a\nb", "use letters, digits"},
		{"é", "use letters, digits"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			err := dreamstudio.ValidateEngineID(tt.id)
			if tt.message == "" {
				if err != nil {
					t.Errorf("ValidateEngineID(%q) = %v, want nil", tt.id, err)
				}
				return
			}
			var verr *dreamstudio.ValidationError
			if !errors.As(err, &verr) || verr.Field != dreamstudio.FieldEngine || !strings.Contains(verr.Message, tt.message) {
				t.Errorf("ValidateEngineID(%q) = %v, want an engine *ValidationError containing %q", tt.id, err, tt.message)
			}
			// Check refuses the id too, and a stored request naming it does not come back.
			if _, err := dreamstudio.Check(tt.id, goodRequest()); !errors.As(err, &verr) {
				t.Errorf("Check(%q) = %v, want a *ValidationError", tt.id, err)
			}
			stored, err := json.Marshal(map[string]any{"engine": tt.id, "request": goodRequest()})
			if err != nil {
				t.Fatal(err)
			}
			var c dreamstudio.Checked
			if err := json.Unmarshal(stored, &c); !errors.As(err, &verr) {
				t.Errorf("unmarshal a stored request for %q: err = %v, want a *ValidationError", tt.id, err)
			}
		})
	}
}

// TestListEnginesLeavesOutBadIDs: entries whose id is not an engine id are never returned, and
// ListEngines says which they were.
func TestListEnginesLeavesOutBadIDs(t *testing.T) {
	t.Parallel()
	s, c := newFake(t)
	good := dreamstudiotest.DefaultEngines()
	bad := []string{"..", ".", "a/b", strings.Repeat("x", dreamstudio.MaxEngineIDLength+1)}
	listed := slices.Clone(good)
	for i, id := range bad {
		// Interleaved, to show that order is kept.
		listed = slices.Insert(listed, 2*i%len(listed), dreamstudiotest.Engine{ID: id, Name: "n", Description: "d", Type: "PICTURE"})
	}
	s.SetEngines(listed...)

	l, err := c.ListEngines(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range l.Engines {
		ids = append(ids, e.ID)
	}
	var wantIDs, wantRefused []string
	for _, e := range listed {
		if slices.Contains(bad, e.ID) {
			wantRefused = append(wantRefused, e.ID)
		} else {
			wantIDs = append(wantIDs, e.ID)
		}
	}
	if !slices.Equal(ids, wantIDs) || !slices.Equal(l.Refused, wantRefused) {
		t.Errorf("ListEngines = %q, refused %q; want %q, refused %q", ids, l.Refused, wantIDs, wantRefused)
	}
	es, err := c.Engines(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != len(good) {
		t.Errorf("Engines returned %d engines, want the %d good ones", len(es), len(good))
	}
}
