#!/bin/sh
# Fails when the committed generated code (gen/ and client/operations.gen.go) differs from what the
# specifications produce, or the vendored official specification and its prepared form
# (openapi/upstream/) from what the Atlas Go SDK module of go.mod holds.
#
#   scripts/check-generated.sh [SOURCE_DIR]
#
# SOURCE_DIR is a tree of this module (default: this repository).
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
src=$(cd "${1:-$repo}" && pwd)
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
"$repo/scripts/generate.sh" "$src" "$fresh/tree"
status=0
for file in gen/atlasapi/atlasapi.gen.go gen/stubapi/stubapi.gen.go client/operations.gen.go \
	openapi/upstream/atlas-api.yaml openapi/upstream/atlas-api.prepared.json openapi/upstream/SOURCE; do
	if ! diff -u "$src/$file" "$fresh/tree/$file" >"$fresh/difference"; then
		echo "$file is out of date with openapi/; run 'make generate'. Difference:" >&2
		cut -c1-300 "$fresh/difference" | head -40 >&2
		status=1
	fi
done
exit $status
