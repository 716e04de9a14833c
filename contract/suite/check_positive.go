package suite

import (
	"context"

	"github.com/atlasstub/atlasstub/contract"
)

var positiveDataAcceptance = Check{
	Name: "positive_data_acceptance",
	Doc: "Valid requests are accepted with a declared 2xx: the catalog's request of each operation, " +
		"and the same with every optional query parameter set to each value its schema allows.",
	Destructive: true,
	run: func(ctx context.Context, r *runner, op contract.Operation) outcome {
		var o outcome
		base, err := r.base(ctx, op, true)
		if err != nil {
			o.failErr(err)
			return o
		}
		for i, variant := range r.gen.positive(base) {
			c := variant
			if i > 0 {
				// Each accepted request may consume what it acts on, or create something
				// named by its body: every variant gets its own.
				fresh, err := r.base(ctx, op, true)
				if err != nil {
					o.failErr(err)
					return o
				}
				c.params, c.body, c.form = fresh.params, fresh.body, fresh.form
			}
			res, err := r.send(ctx, c)
			if err != nil {
				o.failErr(err)
				continue
			}
			if !success(op, res.status) {
				o.fail(res, "a valid request was refused with %d: %s", res.status, snippet(res.body))
			}
		}
		return o
	},
}
