package openapi

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// The official Atlas Administration API specification, vendored under upstream/ from the Atlas Go
// SDK module that go.mod requires (`make generate` syncs it; upstream/SOURCE names the version).
// The stub serves every official operation that atlas.yaml does not with its generic engine, from
// the prepared form: JSON without the documentation, with the roles and error statuses the
// pipeline reads (docs/contract.md lists every change).
var (
	//go:embed upstream/atlas-api.prepared.json
	officialJSON []byte
	//go:embed upstream/SOURCE
	officialSource []byte
)

// OfficialJSON returns the bytes of the prepared official specification.
func OfficialJSON() []byte { return officialJSON }

// OfficialSource returns the module, version and SHA-256 that the official specification was
// vendored from.
func OfficialSource() []byte { return officialSource }

// LoadOfficial parses the prepared official specification. It is not validated: parsing takes
// about half a second already, and `go test ./openapi` validates it once. Every call returns a
// new document.
func LoadOfficial() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(officialJSON)
	if err != nil {
		return nil, fmt.Errorf("load the official specification: %w", err)
	}
	resolveMappings(doc)
	return doc, nil
}

// resolveMappings points each discriminator's mapping at the component schema it names, which
// the loader leaves a bare reference: a base schema without alternatives (PrivateLinkEndpoint)
// is built as the kind its tag maps to.
func resolveMappings(doc *openapi3.T) {
	for _, schema := range doc.Components.Schemas {
		d := schema.Value.Discriminator
		if d == nil {
			continue
		}
		for tag, target := range d.Mapping {
			if target.Value == nil {
				if component, ok := doc.Components.Schemas[strings.TrimPrefix(target.Ref, "#/components/schemas/")]; ok {
					d.Mapping[tag] = openapi3.MappingRef{Ref: target.Ref, Value: component.Value}
				}
			}
		}
	}
}
