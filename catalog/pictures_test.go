package catalog_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"dreambot/catalog"
	"dreambot/dreamstudio"
)

func TestCallersGetCopies(t *testing.T) {
	t.Parallel()
	src := loadEngines(t)
	want := loadEngines(t)
	c := catalog.New(sourceFunc(func(context.Context) ([]dreamstudio.Engine, error) {
		return src, nil
	}), ttl)
	// The first call fills the cache, the second is served from it: mutate both answers.
	for range 2 {
		got, err := c.Engines(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		got[0].ID = "changed by a caller"
	}
	src[1].ID = "changed by the source"
	if again, _ := c.Engines(t.Context()); !reflect.DeepEqual(again, want) {
		t.Fatalf("Engines after mutations = %v, want %v", again, want)
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	es := loadEngines(t)
	down := errors.New("down")
	tests := []struct {
		name    string
		err     error
		id      string
		want    dreamstudio.Engine
		wantOK  bool
		wantErr error
	}{
		{name: "found", id: es[1].ID, want: es[1], wantOK: true},
		{name: "unknown", id: "no-such-engine"},
		{name: "empty id", id: ""},
		{name: "source down", id: es[1].ID, err: down, wantErr: down},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := catalog.New(sourceFunc(func(context.Context) ([]dreamstudio.Engine, error) {
				if tt.err != nil {
					return nil, tt.err
				}
				return es, nil
			}), ttl)
			got, ok, err := c.Lookup(t.Context(), tt.id)
			if !errors.Is(err, tt.wantErr) || ok != tt.wantOK || got != tt.want {
				t.Fatalf("Lookup(%q) = %v, %v, %v; want %v, %v, %v",
					tt.id, got, ok, err, tt.want, tt.wantOK, tt.wantErr)
			}
		})
	}
}

func TestPictures(t *testing.T) {
	t.Parallel()
	pic := func(id string) dreamstudio.Engine { return dreamstudio.Engine{ID: id, Type: "PICTURE"} }
	tests := []struct {
		name string
		in   []dreamstudio.Engine
		want []dreamstudio.Engine
	}{
		{"none", nil, nil},
		{"all pictures", []dreamstudio.Engine{pic("a"), pic("b")}, []dreamstudio.Engine{pic("a"), pic("b")}},
		{"mixed keeps order", []dreamstudio.Engine{
			{ID: "t", Type: "TEXT"}, pic("a"), {ID: "u", Type: "STORAGE"}, pic("b"), {ID: "l", Type: "picture"},
		}, []dreamstudio.Engine{pic("a"), pic("b")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := catalog.Pictures(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Pictures = %v, want %v", got, tt.want)
			}
		})
	}
}
