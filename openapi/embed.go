// Package openapi holds the contract: the OpenAPI documents of the Atlas subset (atlas.yaml) and
// of the stub's own control API (stub.yaml), embedded in the binary.
package openapi

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

var (
	//go:embed atlas.yaml
	atlasYAML []byte
	//go:embed stub.yaml
	stubYAML []byte
	//go:embed upstream-differences.yaml
	upstreamDifferencesYAML []byte
)

// AtlasYAML returns the bytes of the Atlas subset specification.
func AtlasYAML() []byte { return atlasYAML }

// StubYAML returns the bytes of the control API specification.
func StubYAML() []byte { return stubYAML }

// UpstreamDifferencesYAML returns the bytes of the reviewed differences between atlas.yaml and
// the official Atlas specification, which `atlasstub spec upstream` reads.
func UpstreamDifferencesYAML() []byte { return upstreamDifferencesYAML }

// LoadAtlas parses and validates the Atlas subset specification. Every call returns a new
// document, so callers may change it (routers, for example, drop the servers).
func LoadAtlas() (*openapi3.T, error) { return load("atlas.yaml", atlasYAML) }

// LoadStub parses and validates the control API specification.
func LoadStub() (*openapi3.T, error) { return load("stub.yaml", stubYAML) }

func load(name string, data []byte) (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableSchemaPatternValidation(), openapi3.EnableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("validate %s: %w", name, err)
	}
	return doc, nil
}
