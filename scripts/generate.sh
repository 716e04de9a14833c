#!/bin/sh
# Generates everything that is generated from the specifications, in the order it depends on:
# the official specification vendored from the Atlas Go SDK module of go.mod and its prepared
# form (openapi/upstream/), the Go bindings of both of our specifications with oapi-codegen, then
# the Go client's typed methods, which client/internal/opsgen reads from the new gen/atlasapi.
#
#   scripts/generate.sh [SOURCE_DIR [OUT_DIR]]
#
# SOURCE_DIR is a tree of this module: its openapi/, gen/*api/oapi-codegen.yaml configurations and
# client/internal/opsgen are the input (default: this repository). OUT_DIR receives
# openapi/upstream/, gen/<api>api/<api>api.gen.go and client/operations.gen.go (default:
# SOURCE_DIR itself).
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
src=$(cd "${1:-$repo}" && pwd)
out=${2:-$src}
mkdir -p "$out"
out=$(cd "$out" && pwd)

cd "$src"
GOWORK=off go run -trimpath ./openapi/internal/syncupstream -o "$out"

cd "$repo" # `go tool` resolves oapi-codegen from this module's go.mod
for api in atlas stub; do
	mkdir -p "$out/gen/${api}api"
	go tool oapi-codegen \
		-config "$src/gen/${api}api/oapi-codegen.yaml" \
		-o "$out/gen/${api}api/${api}api.gen.go" \
		"$src/openapi/${api}.yaml"
done

# opsgen is compiled in the source tree with the new bindings laid over the committed ones, so that
# it reads the new gen/atlasapi even when OUT_DIR is elsewhere (as for scripts/check-generated.sh).
# That rules out building it ahead; instead -trimpath keeps the tree's directory out of the build
# cache's keys, so that another copy of the module (a worktree, the copies that
# scripts/check_generated_test.go makes) reuses what one compiled rather than compile gen/atlasapi
# and opsgen anew.
overlay=$(mktemp)
trap 'rm -f "$overlay"' EXIT
printf '{"Replace": {"%s": "%s"}}\n' "$src/gen/atlasapi/atlasapi.gen.go" "$out/gen/atlasapi/atlasapi.gen.go" >"$overlay"
mkdir -p "$out/client"
cd "$src"
GOWORK=off go run -trimpath -overlay "$overlay" ./client/internal/opsgen -o "$out/client/operations.gen.go"
