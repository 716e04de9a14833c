# atlasstub: the two commands a user needs are `make run` and `make test`.
GO ?= go
ADDR ?= 127.0.0.1:8080

.PHONY: run test generate check-generated spec-diff lint unit

## run: start the stub server on $(ADDR)
run:
	$(GO) run ./cmd/atlasstub serve --addr $(ADDR)

## test: every check CI runs: lint, generated-code drift, and all tests with the race detector
test: lint check-generated unit

## unit: all Go tests with the race detector
unit:
	$(GO) test -race -count=1 ./...

## generate: regenerate gen/ from the specifications in openapi/
generate:
	$(GO) generate ./gen

## check-generated: fail when gen/ differs from what openapi/ generates
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
