package catalog_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"dreambot/catalog"
	"dreambot/dreamstudio"
)

type listerFunc func(context.Context) ([]dreamstudio.Engine, error)

func (f listerFunc) Engines(ctx context.Context) ([]dreamstudio.Engine, error) { return f(ctx) }

func ids(es []dreamstudio.Engine) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

func TestOffer(t *testing.T) {
	t.Parallel()
	sdxl := dreamstudio.Engine{ID: "stable-diffusion-xl-1024-v1-0", Name: "SDXL 1.0", Type: "PICTURE"}
	down := errors.New("503")
	tests := []struct {
		name     string
		engines  []dreamstudio.Engine
		err      error
		models   []string
		want     []string
		wantErr  bool // from Engines
		allError bool // from All
	}{
		{"engines then models", []dreamstudio.Engine{sdxl}, nil, []string{"core", "ultra"}, []string{sdxl.ID, "ultra", "core"}, false, false},
		{"no models", []dreamstudio.Engine{sdxl}, nil, []string{}, []string{sdxl.ID}, false, false},
		{"a listed id is not repeated", []dreamstudio.Engine{sdxl, {ID: "core", Name: "Core from the list", Type: "PICTURE"}}, nil,
			[]string{"core"}, []string{sdxl.ID, "core"}, false, false},
		{"list down: the models alone", nil, down, []string{"core"}, []string{"core"}, false, true},
		{"list down, no models: the error", nil, down, []string{}, nil, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := catalog.NewOffer(listerFunc(func(context.Context) ([]dreamstudio.Engine, error) { return tt.engines, tt.err }),
				catalog.Models(tt.models), nil)
			got, err := o.Engines(t.Context())
			if (err != nil) != tt.wantErr || !slices.Equal(ids(got), tt.want) {
				t.Errorf("Engines = %v, %v; want %v (error %v)", ids(got), err, tt.want, tt.wantErr)
			}
			all, err := o.All(t.Context())
			if (err != nil) != tt.allError || !slices.Equal(ids(all), tt.want) {
				t.Errorf("All = %v, %v; want %v (error %v)", ids(all), err, tt.want, tt.allError)
			}
		})
	}
	if got := ids(catalog.Models([]string{"sd3.5-medium", "nope", "ultra"})); !slices.Equal(got, []string{"ultra", "sd3.5-medium"}) {
		t.Errorf("Models = %v, want the known ones in dreamstudio's order", got)
	}
}
