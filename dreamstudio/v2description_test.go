package dreamstudio_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// v2DescriptionPath is the vendored v2beta description the fake also checks requests against.
const v2DescriptionPath = "dreamstudiotest/testdata/stability-v2-openapi.json"

// v2Operation is what the tests read of a generate operation: its prose (prices live there) and
// the fields of its multipart form.
type v2Operation struct {
	Description string
	Properties  map[string]v2Property
}

type v2Property struct {
	Enum        []string
	Default     any
	Minimum     *float64
	Maximum     *float64
	MaxLength   *int
	Description string
}

// v2Operations reads the generate operations (ultra, core, sd3) from the vendored description.
func v2Operations(t *testing.T) map[string]v2Operation {
	t.Helper()
	return v2OperationsUnder(t, "generate", "ultra", "core", "sd3")
}

// v2OperationsUnder reads the Stable Image operations under group ("generate", "upscale"), by
// name, failing the test when one of want is missing.
func v2OperationsUnder(t *testing.T, group string, want ...string) map[string]v2Operation {
	t.Helper()
	b, err := os.ReadFile(v2DescriptionPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]struct {
			Post struct {
				Description string
				RequestBody struct {
					Content map[string]struct {
						Schema struct{ Properties map[string]v2Property }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", v2DescriptionPath, err)
	}
	ops := make(map[string]v2Operation)
	for path, item := range doc.Paths {
		op, ok := strings.CutPrefix(path, "/v2beta/stable-image/"+group+"/")
		if !ok {
			continue
		}
		ops[op] = v2Operation{
			Description: item.Post.Description,
			Properties:  item.Post.RequestBody.Content["multipart/form-data"].Schema.Properties,
		}
	}
	for _, op := range want {
		if len(ops[op].Properties) == 0 {
			t.Fatalf("%s: no %s/%s operation with a multipart form", v2DescriptionPath, group, op)
		}
	}
	return ops
}

// operationOf is the generate operation that makes engineID's images: the API's contract as this
// package's documentation states it, kept apart from the package's own table.
func operationOf(engineID string) string {
	switch engineID {
	case "ultra", "core":
		return engineID
	}
	return "sd3"
}
