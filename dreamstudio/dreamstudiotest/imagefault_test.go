package dreamstudiotest_test

import (
	"bytes"
	"fmt"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"dreambot/dreamstudio/dreamstudiotest"
	"dreambot/pnginfo"
)

func TestImageFaults(t *testing.T) {
	t.Parallel()
	const size = 3<<20 + 5
	tests := []struct {
		damage dreamstudiotest.Damage
		want   string // part of pnginfo's complaint; "" for a whole PNG
	}{
		{dreamstudiotest.Truncated, "truncated IDAT chunk"},
		{dreamstudiotest.BadCRC, "crc mismatch in IDAT chunk"},
		{dreamstudiotest.NoIEND, "missing IEND"},
		{dreamstudiotest.NoIDAT, "IEND before any IDAT"},
		{dreamstudiotest.Oversized, ""},
	}
	for _, tt := range tests {
		for _, chunked := range []bool{false, true} {
			t.Run(fmt.Sprintf("%v/chunked=%v", tt.damage, chunked), func(t *testing.T) {
				t.Parallel()
				s := dreamstudiotest.NewServer(t)
				s.AddImageFault(dreamstudiotest.ImageFault{Damage: tt.damage, Chunked: chunked, Size: size})
				a := send(t, s, generate(sized(1024, 1024)))
				if a.status != http.StatusOK || a.header.Get("Content-Type") != "image/png" {
					t.Fatalf("status %d, Content-Type %q; want 200 image/png", a.status, a.header.Get("Content-Type"))
				}
				wantLength := strconv.Itoa(len(a.body))
				if chunked {
					wantLength = ""
				}
				if got := a.header.Get("Content-Length"); got != wantLength {
					t.Errorf("Content-Length = %q, want %q", got, wantLength)
				}
				err := pnginfo.Validate(a.body)
				if tt.want == "" {
					if err != nil || len(a.body) != size {
						t.Errorf("%d bytes, Validate = %v; want a whole PNG of %d bytes", len(a.body), err, size)
					}
				} else {
					if err == nil || !strings.Contains(err.Error(), tt.want) {
						t.Errorf("Validate = %v, want it to contain %q", err, tt.want)
					}
					if _, err := png.Decode(bytes.NewReader(a.body)); err == nil {
						t.Error("the damaged PNG decodes")
					}
				}
				if n := s.Generations(); n != 1 {
					t.Errorf("Generations() = %d, want 1", n)
				}
			})
		}
	}
}

// TestOversizedLengths checks that an Oversized answer has exactly the size asked for, in
// well-formed chunks, including sizes that leave less than a chunk after the last full IDAT,
// and that OnWrite sees every byte.
func TestOversizedLengths(t *testing.T) {
	t.Parallel()
	const minimal = 8 + 25 + 12 + 12 // signature, IHDR, an empty IDAT, IEND
	const fullIDAT = 1<<20 + 12
	tests := []struct {
		size, want int64
	}{
		{1, minimal},
		{minimal, minimal},
		{minimal + 1, minimal + 1},
		{minimal - 12 + fullIDAT, minimal - 12 + fullIDAT},
		{minimal - 12 + fullIDAT + 5, minimal - 12 + fullIDAT + 5},
		{minimal - 12 + 2*fullIDAT + 12, minimal - 12 + 2*fullIDAT + 12},
	}
	for _, tt := range tests {
		t.Run(strconv.FormatInt(tt.size, 10), func(t *testing.T) {
			t.Parallel()
			s := dreamstudiotest.NewServer(t)
			var mu sync.Mutex
			var written int64
			s.AddImageFault(dreamstudiotest.ImageFault{Damage: dreamstudiotest.Oversized, Size: tt.size, OnWrite: func(n int64) {
				mu.Lock()
				defer mu.Unlock()
				written = n
			}})
			a := send(t, s, generate(sized(1024, 1024)))
			if int64(len(a.body)) != tt.want {
				t.Errorf("%d bytes, want %d", len(a.body), tt.want)
			}
			if err := pnginfo.Validate(a.body); err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if written != tt.want {
				t.Errorf("OnWrite saw %d bytes written, want %d", written, tt.want)
			}
		})
	}
}

func TestImageFaultTimesAndClear(t *testing.T) {
	t.Parallel()
	s := dreamstudiotest.NewServer(t)
	s.AddImageFault(dreamstudiotest.ImageFault{Damage: dreamstudiotest.NoIEND, Times: 2})
	s.AddImageFault(dreamstudiotest.ImageFault{Damage: dreamstudiotest.BadCRC, Times: dreamstudiotest.Always})

	whole := func() bool {
		t.Helper()
		a := send(t, s, generate(sized(1024, 1024)))
		if a.status != http.StatusOK {
			t.Fatalf("status %d", a.status)
		}
		return pnginfo.Validate(a.body) == nil
	}
	if whole() || whole() {
		t.Error("NoIEND did not damage two answers")
	}
	// A JSON answer leaves the faults alone.
	if a := send(t, s, call{path: textToImage, accept: "application/json", body: sized(1024, 1024)}); a.status != http.StatusOK {
		t.Fatalf("JSON answer: status %d", a.status)
	}
	for range 3 {
		if whole() {
			t.Error("BadCRC with Always let a whole PNG through")
		}
	}
	s.ClearFaults()
	if !whole() {
		t.Error("after ClearFaults the PNG is still damaged")
	}
}

func TestImageFaultUnknownDamage(t *testing.T) {
	t.Parallel()
	rec := newRecordingTB(t)
	s := dreamstudiotest.NewServer(rec)
	s.AddImageFault(dreamstudiotest.ImageFault{Damage: 99})
	if f := rec.failures(); len(f) != 1 || !strings.Contains(f[0], "unknown Damage 99") {
		t.Errorf("failures = %q, want one about the unknown damage", f)
	}
	a := send(t, s, generate(sized(1024, 1024)))
	if err := pnginfo.Validate(a.body); err != nil {
		t.Errorf("the answer was damaged: %v", err)
	}
}
