// Package gen holds the Go bindings that oapi-codegen generates from the specifications in
// openapi/: atlasapi for the Atlas subset and stubapi for the control API. Never edit the
// generated files; change the specification and run `make generate`.
package gen

//go:generate ../scripts/generate.sh
