package openapi

import (
	"bytes"
	"encoding/json"
	"maps"
	"mime"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Clients generated from the official specification serialize the properties they leave unset
// that have no omitempty: the official Go SDK sends a nil slice as null and an unset time as
// 0001-01-01T00:00:00Z (a database-user update of the password alone carries "roles":null). Live
// Atlas reads a null of an optional property as absent: the update keeps the user's roles. The
// schemas say otherwise (the property is not nullable), so requests are read by one rule before
// they are validated: null for an optional property that is not nullable is absent. A read-only
// property counts as optional in a request, whatever its schema requires, since requests may
// carry it and the server ignores it. A nullable property keeps its null, whose meaning is its
// schema's.

// WithoutAbsentNulls returns a JSON request body without the nulls that the schema reads as
// absent, at any depth, and whether it dropped any. A body that is not JSON is returned as it is,
// for the validator to refuse.
func WithoutAbsentNulls(schema *openapi3.SchemaRef, body []byte) ([]byte, bool) {
	if schema == nil || schema.Value == nil || !bytes.Contains(body, []byte("null")) {
		return body, false
	}
	decoder := json.NewDecoder(bytes.NewReader(body))
	decoder.UseNumber() // numbers keep their text
	var value any
	if decoder.Decode(&value) != nil || decoder.More() {
		return body, false
	}
	if !dropAbsentNulls(schema.Value, value) {
		return body, false
	}
	normalized, err := json.Marshal(value)
	if err != nil {
		return body, false
	}
	return normalized, true
}

// dropAbsentNulls removes the absent nulls of value, which schema describes, and of everything
// inside it; it reports whether it removed any.
func dropAbsentNulls(schema *openapi3.Schema, value any) bool {
	dropped := false
	switch v := value.(type) {
	case map[string]any:
		shape := objectShape(schema)
		for name, member := range v {
			properties := shape.properties[name]
			if member == nil {
				if len(properties) > 0 && !shape.required[name] && !anyNullable(properties) {
					delete(v, name)
					dropped = true
				}
				continue
			}
			for _, property := range properties {
				dropped = dropAbsentNulls(property, member) || dropped
			}
		}
	case []any:
		for _, items := range arrayItems(schema) {
			for _, item := range v {
				dropped = dropAbsentNulls(items, item) || dropped
			}
		}
	}
	return dropped
}

// shape is what an object schema says about its properties, with those of its allOf, oneOf and
// anyOf members: the schemas of each property (one per schema that declares it) and the
// properties it requires in a request.
type shape struct {
	properties map[string][]*openapi3.Schema
	required   map[string]bool
}

func objectShape(schema *openapi3.Schema) shape {
	s := shape{properties: map[string][]*openapi3.Schema{}, required: map[string]bool{}}
	s.add(schema, 0)
	return s
}

// maxCompositionDepth bounds the walk through allOf, oneOf and anyOf, whose schemas may refer to
// each other in a cycle.
const maxCompositionDepth = 16

func (s shape) add(schema *openapi3.Schema, depth int) {
	if schema == nil || depth > maxCompositionDepth {
		return
	}
	for name, property := range schema.Properties {
		if property == nil || property.Value == nil {
			continue
		}
		s.properties[name] = append(s.properties[name], property.Value)
	}
	for _, name := range schema.Required {
		if property := schema.Properties[name]; property == nil || property.Value == nil || !property.Value.ReadOnly {
			s.required[name] = true
		}
	}
	for _, members := range []openapi3.SchemaRefs{schema.AllOf, schema.OneOf, schema.AnyOf} {
		for _, member := range members {
			if member != nil {
				s.add(member.Value, depth+1)
			}
		}
	}
}

// arrayItems returns the item schemas of an array schema and of its composition's members.
func arrayItems(schema *openapi3.Schema) []*openapi3.Schema {
	var items []*openapi3.Schema
	var add func(*openapi3.Schema, int)
	add = func(s *openapi3.Schema, depth int) {
		if s == nil || depth > maxCompositionDepth {
			return
		}
		if s.Items != nil && s.Items.Value != nil {
			items = append(items, s.Items.Value)
		}
		for _, members := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
			for _, member := range members {
				if member != nil {
					add(member.Value, depth+1)
				}
			}
		}
	}
	add(schema, 0)
	return items
}

func anyNullable(schemas []*openapi3.Schema) bool {
	for _, s := range schemas {
		if s.Nullable || s.Type.IncludesNull() {
			return true
		}
	}
	return false
}

// RequestBodySchema returns the schema of an operation's JSON request body sent as contentType:
// the schema of that media type, or, when the operation does not declare it (a versioned type
// that the step before renamed application/json, say), of the operation's first JSON media type.
// Nil when the operation takes no JSON body.
func RequestBodySchema(op *openapi3.Operation, contentType string) *openapi3.SchemaRef {
	if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	content := op.RequestBody.Value.Content
	if media := content.Get(contentType); media != nil && isJSON(contentType) {
		return media.Schema
	}
	for _, name := range slices.Sorted(maps.Keys(content)) {
		if isJSON(name) {
			return content[name].Schema
		}
	}
	return nil
}

// isJSON reports whether a media type, parameters aside, is application/json or a +json type.
func isJSON(contentType string) bool {
	mediaType, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mediaType == "application/json" || strings.HasSuffix(mediaType, "+json"))
}
