#!/bin/sh
# Builds the container image from the Dockerfile with podman or docker, whichever is installed
# (podman first; CONTAINER_TOOL chooses). IMAGE names it (default atlasstub).
#
# The Dockerfile builds the binary in a Go image (GO_IMAGE, default the official golang:1.26).
# Where no registry can be reached and that image is not already there, this script makes a Go
# image from the local Go installation instead: `podman import` of a root filesystem that holds
# GOROOT and the CA certificates, which is all `go build` needs to fetch modules from the Go
# module proxy and build a static binary. The final image starts FROM scratch, so nothing else
# is pulled. scripts/container.sh chooses the tool and the flags this machine needs.
set -eu
cd "$(dirname "$0")/.."
image=${IMAGE:-atlasstub}
. scripts/container.sh

go_image=${GO_IMAGE:-docker.io/library/golang:1.26-bookworm}
if ! "$tool" image inspect "$go_image" >/dev/null 2>&1 && ! "$tool" pull -q "$go_image" >/dev/null 2>&1; then
	go_image=localhost/atlasstub-go:$(go env GOVERSION)
	if ! "$tool" image inspect "$go_image" >/dev/null 2>&1; then
		echo "image: no registry answers; making $go_image from $(go env GOROOT)" >&2
		stage=$(mktemp -d)
		trap 'rm -rf "$stage"' EXIT
		mkdir -p "$stage/tmp" "$stage/root" "$stage/go"
		chmod 1777 "$stage/tmp"
		tar -c -C "$(go env GOROOT)" --transform 's,^\.,usr/local/go,' . \
			-C / etc/ssl/certs/ca-certificates.crt \
			-C "$stage" tmp root go |
			"$tool" import \
				--change 'ENV PATH=/usr/local/go/bin:/go/bin' \
				--change 'ENV GOPATH=/go' \
				--change 'ENV HOME=/root' \
				--change 'ENV GOTOOLCHAIN=local' \
				- "$go_image" >/dev/null
	fi
fi

choose_container_flags "$go_image" go version
format=
if [ "$tool" = podman ]; then
	format="--format docker" # OCI images drop the HEALTHCHECK
fi
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
# shellcheck disable=SC2086 # $format and $container_flags are lists of flags
"$tool" build $format $container_flags \
	--build-arg GO_IMAGE="$go_image" \
	--build-arg GOPROXY="$(go env GOPROXY)" \
	--build-arg REVISION="$revision" \
	--tag "$image" .
echo "image: built $image with $tool from $go_image"
