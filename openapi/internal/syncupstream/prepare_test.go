package main

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRolesOfReadsTheDescription(t *testing.T) {
	cases := []struct {
		description, path, method string
		want                      []any
	}{
		{"To use this resource, the requesting Service Account or API Key must have the Project Owner role.", "/groups/{groupId}/x", "post", []any{"GROUP_OWNER"}},
		{"must have the Organization Owner or Project Owner role.", "/groups/{groupId}/teams", "get", []any{"GROUP_OWNER", "ORG_OWNER"}},
		{"must have the Project Data Access Read Write role.", "/groups/{groupId}/x", "get", []any{"GROUP_DATA_ACCESS_READ_WRITE"}},
		{"must have the Project Owner role or Project Stream Processing Owner role.", "/groups/{groupId}/x", "get", []any{"GROUP_OWNER", "GROUP_STREAM_PROCESSING_OWNER"}},
		{"must have the Project Read Only or Project Charts Admin roles.", "/groups/{groupId}/x", "get", []any{"GROUP_OWNER", "GROUP_READ_ONLY"}},
		{"must have the Organization Billing Viewer, Organization Billing Admin, or Organization Owner role.", "/orgs/{orgId}/invoices", "get", []any{"ORG_BILLING_ADMIN", "ORG_BILLING_READ_ONLY", "ORG_OWNER"}},
		{"must have the Project Data Access roles, Project Owner role or Project Stream Processing Owner role.", "/groups/{groupId}/x", "get", []any{"GROUP_DATA_ACCESS_READ_ONLY", "GROUP_OWNER", "GROUP_STREAM_PROCESSING_OWNER"}},
		// No role stated: the scope and the method decide.
		{"Returns the settings. A user must have at least one role at all times.", "/groups/{groupId}/settings", "get", []any{"GROUP_READ_ONLY"}},
		{"Changes the settings.", "/groups/{groupId}/settings", "patch", []any{"GROUP_OWNER"}},
		{"Lists the invoices.", "/orgs/{orgId}/invoices", "get", []any{"ORG_MEMBER"}},
		{"Deletes it.", "/orgs/{orgId}/x", "delete", []any{"ORG_OWNER"}},
		{"Returns the status.", "/", "get", []any{}},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, rolesOf(c.description, c.path, c.method), c.description)
	}
}

// officialFragment is a small document in the official specification's shape.
const officialFragment = `
openapi: 3.0.1
info: {title: t, version: "2.0"}
paths:
  /api/atlas/v2/groups/{groupId}/widgets:
    parameters:
      - {name: groupId, in: path, required: true, schema: {type: string}}
    post:
      operationId: createWidget
      description: Creates a widget. To use this resource, the requesting Service Account or API Key must have the Project Owner role.
      x-codeSamples: [{lang: cURL, source: curl}]
      requestBody:
        content:
          application/vnd.atlas.2024-08-05+json:
            schema: {$ref: '#/components/schemas/Widget'}
      responses:
        "201":
          description: Created
          content:
            application/vnd.atlas.2024-08-05+json:
              schema: {$ref: '#/components/schemas/Widget'}
        "204":
          description: No Content
          content:
            application/vnd.atlas.2024-08-05+json: {x-xgen-version: "2024-08-05"}
        "400":
          description: Bad request.
          content:
            application/vnd.atlas.2024-08-05+json:
              schema: {type: object}
        "500": {$ref: '#/components/responses/internalServerError'}
components:
  responses:
    badRequest: {description: Bad Request.}
    notFound: {description: Not Found.}
    conflict: {description: Conflict.}
    internalServerError: {description: Internal Server Error.}
  schemas:
    ApiError:
      type: object
      properties:
        parameters: {type: array, items: {type: object}}
    Widget:
      type: object
      description: A widget.
      properties:
        description: {type: string, description: What the widget is for.}
        address: {type: string, pattern: '^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}|([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$'}
        size:
          oneOf:
            - {type: string, enum: [M10, M20]}
            - {$ref: '#/components/schemas/AzureSize'}
        provider:
          oneOf:
            - {type: object, required: [a], properties: {a: {type: string}}}
            - {type: object, properties: {b: {type: string}}}
        eventTypeName:
          type: object
          oneOf:
            - {type: string, enum: [CLUSTER_MONGOS_IS_MISSING]}
            - {type: string, enum: [CREDIT_CARD_ABOUT_TO_EXPIRE]}
    AzureSize: {type: string, enum: [M10, M30]}
`

func TestPrepare(t *testing.T) {
	prepared, err := prepare([]byte(officialFragment))
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(prepared, &doc))

	op := dig(t, doc, "paths", "/api/atlas/v2/groups/{groupId}/widgets", "post")
	assert.Equal(t, []any{"GROUP_OWNER"}, op["x-atlas-roles"])
	assert.Equal(t, []any{"2024-08-05"}, op["x-atlas-versions"])
	assert.NotContains(t, op, "description")
	assert.NotContains(t, op, "x-codeSamples")
	responses := dig(t, op, "responses")
	assert.Contains(t, dig(t, op, "requestBody", "content"), "application/json", "a body may come as plain JSON too")
	for status, ref := range map[string]string{"400": badRequestRef, "404": notFoundRef, "406": notAcceptableRef, "409": conflictRef, "415": unsupportedMediaTypeRef} {
		assert.Equal(t, map[string]any{"$ref": ref}, responses[status], status)
	}
	assert.Equal(t, "Created", dig(t, responses, "201")["description"], "a response keeps its description, which OpenAPI requires")
	assert.NotContains(t, dig(t, responses, "204"), "content", "a 204 has no body")
	assert.Contains(t, dig(t, doc, "components", "responses"), "notAcceptable")

	widget := dig(t, doc, "components", "schemas", "Widget")
	assert.NotContains(t, widget, "description")
	assert.Contains(t, dig(t, widget, "properties"), "description", "a property called description is a schema")
	assert.Equal(t, patternFixes[`^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}|([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$`], dig(t, widget, "properties", "address")["pattern"])
	assert.Equal(t, map[string]any{}, dig(t, doc, "components", "schemas", "ApiError", "properties", "parameters")["items"])

	properties := dig(t, widget, "properties")
	assert.Equal(t, map[string]any{"type": "string", "enum": []any{"M10", "M20", "M30"}}, properties["size"],
		"a oneOf of enums that share M10 is their union")
	assert.Contains(t, dig(t, properties, "provider"), "anyOf", "alternatives that nothing tells apart are anyOf")
	assert.NotContains(t, dig(t, properties, "provider"), "oneOf")
	assert.NotContains(t, dig(t, properties, "eventTypeName"), "type", "an object whose alternatives are strings loses its type")

	again, err := prepare([]byte(officialFragment))
	require.NoError(t, err)
	assert.Equal(t, prepared, again, "preparing is deterministic")
}

func TestPrepareRefusesAPatternGoCannotCompile(t *testing.T) {
	broken := officialFragment + "    Other: {type: string, pattern: '^(?=a)b$'}\n"
	_, err := prepare([]byte(broken))
	assert.ErrorContains(t, err, "patternFixes")
}

func dig(t *testing.T, m map[string]any, keys ...string) map[string]any {
	t.Helper()
	for _, key := range keys {
		next, ok := m[key].(map[string]any)
		require.True(t, ok, "no object at %q", key)
		m = next
	}
	return m
}

// TestTheFixedPatternsAcceptWhatAtlasDoes: each replacement compiles and accepts Atlas's values.
func TestTheFixedPatternsAcceptWhatAtlasDoes(t *testing.T) {
	accepts := map[string][]string{
		mobileNumberDoubled: {"212-555-0199", "2125550199", "+1 212 555 0199"},
	}
	for official, values := range accepts {
		fixed := regexp.MustCompile(patternFixes[official])
		for _, v := range values {
			assert.True(t, fixed.MatchString(v), "%q", v)
		}
	}
	for _, fixed := range patternFixes {
		_, err := regexp.Compile(fixed)
		assert.NoError(t, err)
	}
}
