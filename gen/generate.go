// Package gen holds the Go bindings that oapi-codegen generates from the specifications in
// openapi/: atlasapi for the Atlas subset and stubapi for the control API. Never edit the
// generated files; change the specification and run `make generate`.
package gen

// The module's only go:generate directive. scripts/generate.sh writes gen/ and then the client's
// typed methods (client/operations.gen.go), which are read from the new gen/atlasapi. A directive
// of their own in client/ would run first: `go generate ./...` visits packages in import-path
// order, and client sorts before gen.
//
//go:generate ../scripts/generate.sh
