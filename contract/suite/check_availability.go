package suite

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"strings"

	"github.com/atlasstub/atlasstub/contract"
)

var ensureResourceAvailability = Check{
	Name: "ensure_resource_availability",
	Doc: "What a create returns can be read: its own read operation answers 2xx, and the nearest " +
		"list or parent read shows its identifier.",
	Destructive: true,
	run: func(ctx context.Context, r *runner, op contract.Operation) outcome {
		if op.Method != http.MethodPost || op.OAuthErrors() {
			return skip("the operation creates nothing")
		}
		var o outcome
		c, res, performed := r.perform(ctx, op, "create", &o)
		if !performed {
			return o
		}
		if op.Official {
			return r.readBack(ctx, op, c, res, o)
		}
		ids := createdIdentifiers(c, res)
		if len(ids) == 0 {
			return skip("the response names nothing it created")
		}
		read, readParams, ok := r.readOf(op, c.params, res)
		list, listParams, listed := r.nearestRead(op.Path, c.params)
		if !ok && !listed {
			return skip("the specification has no operation that reads what it creates")
		}
		if ok {
			got, err := r.send(ctx, call{op: read, params: readParams})
			if err != nil {
				o.failErr(err)
			} else if !success(read, got.status) {
				o.fail(got, "%s cannot read what %s created: %d %s", read.OperationID, op.OperationID, got.status, snippet(got.body))
			}
		}
		if listed {
			got, err := r.send(ctx, call{op: list, params: listParams})
			if err != nil {
				o.failErr(err)
			} else {
				for _, id := range ids {
					if !strings.Contains(string(got.body), id) {
						o.fail(got, "%s does not show %s, which %s created", list.OperationID, id, op.OperationID)
					}
				}
			}
		}
		return o
	},
}

// paramFields names, for each path parameter, the response field that carries its value.
var paramFields = map[string]string{
	"groupId": "id", "apiUserId": "id", "clientId": "clientId", "username": "username", "databaseName": "databaseName",
}

// createdIdentifiers are the identifiers of what a create made: the id, client id or username
// of its response, the serial of a certificate, or the addresses of new access-list entries.
func createdIdentifiers(c call, res response) []string {
	if block, _ := pem.Decode(res.body); block != nil {
		if cert, err := x509.ParseCertificate(block.Bytes); err == nil {
			return []string{cert.SerialNumber.String()}
		}
	}
	if entries, ok := c.body.([]map[string]any); ok {
		var out []string
		for _, e := range entries {
			if address, ok := e["ipAddress"].(string); ok {
				out = append(out, address)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	body := res.object()
	for _, field := range []string{"id", "clientId", "username"} {
		if v, ok := body[field].(string); ok && v != "" {
			return []string{v}
		}
	}
	return nil
}

// readOf finds the GET operation of what a create made: the create's path with its new
// identifiers appended, filled from the response.
func (r *runner) readOf(create contract.Operation, p params, res response) (contract.Operation, params, bool) {
	body := res.object()
	for _, op := range r.c.spec.Operations() {
		if op.Method != http.MethodGet || !strings.HasPrefix(op.Path, create.Path+"/") {
			continue
		}
		filled, ok := p, true
		for _, segment := range strings.Split(strings.TrimPrefix(op.Path, create.Path+"/"), "/") {
			name, isParam := strings.CutPrefix(segment, "{")
			name, _ = strings.CutSuffix(name, "}")
			value, _ := body[paramFields[name]].(string)
			if !isParam || value == "" {
				ok = false
				break
			}
			filled = filled.with(name, value)
		}
		if ok {
			return op, filled, true
		}
	}
	return contract.Operation{}, nil, false
}

// nearestRead finds the GET operation at path or at the closest ancestor of it.
func (r *runner) nearestRead(path string, p params) (contract.Operation, params, bool) {
	for {
		for _, op := range r.c.spec.Operations() {
			if op.Method == http.MethodGet && op.Path == path {
				return op, p, true
			}
		}
		i := strings.LastIndex(path, "/")
		if i <= 0 {
			return contract.Operation{}, nil, false
		}
		path = path[:i]
	}
}

// readBack reads what a generated create made by the read of its members, named by the value the
// response gives it; a create of something that no read names (an action, a setting) is skipped.
func (r *runner) readBack(ctx context.Context, create contract.Operation, c call, res response, o outcome) outcome {
	var read contract.Operation
	for _, op := range r.c.spec.Operations() {
		if op.Method == http.MethodGet && sameTemplate(op.Path, create.Path+"/{}") {
			read = op
		}
	}
	if read.Operation == nil {
		return skip("the specification reads no member of what the operation creates")
	}
	created := res.object()
	if results, ok := created["results"].([]any); ok && len(results) > 0 {
		created = matching(results, c.body)
	}
	name := paramName(read.Path)
	id := valueOf(created, name)
	if id == "" {
		return skip("the response names nothing it created")
	}
	got, err := r.send(ctx, call{op: read, params: c.params.with(name, id), query: recipeOf(read).query})
	if err != nil {
		o.failErr(err)
	} else if !success(read, got.status) {
		o.fail(got, "%s cannot read what %s created: %d %s", read.OperationID, create.OperationID, got.status, snippet(got.body))
	}
	return o
}
