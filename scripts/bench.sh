#!/bin/sh
# Runs the stub's hot-path benchmarks several times in one run and prints their medians with
# benchstat: reading a project, listing 100 certificates (with and without strict response
# validation), issuing a certificate with a warm key pool, and issuing one with a cold key, for
# each key type; a read and a write of the store, in memory and in a data directory (--data-dir),
# beside the disk's fdatasync, and over HTTP; 100,000 certificates in memory; curated and
# generic operations of the same shape side by side; loading the official specification as
# published and as prepared; and the time from starting the binary to its first 200, curated and
# generic, with and without --preload.
#
#   COUNT=10 scripts/bench.sh
set -eu
cd "$(dirname "$0")/.."
count=${COUNT:-6}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
go test -run '^$' -bench 'GetProject|ListCertificates|CreateCertificateWarmPool|CuratedAndGeneric|DataDir' -benchmem -count "$count" ./server/ | tee "$out"
go test -run '^$' -bench 'CreateCertificateColdKey' -benchtime 3x -benchmem -count "$count" ./server/ | tee -a "$out"
go test -run '^$' -bench 'BackendUpdate|BackendRead|Fsync' -benchmem -count "$count" ./server/store/ | tee -a "$out"
ATLASSTUB_BENCH_CERTIFICATES=100000 go test -run '^$' -bench 'CertificatesInMemory' -benchtime 1x -count "$count" ./server/store/ | tee -a "$out"
go test -run '^$' -bench 'LoadOfficial' -benchtime 5x -benchmem -count "$count" ./openapi/ | tee -a "$out"
go test -run '^$' -bench 'ServeStart' -benchtime 10x -count "$count" ./cmd/atlasstub/ | tee -a "$out"
go run golang.org/x/perf/cmd/benchstat@v0.0.0-20250813145418-2f7363a06fe1 "$out"
