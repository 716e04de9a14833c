#!/bin/sh
# Generates the Go bindings of both specifications with oapi-codegen.
#
#   scripts/generate.sh [SOURCE_DIR [OUT_DIR]]
#
# SOURCE_DIR holds openapi/ and the gen/*api/oapi-codegen.yaml configurations (default: this
# repository); OUT_DIR receives <api>api/<api>api.gen.go (default: SOURCE_DIR/gen).
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
src=$(cd "${1:-$repo}" && pwd)
out=${2:-$src/gen}
cd "$repo" # `go tool` resolves oapi-codegen from this module's go.mod
for api in atlas stub; do
	mkdir -p "$out/${api}api"
	go tool oapi-codegen \
		-config "$src/gen/${api}api/oapi-codegen.yaml" \
		-o "$out/${api}api/${api}api.gen.go" \
		"$src/openapi/${api}.yaml"
done
