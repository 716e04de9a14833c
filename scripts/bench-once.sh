#!/bin/sh
# Runs every benchmark of the module once (-benchtime 1x), with the race detector, so that none
# rots: make test calls it after the tests. It names only the packages that have benchmarks,
# found in the sources, so that no other test binary is linked again; the race-built packages of
# the test run are reused from the build cache. A -bench run of several packages runs them one
# after another, which is right for timing and wrong here, where nothing is timed: each package is
# a go test of its own instead, two at a time, and prints its output when it ends.
#
# Numbers from this run mean nothing: scripts/bench.sh measures.
set -eu
cd "$(dirname "$0")/.."
grep -rl --include='*_test.go' '^func Benchmark' . | xargs -n1 dirname | sort -u |
	xargs -P 2 -I '{}' sh -c 'out=$(go test -race -count=1 -run "^\$" -bench . -benchtime 1x "$1" 2>&1); status=$?; printf "%s\n" "$out"; exit $status' bench-once '{}'
