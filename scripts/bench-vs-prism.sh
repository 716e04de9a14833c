#!/bin/sh
# Measures atlasstub beside Prism 5.14.2 (`prism mock`) on the same specification,
# openapi/atlas.yaml, in one run: installs Prism with npm into a temporary folder, builds the
# stub, starts Prism, the stub and the stub with --strict, seeds each stub with a project and a
# MANAGED X.509 user with 10 certificates, and drives every server with the same Go load
# generator (scripts/vsprism): list certificates, then get project, CONNECTIONS (32) connections
# for DURATION (10s) each, bearer token. Prints req/s, p50, p99 and the ratios, and draws the run
# into CHART (docs/benchmarks-vs-prism.svg).
#
# The stubs run with --rate-limits off: with Atlas's limits (the default of serve) they would
# answer this load with 429s. Only 2xx answers count, for every server. Their keys are ECDSA
# (--key-type ecdsa-p256), so that seeding does not wait for RSA keys; listing does not depend
# on it. Their request log goes to a file, as it would in CI.
#
#   scripts/bench-vs-prism.sh            # DURATION=3s scripts/bench-vs-prism.sh for a quick look
set -eu
cd "$(dirname "$0")/.."
work=$(mktemp -d)
pids=""
cleanup() {
	for pid in $pids; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

npm install --silent --no-audit --no-fund --prefix "$work/prism" @stoplight/prism-cli@5.14.2 >/dev/null
go build -o "$work/atlasstub" ./cmd/atlasstub

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
stub=$(port) strict=$(port) prism=$(port)

"$work/prism/node_modules/.bin/prism" mock --host 127.0.0.1 --port "$prism" --errors false openapi/atlas.yaml >"$work/prism.log" 2>&1 &
pids="$pids $!"
for p in "$stub" "$strict"; do
	args="--addr 127.0.0.1:$p --rate-limits off --key-type ecdsa-p256"
	[ "$p" = "$strict" ] && args="$args --strict"
	# shellcheck disable=SC2086 # the flags are words
	"$work/atlasstub" serve $args >"$work/stub-$p.out" 2>"$work/stub-$p.log" &
	pids="$pids $!"
done

ready() { # URL: waits up to 60 s for any HTTP answer
	i=0
	until curl -s -o /dev/null "$1"; do
		i=$((i + 1))
		[ "$i" -lt 600 ] || { echo "bench-vs-prism: $1 did not answer; logs in $work" >&2; exit 1; }
		sleep 0.1
	done
}
ready "http://127.0.0.1:$stub/_stub/health"
ready "http://127.0.0.1:$strict/_stub/health"
ready "http://127.0.0.1:$prism/api/atlas/v2"

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), Prism 5.14.2 on Node $(node --version), $(go version | cut -d' ' -f3)"
go run ./scripts/vsprism -stub "http://127.0.0.1:$stub" -strict-stub "http://127.0.0.1:$strict" -prism "http://127.0.0.1:$prism" \
	-duration "${DURATION:-10s}" -connections "${CONNECTIONS:-32}" -chart "${CHART:-docs/benchmarks-vs-prism.svg}"
