package suite

import (
	"context"
	"fmt"
	"net/http"

	"github.com/atlasstub/atlasstub/contract"
)

var conflictDetection = Check{
	Name: "conflict_detection",
	Doc: "Where an operation declares 409, a request that conflicts with the state (a name or " +
		"username taken, an access-list entry already there, an immutable field changed) is answered 409.",
	run: func(ctx context.Context, r *runner, op contract.Operation) outcome {
		rec := recipeOf(op)
		if !hasResponse(op, http.StatusConflict) {
			return skip("the operation declares no 409")
		}
		if rec.generated {
			return skip("a generated request knows no state to conflict with")
		}
		var o outcome
		if rec.conflict == nil {
			o.failErr(fmt.Errorf("the catalog has no conflicting request for %s, which declares 409", op.OperationID))
			return o
		}
		p, body, err := rec.conflict(ctx, r.f)
		if err != nil {
			o.failErr(err)
			return o
		}
		res, err := r.send(ctx, call{op: op, params: p, body: body})
		if err != nil {
			o.failErr(err)
		} else if res.status != http.StatusConflict {
			o.fail(res, "a conflicting request was answered %d: %s", res.status, snippet(res.body))
		}
		return o
	},
}
