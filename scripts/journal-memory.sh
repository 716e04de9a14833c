#!/bin/sh
# Shows that the request journal's memory stays bounded: the same 60-second load against
# atlasstub with the default journal (1000 exchanges) and with --journal-size 0, one after the
# other in the same run, with each stub's resident memory every 5 seconds. The load: CLIENTS (16)
# mixed clients, one client sending 60 KiB bodies, and a reader of the journal's newest 500
# exchanges every second, as the inspector page reads it. docs/inspector.md records a run;
# BenchmarkJournalMemory (server/journal) reports the heap the journal itself holds.
#
#   scripts/journal-memory.sh            # DURATION=20s CLIENTS=8 scripts/journal-memory.sh for a quick look
set -eu
cd "$(dirname "$0")/.."
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/atlasstub" ./cmd/atlasstub
go run ./scripts/journalmemory -binary "$bin/atlasstub" -duration "${DURATION:-60s}" -clients "${CLIENTS:-16}"
