package suite

import (
	"context"
	"net/http"

	"github.com/atlasstub/atlasstub/contract"
)

var missingResource = Check{
	Name: "missing_resource",
	Doc: "An operation that names a project or organization that does not exist, by a well-formed " +
		"identifier, is answered 404, where the operation declares 404.",
	run: func(ctx context.Context, r *runner, op contract.Operation) outcome {
		if !hasResponse(op, http.StatusNotFound) || op.OAuthErrors() {
			return skip("the operation declares no 404")
		}
		var o outcome
		c, err := r.base(ctx, op, false)
		if err != nil {
			o.failErr(err)
			return o
		}
		switch rec := recipeOf(op); {
		case rec.notFound != nil:
			c.params, c.body = rec.notFound(r.f)
		case c.params["groupId"] != "" && hasPathParam(op, "groupId"):
			c.params = c.params.with("groupId", missingID)
		case hasPathParam(op, "orgId"):
			c.params = c.params.with("orgId", missingID)
		case hasPathParam(op, "groupName"):
			c.params = c.params.with("groupName", r.f.name())
		default:
			return skip("the operation names no project or organization")
		}
		res, err := r.send(ctx, c)
		if err != nil {
			o.failErr(err)
		} else if res.status != http.StatusNotFound {
			o.fail(res, "a request naming a missing resource was answered %d: %s", res.status, snippet(res.body))
		}
		return o
	},
}

func hasPathParam(op contract.Operation, name string) bool {
	return op.Parameters.GetByInAndName("path", name) != nil
}
