package discordtest

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// openapiJSON is Discord's OpenAPI description; see testdata/README.md for its source.
//
//go:embed testdata/openapi.json
var openapiJSON []byte

// specBase is the server URL of the description, which every validated request is sent to.
const specBase = "https://discord.com/api/v10"

// spec is the parsed description and its router. Both are read-only after loading.
type spec struct {
	doc    *openapi3.T
	router routers.Router
	// LoadTime is how long parsing, validating and routing the description took.
	loadTime time.Duration
}

// specCache holds the one parsed description of this test binary. It is a package-level
// variable, which this codebase otherwise avoids, because parsing 1.1 MB of OpenAPI takes
// about 0.3 s (much more under -race) and every test creates a Server: parsing once per
// binary keeps suites fast. It is safe because the parsed description is never written to
// after loading, and sync.Once makes loading itself safe.
var specCache struct {
	once sync.Once
	spec *spec
	err  error
}

// loadSpec returns the parsed description, parsing it on first use.
func loadSpec() (*spec, error) {
	specCache.once.Do(func() {
		specCache.spec, specCache.err = parseSpec(openapiJSON)
	})
	return specCache.spec, specCache.err
}

// parseSpec parses and checks an OpenAPI description and builds its router.
func parseSpec(data []byte) (*spec, error) {
	start := time.Now()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("router: %w", err)
	}
	return &spec{doc: doc, router: router, loadTime: time.Since(start)}, nil
}

// SpecLoadTime reports how long this test binary took to parse the embedded description.
func SpecLoadTime() (time.Duration, error) {
	sp, err := loadSpec()
	if err != nil {
		return 0, err
	}
	return sp.loadTime, nil
}

// validate checks a request to path (relative to /api/v10, with its query) against the
// description. body is the JSON body, or nil.
func (sp *spec) validate(ctx context.Context, method, path string, body []byte) error {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, specBase+path, r)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	route, params, err := sp.router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("%s %s is not in the OpenAPI description: %w", method, path, err)
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			// The fake checks the bot token itself, with Discord's answers.
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			MultiError:         true,
		},
	}
	return openapi3filter.ValidateRequest(ctx, in)
}
