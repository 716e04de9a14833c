#!/bin/sh
# A mixed load of CLIENTS clients (64) for DURATION (60s) against atlasstub in memory and with
# --data-dir, one after the other in the same run: requests per second, latencies, 5xx answers,
# and acknowledged writes lost, also after the stub with --data-dir is killed and restarted.
# Fails if any answer is a 5xx or any write is lost. docs/benchmarks.md records a run.
#
#   scripts/load.sh                      # DURATION=10s CLIENTS=16 scripts/load.sh for a quick look
set -eu
cd "$(dirname "$0")/.."
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/atlasstub" ./cmd/atlasstub
go run ./scripts/load -binary "$bin/atlasstub" -duration "${DURATION:-60s}" -clients "${CLIENTS:-64}"
