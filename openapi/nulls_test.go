package openapi_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/openapi"
)

const nullsDoc = `
paths:
  /users:
    patch:
      requestBody:
        content:
          application/vnd.atlas.2023-01-01+json:
            schema: {$ref: '#/components/schemas/User'}
      responses:
        "200": {description: ok}
components:
  schemas:
    User:
      type: object
      required: [username, created]
      properties:
        username: {type: string}
        created: {type: string, format: date-time, readOnly: true}
        roles:
          type: array
          items: {$ref: '#/components/schemas/Role'}
        scopes:
          type: array
          nullable: true
          items: {type: string}
        labels:
          type: array
          items: {type: string}
        extra:
          allOf:
            - type: object
              properties:
                note: {type: string}
    Role:
      type: object
      required: [roleName]
      properties:
        roleName: {type: string}
        collectionName: {type: string}
`

func userSchema(t *testing.T) *openapi3.SchemaRef {
	t.Helper()
	doc := loadDoc(t, nullsDoc)
	schema := openapi.RequestBodySchema(doc.Paths.Value("/users").Patch, "application/json")
	require.NotNil(t, schema, "a versioned JSON body is found for application/json too")
	return schema
}

func TestWithoutAbsentNullsReadsANullOfAnOptionalPropertyAsAbsent(t *testing.T) {
	schema := userSchema(t)
	for in, want := range map[string]string{
		// What the official SDK sends for a password-only update: roles stays as it is.
		`{"username":"u","roles":null,"labels":null}`: `{"username":"u"}`,
		// A read-only property is optional in a request, required or not.
		`{"username":"u","created":null}`: `{"username":"u"}`,
		// Inside arrays and compositions too.
		`{"username":"u","roles":[{"roleName":"read","collectionName":null}]}`: `{"roles":[{"roleName":"read"}],"username":"u"}`,
		`{"username":"u","extra":{"note":null}}`:                               `{"extra":{},"username":"u"}`,
	} {
		out, dropped := openapi.WithoutAbsentNulls(schema, []byte(in))
		assert.True(t, dropped, in)
		assert.JSONEq(t, want, string(out), in)
	}
}

func TestWithoutAbsentNullsKeepsWhatTheSchemaJudges(t *testing.T) {
	schema := userSchema(t)
	for _, in := range []string{
		`{"username":null}`,                  // required: the validator refuses it
		`{"username":"u","scopes":null}`,     // nullable: null means what the schema says
		`{"username":"u","undeclared":null}`, // unknown: the validator refuses it
		`{"username":"u","roles":[null]}`,    // an item, not a property
		`{"username":"u","roles":[{"roleName":null}]}`,
		`{"username":"u","labels":["null"]}`,     // no null at all
		`{"username":"u", "roles": null`,         // not JSON: the validator says so
		`{"username":"u","roles":null} trailing`, // nor this
		`null`,
	} {
		out, dropped := openapi.WithoutAbsentNulls(schema, []byte(in))
		assert.False(t, dropped, in)
		assert.Equal(t, in, string(out), in)
	}
}

func TestWithoutAbsentNullsKeepsNumbersAsWritten(t *testing.T) {
	out, dropped := openapi.WithoutAbsentNulls(userSchema(t), []byte(`{"username":"u","roles":null,"big":12345678901234567890.50}`))
	require.True(t, dropped)
	assert.Contains(t, string(out), `12345678901234567890.50`)
}

// FuzzWithoutAbsentNulls: whatever the body, the result is the body itself, or valid JSON that
// differs from it only by nulls left out, and reading it again drops nothing more.
func FuzzWithoutAbsentNulls(f *testing.F) {
	for _, seed := range []string{
		`{"username":"u","roles":null}`,
		`{"roles":[{"roleName":"r","collectionName":null},null],"scopes":null}`,
		`{"extra":{"note":null,"x":[null]},"created":null}`,
		`[null]`, `"null"`, `{`, ``,
	} {
		f.Add([]byte(seed))
	}
	doc, err := openapi3.NewLoader().LoadFromData([]byte("openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\n" + nullsDoc))
	require.NoError(f, err)
	schema := openapi.RequestBodySchema(doc.Paths.Value("/users").Patch, "application/json")
	f.Fuzz(func(t *testing.T, body []byte) {
		out, dropped := openapi.WithoutAbsentNulls(schema, body)
		if !dropped {
			if !bytes.Equal(out, body) {
				t.Fatalf("nothing dropped, yet the body changed: %q -> %q", body, out)
			}
			return
		}
		if !onlyNullsLeftOut(decodeJSON(t, body), decodeJSON(t, out)) {
			t.Fatalf("%q -> %q changed more than nulls of object members", body, out)
		}
		if again, more := openapi.WithoutAbsentNulls(schema, out); more {
			t.Fatalf("%q -> %q -> %q: a second reading dropped more", body, out, again)
		}
	})
}

func decodeJSON(t *testing.T, data []byte) any {
	t.Helper()
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.UseNumber()
	var v any
	require.NoError(t, decoder.Decode(&v), "%q", data)
	return v
}

// onlyNullsLeftOut reports whether out is in with some of its objects' null members left out,
// and with at least one left out.
func onlyNullsLeftOut(in, out any) bool {
	var walk func(in, out any) (same bool, dropped int)
	walk = func(in, out any) (bool, int) {
		switch i := in.(type) {
		case map[string]any:
			o, ok := out.(map[string]any)
			if !ok {
				return false, 0
			}
			here, inside := 0, 0
			for name, member := range i {
				kept, ok := o[name]
				if !ok {
					if member != nil {
						return false, 0
					}
					here++
					continue
				}
				same, d := walk(member, kept)
				if !same {
					return false, 0
				}
				inside += d
			}
			return len(o) == len(i)-here, here + inside
		case []any:
			o, ok := out.([]any)
			if !ok || len(o) != len(i) {
				return false, 0
			}
			dropped := 0
			for k := range i {
				same, d := walk(i[k], o[k])
				if !same {
					return false, 0
				}
				dropped += d
			}
			return true, dropped
		}
		return in == out, 0
	}
	same, dropped := walk(in, out)
	return same && dropped > 0
}

// BenchmarkWithoutAbsentNulls measures the cost the rule adds to a request: a body without null
// (most requests) is only scanned; one with a null is decoded and encoded again.
func BenchmarkWithoutAbsentNulls(b *testing.B) {
	doc, err := openapi.LoadAtlas()
	require.NoError(b, err)
	schema := openapi.RequestBodySchema(doc.Paths.Value("/api/atlas/v2/groups/{groupId}/databaseUsers/{databaseName}/{username}").Patch, "application/json")
	for name, body := range map[string]string{
		"no null":                        `{"databaseName":"admin","groupId":"32b6e34b3d91647abb20e7b8","password":"second-password","username":"u","x509Type":"NONE","roles":[{"databaseName":"admin","roleName":"read"}]}`,
		"the SDK's password-only update": `{"databaseName":"admin","groupId":"32b6e34b3d91647abb20e7b8","password":"second-password","roles":null,"username":"u","x509Type":"NONE"}`,
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				openapi.WithoutAbsentNulls(schema, []byte(body))
			}
		})
	}
}
