package dreamstudio_test

import (
	"slices"
	"strings"
	"testing"

	"dreambot/dreamstudio"
)

func TestStableImageModels(t *testing.T) {
	t.Parallel()
	want := []struct{ id, name string }{
		{"ultra", "Stable Image Ultra"},
		{"core", "Stable Image Core"},
		{"sd3.5-large", "SD 3.5 Large"},
		{"sd3.5-large-turbo", "SD 3.5 Large Turbo"},
		{"sd3.5-medium", "SD 3.5 Medium"},
		{"sd3-large", "SD 3 Large"},
		{"sd3-large-turbo", "SD 3 Large Turbo"},
		{"sd3-medium", "SD 3 Medium"},
	}
	got := dreamstudio.StableImageModels()
	if len(got) != len(want) {
		t.Fatalf("got %d models, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		m := got[i]
		if m.ID != w.id || m.Name != w.name || m.Type != "PICTURE" {
			t.Errorf("model %d = %q %q %q, want %q %q PICTURE", i, m.ID, m.Name, m.Type, w.id, w.name)
		}
		if !strings.HasSuffix(m.Description, ".") || len(m.Description) < 20 {
			t.Errorf("%s: description %q is not a sentence", m.ID, m.Description)
		}
		if !dreamstudio.IsStableImage(m.ID) {
			t.Errorf("IsStableImage(%q) = false", m.ID)
		}
		if err := dreamstudio.ValidateEngineID(m.ID); err != nil {
			t.Errorf("%s: %v", m.ID, err)
		}
		if s := dreamstudio.Sizes(m.ID); s != nil {
			t.Errorf("Sizes(%q) = %v, want nil", m.ID, s)
		}
		if w, h := dreamstudio.DefaultSize(m.ID); w != 0 || h != 0 {
			t.Errorf("DefaultSize(%q) = %dx%d, want 0x0", m.ID, w, h)
		}
	}
	for _, id := range []string{sdxl, "stable-diffusion-v1-6", "", "Ultra", "sd3"} {
		if dreamstudio.IsStableImage(id) {
			t.Errorf("IsStableImage(%q) = true", id)
		}
	}
	got[0].ID = "changed"
	if dreamstudio.StableImageModels()[0].ID != "ultra" {
		t.Error("a caller changed the shared list")
	}
}

// TestSD3ModelsAreTheDescriptions checks that the sd3 models offered are exactly the values of the
// sd3 operation's model field.
func TestSD3ModelsAreTheDescriptions(t *testing.T) {
	t.Parallel()
	var offered []string
	for _, m := range dreamstudio.StableImageModels() {
		if operationOf(m.ID) == "sd3" {
			offered = append(offered, m.ID)
		}
	}
	enum := v2Operations(t)["sd3"].Properties["model"].Enum
	if !sameSet(offered, enum) {
		t.Errorf("sd3 models offered %q, the description's model enum is %q", offered, enum)
	}
}

func TestAspectRatiosAreTheDescriptions(t *testing.T) {
	t.Parallel()
	got := dreamstudio.AspectRatios()
	for op, o := range v2Operations(t) {
		ar := o.Properties["aspect_ratio"]
		want := append([]string{ar.Default.(string)}, slices.DeleteFunc(slices.Clone(ar.Enum), func(r string) bool { return r == ar.Default })...)
		if !slices.Equal(got, want) {
			t.Errorf("AspectRatios() = %q; %s's enum, its default %v first, is %q", got, op, ar.Default, want)
		}
	}
	if got[0] != "1:1" || len(got) != 9 {
		t.Errorf("AspectRatios() = %q, want nine, 1:1 first", got)
	}
}

// TestStableImageLimitsAreTheDescriptions checks the exported bounds against every operation.
func TestStableImageLimitsAreTheDescriptions(t *testing.T) {
	t.Parallel()
	for op, o := range v2Operations(t) {
		for _, field := range []string{"prompt", "negative_prompt"} {
			if p, ok := o.Properties[field]; !ok || p.MaxLength == nil || *p.MaxLength != dreamstudio.MaxStableImagePrompt {
				t.Errorf("%s: %s maxLength %v, MaxStableImagePrompt %d", op, field, p.MaxLength, dreamstudio.MaxStableImagePrompt)
			}
		}
		if s := o.Properties["seed"]; s.Maximum == nil || *s.Maximum != dreamstudio.MaxStableImageSeed {
			t.Errorf("%s: seed maximum %v, MaxStableImageSeed %d", op, s.Maximum, dreamstudio.MaxStableImageSeed)
		}
		if c, ok := o.Properties["cfg_scale"]; ok &&
			(*c.Minimum != dreamstudio.MinStableImageCfgScale || *c.Maximum != dreamstudio.MaxStableImageCfgScale) {
			t.Errorf("%s: cfg_scale %v..%v, the constants %v..%v", op, *c.Minimum, *c.Maximum,
				dreamstudio.MinStableImageCfgScale, dreamstudio.MaxStableImageCfgScale)
		}
	}
}

func TestStylePresetsFor(t *testing.T) {
	t.Parallel()
	ops := v2Operations(t)
	for _, m := range dreamstudio.StableImageModels() {
		want := ops[operationOf(m.ID)].Properties["style_preset"].Enum // nil without the field
		if got := dreamstudio.StylePresetsFor(m.ID); !slices.Equal(got, want) {
			t.Errorf("StylePresetsFor(%q) = %q, want the description's %q", m.ID, got, want)
		}
	}
	for _, id := range []string{sdxl, "stable-diffusion-v1-6", "some-engine-from-2027"} {
		if got := dreamstudio.StylePresetsFor(id); !slices.Equal(got, dreamstudio.StylePresets()) {
			t.Errorf("StylePresetsFor(%q) = %q, want StylePresets()", id, got)
		}
	}
}

func TestAllStylePresets(t *testing.T) {
	t.Parallel()
	all := dreamstudio.AllStylePresets()
	if !slices.Equal(all[:len(dreamstudio.StylePresets())], dreamstudio.StylePresets()) {
		t.Errorf("AllStylePresets() = %q, want v1's first", all)
	}
	if len(all) > 25 {
		t.Errorf("%d styles; Discord offers at most 25 choices", len(all))
	}
	if len(slices.Compact(slices.Sorted(slices.Values(all)))) != len(all) {
		t.Errorf("AllStylePresets() = %q has duplicates", all)
	}
	for _, m := range dreamstudio.StableImageModels() {
		for _, s := range dreamstudio.StylePresetsFor(m.ID) {
			if !slices.Contains(all, s) {
				t.Errorf("%s's style %q is not in AllStylePresets()", m.ID, s)
			}
		}
	}
}

func sameSet(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}
