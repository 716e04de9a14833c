#!/bin/sh
# Fails when the committed generated code in gen/ differs from what the specifications produce.
#
#   scripts/check-generated.sh [SOURCE_DIR]
#
# SOURCE_DIR holds openapi/ and gen/ (default: this repository).
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
src=$(cd "${1:-$repo}" && pwd)
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
"$repo/scripts/generate.sh" "$src" "$fresh"
status=0
for api in atlas stub; do
	file=${api}api/${api}api.gen.go
	if ! diff -u "$src/gen/$file" "$fresh/$file" >"$fresh/$api.diff"; then
		echo "gen/$file is out of date with openapi/$api.yaml; run 'make generate'. Difference:" >&2
		head -40 "$fresh/$api.diff" >&2
		status=1
	fi
done
exit $status
