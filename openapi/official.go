package openapi

import (
	_ "embed"
	"fmt"

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
	return doc, nil
}
