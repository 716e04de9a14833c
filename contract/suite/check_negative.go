package suite

import (
	"context"

	"github.com/atlasstub/atlasstub/contract"
)

var negativeDataRejection = Check{
	Name: "negative_data_rejection",
	Doc: "Requests that break the specification are refused with a declared 4xx and an error body: " +
		"parameters off their schema (wrong type, out of range, too long, off pattern, not in the enum), " +
		"and bodies that are malformed, of the wrong media type, missing a required property, with an " +
		"unknown one, or with a value off its schema. The cases mutate the catalog's request with the " +
		"specification's examples, one rule at a time; the values that break a rule come from the seed.",
	run: func(ctx context.Context, r *runner, op contract.Operation) outcome {
		var o outcome
		destructive := recipeOf(op).fresh != nil
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
