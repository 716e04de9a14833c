# The atlasstub container image: a static binary, run as a non-root user in an image that holds
# nothing else (no shell, no package manager), listening on 0.0.0.0:8080 inside the container.
#
#   make image                                    # with podman or docker, whichever is installed
#   docker run --rm -p 127.0.0.1:8080:8080 atlasstub
#
# The control API under /_stub/ is meant for the machine the stub runs on. Inside a container the
# host's requests do not come from loopback, so the image opts in to remote control-API callers
# (ATLASSTUB_ALLOW_REMOTE_CONTROL=true): publish the port on the host's loopback only, as above, or
# set ATLASSTUB_ALLOW_REMOTE_CONTROL=false. docs/behaviour.md says more.

# GO_IMAGE is the Go toolchain that builds the binary. scripts/image.sh passes one made from the
# local Go installation where no registry can be reached.
ARG GO_IMAGE=docker.io/library/golang:1.26-bookworm

FROM ${GO_IMAGE} AS build
ARG GOPROXY
ENV CGO_ENABLED=0
WORKDIR /src
COPY . .
# The exec form needs no shell in the Go image. The build context holds no .git (see
# .dockerignore), so there is no revision to stamp: the image's label names it instead.
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
	["go", "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", "/out/atlasstub", "./cmd/atlasstub"]

FROM scratch
ARG REVISION=unknown
LABEL org.opencontainers.image.title="atlasstub" \
	org.opencontainers.image.description="A stateful stub of the MongoDB Atlas Administration API's programmatic-access and X.509 endpoints" \
	org.opencontainers.image.source="https://github.com/atlasstub/atlasstub" \
	org.opencontainers.image.licenses="Apache-2.0" \
	org.opencontainers.image.revision="${REVISION}"
# CA certificates, for `atlasstub contract --base-url https://...` run from the image.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/atlasstub /usr/local/bin/atlasstub
# 65532 is the "nonroot" user of distroless images; scratch has no /etc/passwd to name it.
USER 65532:65532
ENV ATLASSTUB_ADDR=0.0.0.0:8080 \
	ATLASSTUB_ALLOW_REMOTE_CONTROL=true
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s CMD ["/usr/local/bin/atlasstub", "health"]
ENTRYPOINT ["/usr/local/bin/atlasstub"]
CMD ["serve"]
