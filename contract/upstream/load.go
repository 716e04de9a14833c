package upstream

import (
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// Load parses a specification without validating it. The official specification has patterns
// with lookaheads that Go's regexp cannot compile, so validation would reject it; the comparison
// only reads the document.
func Load(name string, data []byte) (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if doc.OpenAPI == "" || doc.Info == nil || doc.Paths == nil {
		return nil, fmt.Errorf("%s: not an OpenAPI document: it needs openapi, info and paths", name)
	}
	return doc, nil
}
