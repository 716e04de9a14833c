#!/bin/sh
# Repeats three attacks of issue 13 against `atlasstub serve` and prints what they cost the stub:
#
#   1. four 100 MB bodies posted at once to the unauthenticated control API, declared and
#      chunked, and to the token endpoint: the stub's peak memory (VmHWM) before and after;
#   2. a 10 MB project name (with --max-body-bytes raised to let it in): the size of the error;
#   3. IDLE keep-alive connections left open: how many the stub still holds after its idle
#      timeout (2 minutes; WAIT=0 skips this part).
#
#   scripts/hardening.sh            # the stub of the working tree
#   IDLE=2000 scripts/hardening.sh
set -eu
cd "$(dirname "$0")/.."
idle=${IDLE:-1000}
wait_idle=${WAIT:-1}
work=$(mktemp -d)
trap 'kill $(cat "$work"/pids 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/atlasstub" ./cmd/atlasstub
head -c 104857600 /dev/zero | tr '\0' a >"$work/100mb"

# start_stub [flags...]: starts the stub, sets $pid and $base.
start_stub() {
	"$work/atlasstub" serve --addr 127.0.0.1:0 --key-type ecdsa-p256 --log-format json "$@" >"$work/out" 2>/dev/null &
	pid=$!
	echo "$pid" >>"$work/pids"
	while ! grep -q 'serving on' "$work/out"; do
		kill -0 "$pid" 2>/dev/null || { echo "hardening.sh: atlasstub serve $* did not start" >&2; exit 1; }
		sleep 0.1
	done
	base=$(sed -n 's/^atlasstub is serving on //p' "$work/out")
}

peak() { sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$1/status"; }

start_stub
echo "1. four 100 MB bodies at once (stub pid $pid)"
echo "   peak memory before: $(peak "$pid")"
posts=""
for path in /_stub/clock/advance /_stub/reset; do
	curl -s -o /dev/null -w "   declared  $path: %{http_code}\n" -X POST -H 'Content-Type: application/json' -T "$work/100mb" "$base$path" &
	posts="$posts $!"
done
curl -s -o /dev/null -w "   chunked   /_stub/clock/advance: %{http_code}\n" -X POST -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' -T - "$base/_stub/clock/advance" <"$work/100mb" &
posts="$posts $!"
curl -s -o /dev/null -w "   chunked   /api/oauth/token: %{http_code}\n" -X POST -H 'Content-Type: application/x-www-form-urlencoded' -H 'Transfer-Encoding: chunked' -T - "$base/api/oauth/token" <"$work/100mb" &
posts="$posts $!"
wait $posts
echo "   peak memory after:  $(peak "$pid")"
kill "$pid"

start_stub --max-body-bytes 16777216
echo "2. a 10 MB project name"
creds=$(curl -s "$base/_stub/credentials")
field() { echo "$creds" | sed -n "s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p"; }
org=$(field orgId)
{ printf '{"name": "'; head -c 10485760 /dev/zero | tr '\0' n; printf '", "orgId": "%s"}' "$org"; } >"$work/name.json"
curl -s -o "$work/answer" -w "   status %{http_code}, " --digest -u "$(field publicKey):$(field privateKey)" -H 'Accept: application/vnd.atlas.2025-02-19+json' \
	-H 'Content-Type: application/json' --data-binary @"$work/name.json" "$base/api/atlas/v2/groups"
echo "answer of $(wc -c <"$work/answer") bytes to a body of $(wc -c <"$work/name.json") bytes"

if [ "$wait_idle" != 0 ]; then
	echo "3. $idle idle keep-alive connections"
	port=${base##*:}
	go run ./scripts/internal/idleconns -addr "127.0.0.1:$port" -n "$idle"
fi
