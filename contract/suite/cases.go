package suite

import (
	"net/url"

	"github.com/atlasstub/atlasstub/contract"
)

// The generated requests of an operation, as the suite would build them without a target, for
// the tests that hold them to the specification: every positive case must satisfy it, every
// negative one must break it, and the seed alone must decide them.

// Case is one generated request.
type Case struct {
	Method, Path string
	Body         []byte
	ContentType  string
	// Broken says what a negative request breaks.
	Broken string
}

// PositiveCases returns the valid requests that positive_data_acceptance sends an operation,
// with the given path parameters; the first is the catalog's.
func PositiveCases(op contract.Operation, p map[string]string, seed uint64) []Case {
	base := offlineCall(op, p)
	var out []Case
	for _, v := range newGenerator(seed, op).positive(base) {
		out = append(out, v.apply(base).asCase())
	}
	return out
}

// NegativeCases returns the requests that negative_data_rejection sends an operation, with the
// given path parameters.
func NegativeCases(op contract.Operation, p map[string]string, seed uint64) []Case {
	var out []Case
	for _, c := range newGenerator(seed, op).negative(offlineCall(op, p)) {
		out = append(out, c.asCase())
	}
	return out
}

// offlineCall is the catalog's call of an operation, built with a fixture that has no target.
// Its names do not depend on the seed, so that what the seed changes is the generated data.
func offlineCall(op contract.Operation, p map[string]string) call {
	if op.OAuthErrors() {
		return call{op: op, params: params{}, query: url.Values{}, form: oauthForm(op, "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJvZmZsaW5lIn0.c2lnbmF0dXJl")}
	}
	c := call{op: op, params: p, query: url.Values{}}
	if rec := recipeOf(op); rec.body != nil {
		c.body = rec.body(&fixture{prefix: "contract-offline", shared: p, caPEM: testCAPEM}, p)
	}
	return c
}

func (c call) asCase() Case {
	body, contentType := c.content()
	return Case{Method: c.op.Method, Path: c.path(), Body: body, ContentType: contentType, Broken: c.broken}
}

// testCAPEM stands in for the kit's CA in generated bodies that only need to be well formed.
const testCAPEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
