package openapi

import (
	"bytes"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// WithServerFirst returns the YAML document doc with url as the first of its servers, before
// those it names already (url itself is not repeated). The rest of the document, its comments
// included, is kept; the YAML is written anew with two-space indentation.
func WithServerFirst(doc []byte, url string) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		return nil, fmt.Errorf("openapi: read the document: %w", err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("openapi: the document is not a YAML mapping")
	}
	top := root.Content[0]
	servers := &yaml.Node{Kind: yaml.SequenceNode}
	found := false
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "servers" {
			servers, found = top.Content[i+1], true
			break
		}
	}
	if !found {
		top.Content = append(top.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "servers"}, servers)
	}
	if servers.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("openapi: servers is not a list")
	}
	kept := []*yaml.Node{serverNode(url)}
	for _, s := range servers.Content {
		var server struct{ URL string }
		if err := s.Decode(&server); err != nil || server.URL != url {
			kept = append(kept, s)
		}
	}
	servers.Content = kept
	var out bytes.Buffer
	encoder := yaml.NewEncoder(&out)
	encoder.SetIndent(2)
	if err := encoder.Encode(&root); err != nil {
		return nil, fmt.Errorf("openapi: write the document: %w", err)
	}
	return out.Bytes(), encoder.Close()
}

func serverNode(url string) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Value: "url"}, {Kind: yaml.ScalarNode, Value: url},
		{Kind: yaml.ScalarNode, Value: "description"}, {Kind: yaml.ScalarNode, Value: "this stub"},
	}}
}
