#!/bin/sh
# Runs every fuzz target of the module, so that CI exercises the parsers with generated inputs on
# every change. FUZZTIME is go test's -fuzztime: a number of inputs (the default, 10000x) or a
# duration (1m).
#
# The default is a count because a duration races Go 1.26's fuzzing coordinator: on a loaded
# machine a target can fail with a bare "context deadline exceeded" when the time is up, though no
# input failed (go.dev/issue/75804, fixed in Go 1.27). A count has no deadline to race. Use a
# duration for long exploratory runs, and trust a failure only if it wrote a failing input to
# testdata/fuzz.
#
#   FUZZTIME=1m scripts/fuzz.sh
set -eu
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10000x}
# The targets are found in the sources rather than with go test -list, which would build every
# test binary once more only to list them.
for dir in $(go list -f '{{.Dir}}' ./...); do
	for target in $(cat "$dir"/*_test.go 2>/dev/null | sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p'); do
		pkg=./$(realpath --relative-to=. "$dir")
		echo "fuzz $pkg $target for $fuzztime"
		go test -run '^$' -fuzz "^$target\$" -fuzztime "$fuzztime" "$pkg"
	done
done
