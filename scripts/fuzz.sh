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
#
# go test fuzzes one target at a time, and spends much of it building, linking and measuring the
# seed corpus's coverage, one processor at a time. So two targets run at once, each with one
# fuzzing worker (-parallel 1), and each prints its output when it ends: the same inputs, in
# three quarters of the time on two processors.
set -eu
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10000x}
# The targets are found in the sources rather than with go test -list, which would build every
# test binary once more only to list them.
for dir in $(go list -f '{{.Dir}}' ./...); do
	for target in $(cat "$dir"/*_test.go 2>/dev/null | sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p'); do
		echo "./$(realpath --relative-to=. "$dir") $target"
	done
done | xargs -P 2 -L 1 sh -c 'out=$(go test -run "^\$" -fuzz "^$2\$" -fuzztime "$0" -parallel 1 "$1" 2>&1); status=$?
printf "fuzz %s %s for %s\n%s\n" "$1" "$2" "$0" "$out"; exit $status' "$fuzztime"
