#!/bin/sh
# Sustained certificate issuance against the machine's key generation, side by side in one run:
# ROUNDS (5) rounds, each a PHASE (60s) of raw generation with one generator per processor, then
# a PHASE of a fresh stub (serve's pool of 8 keys) asked for far more certificates than its pool
# holds. Prints the medians of both rates, of the rounds' ratios (target: at least 0.9 for RSA-4096),
# of the processors each phase kept busy, and of the ratios per processor-second used.
# docs/benchmarks.md records a run; the numbers move with whatever else the machine runs.
#
#   scripts/issuance.sh                        # KEY=rsa-2048 PHASE=5s ROUNDS=3 for a quick look
set -eu
cd "$(dirname "$0")/.."
ATLASSTUB_BENCH_ISSUANCE_KEY=${KEY:-rsa-4096} ATLASSTUB_BENCH_ISSUANCE_PHASE=${PHASE:-60s} \
	go test -run '^$' -bench '^BenchmarkSustainedIssuance$' -benchtime "${ROUNDS:-5}x" -timeout 2h ./server/
