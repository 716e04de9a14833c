#!/bin/sh
# The container image's smoke test: builds the image (scripts/image.sh), runs it with its port
# published on the host's loopback, and checks from the host what a user of the image relies on:
# it is healthy (GET /_stub/health and the image's HEALTHCHECK), the control API answers the host
# (the bootstrap credentials), the Atlas API serves (a token, then the projects it can see), it
# runs as a non-root user, `atlasstub version` runs in it, and it stops on SIGTERM with a shutdown
# line and exit status 0. Not part of `make test`: it needs podman or docker and takes minutes.
#
#   scripts/image-smoke.sh        (make image-smoke)    IMAGE names the image (default atlasstub)
set -eu
cd "$(dirname "$0")/.."
export IMAGE="${IMAGE:-atlasstub}"
./scripts/image.sh
. scripts/container.sh
choose_container_flags "$IMAGE" version

fail() {
	echo "image-smoke: FAIL: $*" >&2
	exit 1
}
name="atlasstub-smoke-$$"
cleanup() { "$tool" rm -f "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT

echo "image-smoke: atlasstub version in the image"
# shellcheck disable=SC2086 # $container_flags is a list of flags
"$tool" run --rm $container_flags "$IMAGE" version | tee /dev/stderr | grep -q "^atlasstub " || fail "atlasstub version"

user=$("$tool" image inspect --format '{{.Config.User}}' "$IMAGE")
[ "$user" = "65532:65532" ] || fail "the image runs as '$user', want the non-root 65532:65532"

# shellcheck disable=SC2086
"$tool" run -d --name "$name" $container_flags -p 127.0.0.1::8080 "$IMAGE" >/dev/null
port=$("$tool" port "$name" 8080 | head -n 1 | sed 's/.*://')
base="http://127.0.0.1:$port"
echo "image-smoke: the container serves on $base"
curl -fsS --retry 30 --retry-connrefused --retry-delay 1 "$base/_stub/health" | grep -q '"status":"ok"' || fail "GET /_stub/health"

creds=$(curl -fsS "$base/_stub/credentials") || fail "the control API does not answer the host"
echo "$creds" | grep -q "\"baseUrl\":\"http://127.0.0.1:8080\"" || fail "credentials: $creds"
client_id=$(echo "$creds" | sed 's/.*"clientId":"\([^"]*\)".*/\1/')
client_secret=$(echo "$creds" | sed 's/.*"clientSecret":"\([^"]*\)".*/\1/')
project_id=$(echo "$creds" | sed 's/.*"projectId":"\([^"]*\)".*/\1/')
token=$(curl -fsS -u "$client_id:$client_secret" -d grant_type=client_credentials "$base/api/oauth/token" |
	sed 's/.*"access_token":"\([^"]*\)".*/\1/') || fail "the token endpoint"
curl -fsS -H "Authorization: Bearer $token" -H 'Accept: application/vnd.atlas.2025-02-19+json' \
	"$base/api/atlas/v2/groups" | grep -q "\"id\":\"$project_id\"" || fail "listGroups does not show the bootstrap project"

if [ "$tool" = podman ]; then
	"$tool" healthcheck run "$name" || fail "the image's HEALTHCHECK"
else
	for _ in $(seq 30); do
		[ "$("$tool" inspect --format '{{.State.Health.Status}}' "$name")" = healthy ] && break
		sleep 1
	done
	[ "$("$tool" inspect --format '{{.State.Health.Status}}' "$name")" = healthy ] || fail "the image's HEALTHCHECK"
fi

"$tool" stop -t 10 "$name" >/dev/null
status=$("$tool" inspect --format '{{.State.ExitCode}}' "$name")
logs=$("$tool" logs "$name" 2>&1)
echo "$logs" | grep -q '"msg":"shutting down","reason":"terminated signal received"' || fail "no shutdown line in the log:
$logs"
echo "$logs" | grep -q '"msg":"stopped"' || fail "no last line in the log"
[ "$status" = 0 ] || fail "the container exited with $status"
echo "image-smoke: PASS ($IMAGE with $tool)"
