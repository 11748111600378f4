package dreamstudiotest

import (
	"context"
	_ "embed"
	"fmt"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// descriptionJSON is Stability's v1 OpenAPI description; testdata/README.md says where it comes from.
//
//go:embed testdata/stability-openapi.json
var descriptionJSON []byte

// loadedDescription parses descriptionJSON once per test binary. Parsing takes tens of milliseconds
// (far more under -race) and every test starts its own Server, so parsing per Server would make
// suites slow. After loading, the document and router are only read, which kin-openapi supports
// from many goroutines, so sharing them between Servers is safe.
var loadedDescription = sync.OnceValues(loadDescription)

// description is the parsed API description and a router over its operations.
type description struct {
	doc    *openapi3.T
	router routers.Router
}

// fakeServers replaces the description's servers (https://api.stability.ai): without it no request
// to the fake would match a route. httptest picks the port, and one router serves every Server in
// the binary, so the port is a server variable rather than a literal.
var fakeServers = openapi3.Servers{{
	URL:       "http://127.0.0.1:{port}",
	Variables: openapi3.ServerVariables{"port": {Default: "80"}},
}}

func loadDescription() (*description, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(descriptionJSON)
	if err != nil {
		return nil, fmt.Errorf("dreamstudiotest: load description: %w", err)
	}
	doc.Servers = fakeServers
	// The Image schema carries an array as its example, so examples are not validated.
	ctx := context.Background()
	if err := doc.Validate(ctx, openapi3.DisableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("dreamstudiotest: validate description: %w", err)
	}
	router, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
	if err != nil {
		return nil, fmt.Errorf("dreamstudiotest: route description: %w", err)
	}
	return &description{doc: doc, router: router}, nil
}

// schema returns the named component schema.
func (d *description) schema(name string) *openapi3.Schema {
	ref := d.doc.Components.Schemas[name]
	if ref == nil {
		return nil
	}
	return ref.Value
}
