package dreamstudiotest

import (
	"context"
	_ "embed"
	"fmt"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// v2DescriptionJSON is Stability's v2beta "Stable Image" OpenAPI description;
// testdata/stability-v2-openapi.SOURCE.md says where it comes from.
//
//go:embed testdata/stability-v2-openapi.json
var v2DescriptionJSON []byte

// loadedV2Description parses v2DescriptionJSON once per test binary, for the reasons given at
// loadedDescription. kin-openapi (v0.153) registers its MultipartBodyDecoder for
// multipart/form-data itself, so the fake registers no decoder: that would be global state.
var loadedV2Description = sync.OnceValues(loadV2Description)

func loadV2Description() (*description, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(v2DescriptionJSON)
	if err != nil {
		return nil, fmt.Errorf("dreamstudiotest: load v2 description: %w", err)
	}
	doc.Servers = fakeServers
	ctx := context.Background()
	if err := doc.Validate(ctx, openapi3.DisableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("dreamstudiotest: validate v2 description: %w", err)
	}
	router, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
	if err != nil {
		return nil, fmt.Errorf("dreamstudiotest: route v2 description: %w", err)
	}
	return &description{doc: doc, router: router}, nil
}
