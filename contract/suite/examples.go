package suite

import (
	"encoding/json"
	"maps"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/atlasstub/atlasstub/contract"
)

// The specification's examples are the second source of valid data, next to the catalog. An
// example shows fields a request may carry, but not the state the request meets: which project
// or organization exists, which names are free, which roles the kit may hand out, how long a
// secret may live in this organization. So the catalog's request decides every field it sets,
// and the example adds the fields the catalog leaves out, object by object; a list is taken whole
// from the side that has it. Read-only fields of an example are left out, as requests do not set
// them. The negative cases mutate this richer request, so that the examples' fields are broken
// too.

// withSpecExamples is a valid call with the specification's examples added to its body.
func (g *generator) withSpecExamples(c call) call {
	if example, ok := g.examples[c.op.OperationID]; ok && !c.op.Official {
		c.body = withExamples(c.body, example)
	}
	return c
}

// requestExamples are the examples of the operations' JSON request bodies by operationId, read
// from the schemas once. An operation that changes the organization itself has none, since the
// kit never changes the organization's settings.
func requestExamples(ops []contract.Operation) map[string]any {
	examples := map[string]any{}
	for _, op := range ops {
		if example := requestExample(op); example != nil && !recipeOf(op).changesOrganization {
			examples[op.OperationID] = example
		}
	}
	return examples
}

// requestExample is the example of an operation's JSON request body, or nil.
func requestExample(op contract.Operation) any {
	if op.RequestBody == nil || op.RequestBody.Value.Content.Get("application/json") == nil {
		return nil
	}
	return exampleOf(op.RequestBody.Value.Content.Get("application/json").Schema.Value)
}

// exampleOf is the example of a schema as a request would send it: the schema's own example, or
// for an object its properties' examples; nil when there is none. It may share memory with the
// specification; withExamples copies what it takes from it.
func exampleOf(s *openapi3.Schema) any {
	if s.Example != nil {
		return withoutReadOnly(s, s.Example)
	}
	if !s.Type.Is("object") {
		return nil
	}
	out := map[string]any{}
	for name, prop := range s.Properties {
		if prop.Value == nil || prop.Value.ReadOnly {
			continue
		}
		if example := exampleOf(prop.Value); example != nil {
			out[name] = example
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// withoutReadOnly leaves out of an object the properties its schema marks read-only, at any
// depth.
func withoutReadOnly(s *openapi3.Schema, example any) any {
	object, ok := example.(map[string]any)
	if !ok {
		return example
	}
	out := map[string]any{}
	for name, value := range object {
		prop := s.Properties[name]
		if prop == nil || prop.Value == nil {
			out[name] = value
			continue
		}
		if !prop.Value.ReadOnly {
			out[name] = withoutReadOnly(prop.Value, value)
		}
	}
	return out
}

// withExamples adds to a valid body a copy of what an example has and the body leaves out; what the
// body sets stays as it is.
func withExamples(body, example any) any {
	mine, ok := body.(map[string]any)
	theirs, isObject := example.(map[string]any)
	if !ok || !isObject {
		return body
	}
	out := maps.Clone(mine)
	for name, value := range theirs {
		if own, set := out[name]; set {
			out[name] = withExamples(own, value)
		} else {
			out[name] = copyJSON(value)
		}
	}
	return out
}

// copyJSON copies a JSON value, so that what the kit sends never shares memory with the
// specification.
func copyJSON(v any) any {
	var out any
	if err := json.Unmarshal(jsonBody(v), &out); err != nil {
		panic("suite: copy an example: " + err.Error())
	}
	return out
}
