#!/bin/sh
# Kills the stub with SIGKILL CYCLES times (default 200) under 16 writers and checks after each
# restart that every acknowledged write is there, no cut-off one is half there, and the records
# hold together: TestCrashSafety of scripts/durability, which `make test` runs for 10 cycles.
# SEED repeats a run; RACE=1 runs the checking side under the race detector as `make test` does.
#
#   CYCLES=200 scripts/crash.sh
set -eu
cd "$(dirname "$0")/.."
race=
if [ "${RACE:-}" = 1 ]; then race=-race; fi
CYCLES=${CYCLES:-200} exec go test $race -count=1 -timeout 0 -v -run '^TestCrashSafety$' ./scripts/durability/
