package catalog_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"dreambot/catalog"
	"dreambot/dreamstudio"
	"dreambot/dreamstudio/dreamstudiotest"
)

// TestNeverOffersBadEngineIDs lists engines through the real client from the fake API: entries
// whose id could not be a URL path segment are never offered, and the cache says so in its log.
func TestNeverOffersBadEngineIDs(t *testing.T) {
	t.Parallel()
	good := dreamstudiotest.DefaultEngines()[0]
	bad := []string{"..", ".", "a/b", "x y", "sdxl%2F..", strings.Repeat("e", dreamstudio.MaxEngineIDLength+1)}
	listed := []dreamstudiotest.Engine{good}
	for _, id := range bad {
		listed = append(listed, dreamstudiotest.Engine{ID: id, Name: "n", Description: "d", Type: "PICTURE"})
	}
	s := dreamstudiotest.NewServer(t, dreamstudiotest.WithEngines(listed...))
	client, err := dreamstudio.New(s.URL, s.Key, dreamstudio.WithHTTPClient(s.Client()), dreamstudio.WithLimiter(nil))
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	fetched := make(chan error, 1)
	c := catalog.New(client, ttl,
		catalog.WithLogger(slog.New(slog.NewTextHandler(&log, nil))),
		catalog.WithFetchHook(func(err error) { fetched <- err }))

	es, err := c.Engines(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := <-fetched; err != nil {
		t.Fatal(err)
	}
	for _, offered := range [][]dreamstudio.Engine{es, catalog.Pictures(es)} {
		if len(offered) != 1 || offered[0].ID != good.ID {
			t.Errorf("offered %v, want only %s", offered, good.ID)
		}
	}
	if got := log.String(); !strings.Contains(got, "level=WARN") || !strings.Contains(got, "count=6") || !strings.Contains(got, `first=..`) {
		t.Errorf("log = %q, want a warning counting 6 refused ids, the first \"..\"", got)
	}
}
