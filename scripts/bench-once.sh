#!/bin/sh
# Runs every benchmark of the module once (-benchtime 1x), with the race detector, so that none
# rots: make test calls it after the tests. It is a run of its own because go test runs the
# packages of a -bench run one after another, which would serialize the whole test suite; and it
# names only the packages that have benchmarks, found in the sources, so that no other test binary
# is linked again. The race-built packages of the test run are reused from the build cache.
#
# Numbers from this run mean nothing: scripts/bench.sh measures.
set -eu
cd "$(dirname "$0")/.."
packages=$(grep -rl --include='*_test.go' '^func Benchmark' . | xargs -n1 dirname | sort -u)
go test -race -count=1 -run '^$' -bench . -benchtime 1x $packages
