package openapi_test

import (
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/openapi"
)

const vendoredOfficial = "upstream/atlas-api.yaml"

// TestOfficialSpecificationPrepared loads the prepared official specification and checks what
// the stub reads from it: all 473 operations of the vendored version, each with x-atlas-roles, the
// error statuses the pipeline answers, and a body decoder for every media type it answers.
func TestOfficialSpecificationPrepared(t *testing.T) {
	doc, err := openapi.LoadOfficial()
	require.NoError(t, err)
	ops := operations(doc)
	assert.Len(t, ops, 473, "the official specification of %s", openapi.OfficialSource())
	for _, op := range ops {
		_, ok := op.Extensions["x-atlas-roles"]
		assert.True(t, ok, "%s has no x-atlas-roles", op.OperationID)
		if len(openapi.Versions(op.Operation)) > 0 {
			assert.NotNil(t, op.Responses.Value("406"), "%s is versioned and must declare 406", op.OperationID)
		}
		if op.RequestBody != nil {
			assert.NotNil(t, op.Responses.Value("415"), "%s takes a body and must declare 415", op.OperationID)
		}
		for _, response := range op.Responses.Map() {
			for mediaType := range response.Value.Content {
				if mediaType != "application/json" && !strings.HasSuffix(mediaType, "+json") {
					assert.NotNil(t, openapi3filter.RegisteredBodyDecoder(mediaType), "%s answers %s, which the validator cannot read", op.OperationID, mediaType)
				}
			}
		}
	}
}

// TestOfficialMappingsAreResolved: every discriminator mapping of a component schema points at
// the schema it names.
func TestOfficialMappingsAreResolved(t *testing.T) {
	doc, err := openapi.LoadOfficial()
	require.NoError(t, err)
	mappings := 0
	for name, schema := range doc.Components.Schemas {
		if d := schema.Value.Discriminator; d != nil {
			for tag, target := range d.Mapping {
				mappings++
				assert.NotNil(t, target.Value, "%s maps %s to %s", name, tag, target.Ref)
			}
		}
	}
	assert.Positive(t, mappings)
	assert.Equal(t, doc.Components.Schemas["AWSInterfaceEndpoint"].Value, doc.Components.Schemas["PrivateLinkEndpoint"].Value.Discriminator.Mapping["AWS"].Value)
}

// The two ways to load the official specification: the vendored YAML as Atlas publishes it, and
// the prepared JSON the stub embeds (docs/benchmarks.md).
func BenchmarkLoadOfficialYAML(b *testing.B) {
	data, err := os.ReadFile(vendoredOfficial)
	require.NoError(b, err)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := openapi3.NewLoader().LoadFromData(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadOfficialPrepared(b *testing.B) {
	b.SetBytes(int64(len(openapi.OfficialJSON())))
	for b.Loop() {
		if _, err := openapi.LoadOfficial(); err != nil {
			b.Fatal(err)
		}
	}
}
