package dreamstudiotest

import (
	"slices"
	"testing"
)

// TestImageRulesFromTheDescription pins what the fake reads of each served operation's image
// rules, so that a new copy of the description that changes them shows here.
func TestImageRulesFromTheDescription(t *testing.T) {
	t.Parallel()
	desc, err := loadedV2Description()
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string][]string{
		"generate/ultra": {
			"Width must be between 64 and 16,384 pixels",
			"Height must be between 64 and 16,384 pixels",
			"Total pixel count must be at least 4,096 pixels",
		},
		"generate/core": nil,
		"generate/sd3":  {"Every side must be at least 64 pixels"},
		"upscale/fast": {
			"Width must be between 32 and 1,536 pixels",
			"Height must be between 32 and 1,536 pixels",
			"Total pixel count must be between 1,024 and 1,048,576 pixels",
		},
		"upscale/conservative": {
			"Every side must be at least 64 pixels",
			"Total pixel count must be between 4,096 and 9,437,184 pixels",
			"The aspect ratio must be between 1:2.5 and 2.5:1",
		},
	}
	for op, want := range tests {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			item := desc.doc.Paths.Find(v2ImagePrefix + op)
			if item == nil || item.Post == nil {
				t.Fatalf("no POST %s in the description", op)
			}
			rules, err := imageRulesOf(item.Post.RequestBody.Value.Content.Get("multipart/form-data").Schema.Value)
			if err != nil {
				t.Fatal(err)
			}
			if want == nil {
				if rules != nil {
					t.Errorf("rules = %+v, want none: the operation takes no image", rules)
				}
				return
			}
			var got []string
			for _, r := range rules.rules {
				got = append(got, r.text)
			}
			if !slices.Equal(got, want) || !slices.Equal(rules.formats, []string{"jpeg", "png", "webp"}) {
				t.Errorf("rules = %q, formats %q; want %q, jpeg png webp", got, rules.formats, want)
			}
		})
	}
}

func TestUnknownImageRuleIsAnError(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"Width must be a multiple of 64", "The aspect ratio must be 1:1", "Total pixel count must be below 1,000 pixels"} {
		if _, err := parseImageRule(text); err == nil {
			t.Errorf("parseImageRule(%q) = nil error", text)
		}
	}
}
