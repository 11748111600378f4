package generate_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"dreambot/dreamstudio/dreamstudiotest"
	"dreambot/generate"
	"dreambot/images"
)

// generated records what an Observer is told.
type generated struct{ got []string }

func (o *generated) Generated(model, finishReason string, savedBytes int) {
	o.got = append(o.got, fmt.Sprintf("%s %s %d", model, finishReason, savedBytes))
}

// TestObserverHearsEveryImage: each image made is reported with its model, its finish reason and
// the bytes saved of it (0 when saving failed); a failed call reports nothing.
func TestObserverHearsEveryImage(t *testing.T) {
	t.Parallel()
	dir, err := images.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		setup  func(api *dreamstudiotest.Server)
		saver  generate.Saver
		engine string
		want   string // "%d" stands for the saved file's size
	}{
		{"saved", func(*dreamstudiotest.Server) {}, dir, "stable-diffusion-xl-1024-v1-0", "stable-diffusion-xl-1024-v1-0 SUCCESS %d"},
		{"filtered", func(api *dreamstudiotest.Server) { api.FinishNext("CONTENT_FILTERED") }, dir, "stable-diffusion-v1-6",
			"stable-diffusion-v1-6 CONTENT_FILTERED %d"},
		{"not saved", func(*dreamstudiotest.Server) {}, brokenDisk{}, "stable-diffusion-v1-6", "stable-diffusion-v1-6 SUCCESS 0"},
		{"refused by the API", func(api *dreamstudiotest.Server) { api.FailNext(400, "invalid_prompts", "no") }, dir,
			"stable-diffusion-v1-6", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := dreamstudiotest.NewServer(t)
			tt.setup(api)
			var o generated
			res, err := generateOne(t, generate.New(client(t, api), tt.saver, nil, generate.WithObserver(&o)),
				generate.Request{Engine: tt.engine, Prompt: "a cat"})
			var want []string
			switch {
			case strings.Contains(tt.want, "%d"):
				if err != nil {
					t.Fatal(err)
				}
				fi, err := os.Stat(res.Path)
				if err != nil {
					t.Fatal(err)
				}
				want = []string{fmt.Sprintf(tt.want, fi.Size())}
			case tt.want != "":
				want = []string{tt.want}
			}
			if fmt.Sprint(o.got) != fmt.Sprint(want) {
				t.Errorf("observed %q, want %q (err %v)", o.got, want, err)
			}
		})
	}
}
