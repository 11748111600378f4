package catalog_test

import (
	"context"
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
