# atlasstub: the two commands a user needs are `make run` and `make test`; `make help` lists the
# others.
GO ?= go
ADDR ?= 127.0.0.1:8080

.PHONY: help run install image image-smoke test test-tools generate check-generated spec-diff lint unit fuzz contract contract-official bench

## help: list the targets and what they do
help:
	@awk '/^## [a-z-]+: / { sub(/^## /, ""); i = index($$0, ": "); printf "%-17s %s\n", substr($$0, 1, i - 1), substr($$0, i + 2); next } \
		/^## / { printf "%-17s %s\n", "", substr($$0, 4) }' $(MAKEFILE_LIST)

## run: start the stub server on $(ADDR)
run:
	$(GO) run ./cmd/atlasstub serve --addr $(ADDR)

## install: install the atlasstub binary into $GOBIN (or $GOPATH/bin); `atlasstub version` names
## this revision
install:
	$(GO) install -buildvcs=auto ./cmd/atlasstub

## image: build the container image $(IMAGE) with podman or docker, whichever is installed
IMAGE ?= atlasstub
image:
	IMAGE=$(IMAGE) ./scripts/image.sh

## image-smoke: build the image, run it, and check it from the host (scripts/image-smoke.sh)
image-smoke:
	IMAGE=$(IMAGE) ./scripts/image-smoke.sh

## test: every check CI runs: lint, generated-code drift, all tests with the race detector, and
## a short run of every fuzz target
test: test-tools lint check-generated unit fuzz

## test-tools: the programs the tests call besides Go (curl, openssl, git); installs missing ones
## with apt-get when root on Debian or Ubuntu, as in CI, and otherwise names what to install
test-tools:
	./scripts/test-tools.sh

## unit: all Go tests with the race detector, then every benchmark once so that none rots
## (scripts/bench-once.sh); the kit's run over every official operation runs without the race
## detector, which makes it six times slower (the engine's own tests and the SDK's cluster
## lifecycle race the same code)
OFFICIAL_SUITE = ^TestTheStubPassesTheOfficialSuite$$
unit:
	$(GO) test -race -count=1 -skip '$(OFFICIAL_SUITE)' ./...
	$(GO) test -count=1 -run '$(OFFICIAL_SUITE)' ./contract/suite
	./scripts/bench-once.sh

## bench: the stub's hot-path benchmarks, medians by benchstat (scripts/bench.sh)
bench:
	./scripts/bench.sh

## fuzz: run every fuzz target for FUZZTIME: a number of inputs (default 10000x) or a duration (1m)
FUZZTIME ?= 10000x
fuzz:
	FUZZTIME=$(FUZZTIME) ./scripts/fuzz.sh

## contract: run the contract-testing suite against an in-process stub, requiring complete
## coverage, with a JUnit report in contract-report.xml
contract:
	$(GO) run ./cmd/atlasstub contract --require-coverage --junit contract-report.xml

## contract-official: run the suite over every operation of the official Atlas specification
## against an in-process stub (docs/coverage.md), with a JUnit report in
## contract-official-report.xml
contract-official:
	$(GO) run ./cmd/atlasstub contract --official --skip-scenarios --junit contract-official-report.xml

## generate: regenerate gen/ from the specifications in openapi/, then the client's typed
## methods (client/operations.gen.go) from the specification and the new gen/atlasapi
generate:
	$(GO) generate ./...

## check-generated: fail when gen/ or client/operations.gen.go differs from what openapi/ generates
check-generated:
	./scripts/check-generated.sh

## spec-diff: the breaking-change gate between BASE and the working tree (specifications and the
## Go API of gen/); BASE defaults to the merge base with main, or HEAD~1 on main
spec-diff:
	./scripts/spec-diff.sh $(BASE)

## lint: gofmt, go vet and staticcheck
lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
