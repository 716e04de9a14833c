#!/bin/sh
# Runs every fuzz target of the module for a short time each (FUZZTIME, default 10s), so that CI
# exercises the parsers with generated inputs on every change.
#
#   FUZZTIME=1m scripts/fuzz.sh
set -eu
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10s}
for pkg in $(go list ./...); do
	for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
		echo "fuzz $pkg $target for $fuzztime"
		go test -run '^$' -fuzz "^$target\$" -fuzztime "$fuzztime" "$pkg"
	done
done
