package suite

import (
	"context"

	"github.com/atlasstub/atlasstub/contract"
)

var positiveDataAcceptance = Check{
	Name: "positive_data_acceptance",
	Doc: "Valid requests are accepted with a declared 2xx: the catalog's request of each operation, " +
		"the same with the specification's examples added to its body, and with every optional query " +
		"parameter set to each value its schema allows.",
	Destructive: true,
	run: func(ctx context.Context, r *runner, op contract.Operation) outcome {
		var o outcome
		base, err := r.base(ctx, op, true)
		if err != nil {
			o.failErr(err)
			return o
		}
		if reason := r.unsendable(op); reason != "" {
			return skip(reason)
		}
		for i, v := range r.gen.positive(base) {
			c := base
			if i > 0 {
				// Each accepted request may consume what it acts on, or create something
				// named by its body: every variation gets a call of its own.
				if c, err = r.base(ctx, op, true); err != nil {
					o.failErr(err)
					return o
				}
			}
			res, err := r.send(ctx, v.apply(c))
			if err != nil {
				o.failErr(err)
				continue
			}
			if !success(op, res.status) {
				o.fail(res, "a valid request (%s) was refused with %d: %s", v.describe, res.status, snippet(res.body))
			}
		}
		return o
	},
}
