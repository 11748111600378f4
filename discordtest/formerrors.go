package discordtest

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// fieldError is one entry of Discord's "_errors" lists.
type fieldError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// formErrors collects invalid fields by path, and renders them as the "errors" object of a
// 50035 Invalid Form Body answer: {"data": {"content": {"_errors": [...]}}}.
type formErrors struct {
	paths  [][]string
	errors []fieldError
}

// add records an error at path; an empty path is the body itself.
func (f *formErrors) add(path []string, code, message string) {
	f.paths = append(f.paths, append([]string(nil), path...))
	f.errors = append(f.errors, fieldError{Code: code, Message: message})
}

func (f *formErrors) empty() bool { return len(f.errors) == 0 }

// json renders the errors as Discord nests them.
func (f *formErrors) json() json.RawMessage {
	root := map[string]any{}
	seen := map[string]bool{}
	for i, path := range f.paths {
		// Keep one error per field and code: the fake's own rules run first and word
		// their errors like Discord, so they win over the OpenAPI validator's.
		key := strings.Join(path, "/") + "\x00" + f.errors[i].Code
		if seen[key] {
			continue
		}
		seen[key] = true
		node := root
		for _, key := range path {
			child, ok := node[key].(map[string]any)
			if !ok {
				child = map[string]any{}
				node[key] = child
			}
			node = child
		}
		list, _ := node["_errors"].([]fieldError)
		node["_errors"] = append(list, f.errors[i])
	}
	b, _ := json.Marshal(root) // Maps of strings and fieldErrors always marshal.
	return b
}

// addSchemaError adds the leaves of a kin-openapi validation error. Of the branches of an
// anyOf that failed only on their "type" discriminator, nothing is kept when another branch
// failed deeper: that one is the body's intended shape, as Discord would report it.
func (f *formErrors) addSchemaError(err error) {
	var leaves []*openapi3.SchemaError
	var others []error
	collectLeaves(err, &leaves, &others)
	var deep []*openapi3.SchemaError
	for _, l := range leaves {
		if !isDiscriminatorMiss(l) {
			deep = append(deep, l)
		}
	}
	if len(deep) == 0 {
		deep = leaves
	}
	seen := map[string]bool{}
	for _, l := range deep {
		path := l.JSONPointer()
		msg := leafMessage(l)
		key := strings.Join(path, "/") + "\x00" + msg
		if seen[key] {
			continue
		}
		seen[key] = true
		f.add(path, schemaErrorCode(l.SchemaField), msg)
	}
	for _, e := range others {
		f.add(nil, "BASE_TYPE_INVALID", e.Error())
	}
}

// collectLeaves walks the tree of errors that openapi3filter returns: RequestErrors wrap
// SchemaErrors, whose Origin wraps the MultiError of their branches' errors.
func collectLeaves(err error, leaves *[]*openapi3.SchemaError, others *[]error) {
	switch e := err.(type) {
	case nil:
	case openapi3.MultiError:
		for _, sub := range e {
			collectLeaves(sub, leaves, others)
		}
	case *openapi3filter.RequestError:
		if e.Err == nil {
			*others = append(*others, e)
			return
		}
		collectLeaves(e.Err, leaves, others)
	case *openapi3.SchemaError:
		var sub []*openapi3.SchemaError
		if e.SchemaField == "anyOf" || e.SchemaField == "oneOf" {
			sub = branchLeaves(e)
		} else {
			var ignored []error
			collectLeaves(e.Origin, &sub, &ignored)
		}
		if len(sub) == 0 {
			sub = []*openapi3.SchemaError{e}
		}
		*leaves = append(*leaves, sub...)
	default:
		var sub []*openapi3.SchemaError
		var ignored []error
		collectLeaves(errors.Unwrap(err), &sub, &ignored)
		if len(sub) == 0 {
			*others = append(*others, err)
			return
		}
		*leaves = append(*leaves, sub...)
	}
}

// branchLeaves returns the leaves of the branches of a failed anyOf or oneOf that the value
// was meant for: branches whose "type" discriminator or JSON type does not match the value
// are left out, unless no branch is left.
func branchLeaves(e *openapi3.SchemaError) []*openapi3.SchemaError {
	var branches openapi3.MultiError
	if !errors.As(e.Origin, &branches) {
		return nil
	}
	at := strings.Join(e.JSONPointer(), "/")
	var all, kept []*openapi3.SchemaError
	for _, b := range branches {
		var leaves []*openapi3.SchemaError
		var ignored []error
		collectLeaves(b, &leaves, &ignored)
		all = append(all, leaves...)
		mismatched := false
		for _, l := range leaves {
			p := strings.Join(l.JSONPointer(), "/")
			if (l.SchemaField == "type" && p == at) || (isDiscriminatorMiss(l) && p == strings.TrimPrefix(at+"/type", "/")) {
				mismatched = true
			}
		}
		if !mismatched {
			kept = append(kept, leaves...)
		}
	}
	if len(kept) == 0 {
		return all
	}
	return kept
}

// isDiscriminatorMiss reports whether a leaf only says that "type" is not the branch's value.
func isDiscriminatorMiss(l *openapi3.SchemaError) bool {
	p := l.JSONPointer()
	return len(p) > 0 && p[len(p)-1] == "type" && (l.SchemaField == "enum" || l.SchemaField == "const")
}

// locationPrefix matches the "error at ...: at '...': " prefixes of 2020-12 validator reasons.
var locationPrefix = regexp.MustCompile(`^(error at "[^"]*": )?(at '[^']*': )?`)

// leafMessage is a leaf's reason without the location, which the path already gives.
func leafMessage(l *openapi3.SchemaError) string {
	msg := l.Reason
	if msg == "" {
		msg = "does not match schema keyword " + l.SchemaField
	}
	msg = locationPrefix.ReplaceAllString(msg, "")
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return msg
}

// schemaErrorCode maps a failing JSON Schema keyword to the closest Discord error code.
func schemaErrorCode(keyword string) string {
	switch keyword {
	case "maxLength", "maxItems", "maxProperties":
		return "BASE_TYPE_MAX_LENGTH"
	case "minLength", "minItems", "minProperties":
		return "BASE_TYPE_MIN_LENGTH"
	case "required":
		return "BASE_TYPE_REQUIRED"
	case "enum", "const":
		return "BASE_TYPE_CHOICES"
	case "maximum", "exclusiveMaximum":
		return "NUMBER_TYPE_MAX"
	case "minimum", "exclusiveMinimum":
		return "NUMBER_TYPE_MIN"
	case "type":
		return "BASE_TYPE_BAD_TYPE"
	default:
		return "BASE_TYPE_INVALID"
	}
}
