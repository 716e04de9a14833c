package upstream

import (
	"errors"
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
	if doc.Paths == nil || doc.Info == nil {
		return nil, fmt.Errorf("%s: %w", name, errors.New("not an OpenAPI document: no info or paths"))
	}
	return doc, nil
}
