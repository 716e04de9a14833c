package suite

import (
	"context"
	"net/http"
	"strings"

	"github.com/atlasstub/atlasstub/contract"
)

var useAfterFree = Check{
	Name: "use_after_free",
	Doc: "After a delete, what it deleted is gone: its read answers 404 (or a 4xx *_NOT_FOUND), or the " +
		"nearest list or parent no longer shows it.",
	Destructive: true,
	run: func(ctx context.Context, r *runner, op contract.Operation) outcome {
		if op.Method != http.MethodDelete {
			return skip("the operation deletes nothing")
		}
		if _, named := paramIn(op.Path[strings.LastIndex(op.Path, "/")+1:]); op.Official && !named {
			return skip("the operation deletes a setting, which is then back to its defaults")
		}
		var o outcome
		c, _, performed := r.perform(ctx, op, "delete", &o)
		if !performed {
			return o
		}
		if read, ok := r.readAt(op.Path); ok {
			got, err := r.send(ctx, call{op: read, params: c.params, query: recipeOf(read).query})
			if err != nil {
				o.failErr(err)
			} else if !gone(got) {
				o.fail(got, "%s still answers %d after %s: %s", read.OperationID, got.status, op.OperationID, snippet(got.body))
			}
			return o
		}
		parent, p, ok := r.nearestRead(op.Path[:strings.LastIndex(op.Path, "/")], c.params)
		if !ok {
			return skip("the specification has no operation that reads what it deletes")
		}
		deleted := lastSegment(op.Path, c.params)
		got, err := r.send(ctx, call{op: parent, params: p})
		if err != nil {
			o.failErr(err)
		} else if strings.Contains(string(got.body), deleted) {
			o.fail(got, "%s still shows %s after %s", parent.OperationID, deleted, op.OperationID)
		}
		return o
	},
}

// readAt finds the GET operation of a path.
func (r *runner) readAt(path string) (contract.Operation, bool) {
	for _, op := range r.c.spec.Operations() {
		if op.Method == http.MethodGet && op.Path == path {
			return op, true
		}
	}
	return contract.Operation{}, false
}

// lastSegment is what a path's last segment names: a parameter's value, or the literal.
func lastSegment(path string, p params) string {
	segment := path[strings.LastIndex(path, "/")+1:]
	if name, ok := strings.CutPrefix(segment, "{"); ok {
		return p[strings.TrimSuffix(name, "}")]
	}
	return segment
}

// gone reports whether a response says that the resource does not exist: 404, or another 4xx
// whose errorCode ends in _NOT_FOUND (Atlas answers API_KEY_NOT_FOUND with 400).
func gone(res response) bool {
	if res.status == http.StatusNotFound {
		return true
	}
	if state := res.object(); success2xx(res.status) && (state["stateName"] == "DELETING" || state["status"] == "DELETING") {
		return true // being deleted, as Atlas shows a cluster until it is gone
	}
	code, _ := res.object()["errorCode"].(string)
	return res.status >= 400 && res.status < 500 && strings.HasSuffix(code, "_NOT_FOUND")
}

func success2xx(status int) bool { return status >= 200 && status < 300 }
