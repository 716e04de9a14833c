package synth_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/openapi/synth"
)

var now = time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC)

// TestEveryOfficialBodyGetsAValidValue builds, for every operation of the official
// specification, a response for each success status and a request body from nothing, and
// validates each against its schema: whatever a schema asks, synth can answer it.
func TestEveryOfficialBodyGetsAValidValue(t *testing.T) {
	doc, err := openapi.LoadOfficial()
	require.NoError(t, err)
	var failures []string
	check := func(where string, schema *openapi3.SchemaRef, direction synth.Direction, optional bool) {
		v := synth.Value(schema, nil, synth.Options{Direction: direction, Now: now, Optional: optional})
		// As the stub validates: a request may carry read-only properties, which it ignores.
		visit := []openapi3.SchemaValidationOption{openapi3.VisitAsResponse(), openapi3.MultiErrors()}
		if direction == synth.Request {
			visit = []openapi3.SchemaValidationOption{openapi3.VisitAsRequest(), openapi3.DisableReadOnlyValidation(), openapi3.MultiErrors()}
		}
		if err := schema.Value.VisitJSON(v, visit...); err != nil {
			failures = append(failures, fmt.Sprintf("%s: %v", where, firstLine(err)))
		}
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for status, response := range op.Responses.Map() {
				if !strings.HasPrefix(status, "2") {
					continue
				}
				for mediaType, content := range response.Value.Content {
					if content.Schema != nil && strings.HasSuffix(mediaType, "json") {
						check(fmt.Sprintf("%s %s %s", method, path, status), content.Schema, synth.Response, false)
					}
				}
			}
			if op.RequestBody != nil {
				for _, content := range op.RequestBody.Value.Content {
					if content.Schema != nil {
						check(fmt.Sprintf("%s %s request", method, path), content.Schema, synth.Request, false)
						check(fmt.Sprintf("%s %s request with examples", method, path), content.Schema, synth.Request, true)
					}
				}
			}
		}
	}
	slices.Sort(failures)
	assert.Empty(t, failures)
}

func firstLine(err error) string {
	line, _, _ := strings.Cut(err.Error(), "\n")
	return line
}

func schemaOf(t *testing.T, yaml string) *openapi3.SchemaRef {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(`{"openapi":"3.0.1","info":{"title":"t","version":"1"},"paths":{},"components":{"schemas":` + yaml + `}}`))
	require.NoError(t, err)
	return doc.Components.Schemas["S"]
}

func TestValueKeepsTheSourceAndFillsWhatTheSchemaAsks(t *testing.T) {
	schema := schemaOf(t, `{"S": {"type": "object", "required": ["name"], "properties": {
		"name": {"type": "string"},
		"id": {"type": "string", "readOnly": true, "pattern": "^([a-f0-9]{24})$"},
		"created": {"type": "string", "format": "date-time", "readOnly": true},
		"password": {"type": "string", "writeOnly": true},
		"paused": {"type": "boolean", "default": false},
		"tier": {"type": "string", "enum": ["M10", "M20"]},
		"count": {"type": "integer", "minimum": 3}
	}}}`)
	ids := 0
	newID := func() string { ids++; return fmt.Sprintf("%024x", ids) }
	got := synth.Value(schema, map[string]any{"name": "c1", "password": "secret", "unknown": 1, "tier": "M99"},
		synth.Options{Direction: synth.Response, Now: now, NewID: newID})
	assert.Equal(t, map[string]any{
		"name":    "c1",
		"id":      "000000000000000000000001",
		"created": "2026-12-01T10:30:00Z",
		"paused":  false,
		"tier":    "M10", // the source's value is not one of the enum's
	}, got, "write-only and undeclared properties stay out; read-only and defaulted ones are filled")

	request := synth.Value(schema, map[string]any{"id": "x", "password": "secret"}, synth.Options{Direction: synth.Request})
	assert.Equal(t, map[string]any{"name": "", "password": "secret"}, request, "a request leaves out read-only properties")
}

func TestValueFollowsTheDiscriminator(t *testing.T) {
	schema := schemaOf(t, `{
		"S": {"oneOf": [{"$ref": "#/components/schemas/AWS"}, {"$ref": "#/components/schemas/GCP"}],
		      "discriminator": {"propertyName": "providerName", "mapping": {"AWS": "#/components/schemas/AWS", "GCP": "#/components/schemas/GCP"}}},
		"AWS": {"type": "object", "properties": {"providerName": {"type": "string"}, "region": {"type": "string", "enum": ["US_EAST_1"]}}, "required": ["region"]},
		"GCP": {"type": "object", "properties": {"providerName": {"type": "string"}, "zone": {"type": "string", "default": "CENTRAL_US"}}, "required": ["zone"]}
	}`)
	assert.Equal(t, map[string]any{"providerName": "GCP", "zone": "CENTRAL_US"},
		synth.Value(schema, map[string]any{"providerName": "GCP"}, synth.Options{}))
	assert.Equal(t, map[string]any{"providerName": "AWS", "region": "US_EAST_1"},
		synth.Value(schema, nil, synth.Options{}), "without a source, the first alternative, named")
}

// TestValueTakesTheAlternativeItsEnumsAllow: without a discriminator, the alternative is the one
// whose enums (or alternatives of enums) allow the source's values and whose required properties
// it has; its own properties are kept, and what the alternative asks is filled.
func TestValueTakesTheAlternativeItsEnumsAllow(t *testing.T) {
	schema := schemaOf(t, `{
		"S": {"oneOf": [{"$ref": "#/components/schemas/Host"}, {"$ref": "#/components/schemas/ReplicaSet"}]},
		"Host": {"type": "object", "required": ["eventTypeName"], "properties": {
			"eventTypeName": {"oneOf": [{"type": "string", "enum": ["HOST_DOWN"]}, {"type": "string", "enum": ["HOST_UP"]}]},
			"hostname": {"type": "string", "default": "h"}}},
		"ReplicaSet": {"type": "object", "required": ["eventTypeName", "threshold"], "properties": {
			"eventTypeName": {"type": "string", "enum": ["NO_PRIMARY", "PRIMARY_ELECTED"]},
			"threshold": {"type": "integer", "minimum": 1}}}
	}`)
	assert.Equal(t, map[string]any{"eventTypeName": "NO_PRIMARY", "threshold": 3},
		synth.Value(schema, map[string]any{"eventTypeName": "NO_PRIMARY", "threshold": 3}, synth.Options{Direction: synth.Response}))
	assert.Equal(t, map[string]any{"eventTypeName": "HOST_UP", "hostname": "h"},
		synth.Value(schema, map[string]any{"eventTypeName": "HOST_UP"}, synth.Options{Direction: synth.Response}))
}

// TestValueOfABaseFollowsItsMapping: a base schema whose discriminator maps kinds to schemas of
// their own, without alternatives (PrivateLinkEndpoint), is built as the source's kind, once the
// mapping is resolved (openapi.LoadOfficial resolves it).
func TestValueOfABaseFollowsItsMapping(t *testing.T) {
	schema := schemaOf(t, `{
		"S": {"type": "object", "properties": {"cloudProvider": {"type": "string"}}, "required": ["cloudProvider"],
		      "discriminator": {"propertyName": "cloudProvider", "mapping": {"AWS": "#/components/schemas/AWS"}}},
		"AWS": {"type": "object", "properties": {"cloudProvider": {"type": "string"}, "interfaceEndpointId": {"type": "string", "readOnly": true}}}
	}`)
	source := map[string]any{"cloudProvider": "AWS", "interfaceEndpointId": "vpce-1"}
	assert.Equal(t, map[string]any{"cloudProvider": "AWS"}, synth.Value(schema, source, synth.Options{Direction: synth.Response}),
		"an unresolved mapping leaves the base")
	aws := schema.Value.Discriminator.Mapping["AWS"]
	schema.Value.Discriminator.Mapping["AWS"] = openapi3.MappingRef{Ref: aws.Ref, Value: schemaOf(t, `{"S": {"type": "object", "properties": {
		"cloudProvider": {"type": "string"}, "interfaceEndpointId": {"type": "string", "readOnly": true}}}}`).Value}
	assert.Equal(t, source, synth.Value(schema, source, synth.Options{Direction: synth.Response}))
}

func TestValueOfAPatternMatchesIt(t *testing.T) {
	for _, pattern := range []string{`^[a-z]{3}-[0-9]{2,4}$`, `^(arn:aws:iam::)?[0-9]{12}$`, `^([0-9]*/)?sg-([0-9]*)`} {
		schema := schemaOf(t, `{"S": {"type": "string", "pattern": `+quote(pattern)+`}}`)
		v := synth.Value(schema, nil, synth.Options{})
		assert.NoError(t, schema.Value.VisitJSON(v), "%q for %s", v, pattern)
	}
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
