package suite

import (
	"context"
	"net/url"

	"github.com/atlasstub/atlasstub/contract"
)

var negativeDataRejection = Check{
	Name: "negative_data_rejection",
	Doc: "Requests that break the specification are refused with a declared 4xx and an error body: " +
		"parameters off their schema (wrong type, out of range, too long, off pattern, not in the enum), " +
		"and bodies that are malformed, of the wrong media type, missing a required property, with an " +
		"unknown one, or with a value off its schema. The cases come from the schemas, shuffled by the seed.",
	run: func(ctx context.Context, r *runner, op contract.Operation) outcome {
		var o outcome
		destructive := catalog[op.OperationID].fresh != nil
		base, err := r.base(ctx, op, destructive)
		if err != nil {
			o.failErr(err)
			return o
		}
		for _, c := range r.gen.negative(base) {
			res, err := r.send(ctx, c)
			if err != nil {
				o.failErr(err)
				continue
			}
			if res.status < 400 || res.status >= 500 {
				o.fail(res, "%s, and the server answered %d", c.broken, res.status)
			}
		}
		return o
	},
}

// NegativeCases returns the negative requests the suite would send for an operation, mutating its
// ValidCase; a test shows that every one of them breaks the specification.
func NegativeCases(op contract.Operation, p map[string]string, seed uint64) []Case {
	var out []Case
	for _, c := range newGenerator(seed).negative(offlineCall(op, p)) {
		out = append(out, c.asCase())
	}
	return out
}

// ValidCase returns the request of an operation's recipe with the given path parameters, as the
// suite would build it without a target.
func ValidCase(op contract.Operation, p map[string]string) Case { return offlineCall(op, p).asCase() }

func offlineCall(op contract.Operation, p map[string]string) call {
	if op.OAuthErrors() {
		return call{op: op, params: params{}, query: url.Values{}, form: oauthForm(op, "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJvZmZsaW5lIn0.c2lnbmF0dXJl")}
	}
	c := call{op: op, params: p, query: url.Values{}}
	if rec := catalog[op.OperationID]; rec.body != nil {
		c.body = rec.body(&fixture{prefix: "contract-test", shared: p, caPEM: testCAPEM}, p)
	}
	return c
}

func (c call) asCase() Case {
	contentType := ""
	if c.op.RequestBody != nil && c.bodyBytes() != nil {
		contentType = c.mediaType()
	}
	return Case{Method: c.op.Method, Path: c.path(), Body: c.bodyBytes(), ContentType: contentType, Broken: c.broken}
}

// Case is one generated request.
type Case struct {
	Method, Path string
	Body         []byte
	ContentType  string
	// Broken says what a negative request breaks.
	Broken string
}

// testCAPEM stands in for the kit's CA in generated bodies that only need to be well formed.
const testCAPEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
