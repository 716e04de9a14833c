package suite

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
)

// The kit deletes everything it creates in the organization. Rather than trust each check and
// scenario to say what it made, the kit's client reads every response to a create, whatever
// sent it (a valid request, a negative one that a defective target accepted, a request with no
// credentials that it let through), and writes down how to delete what it made. What lives in a
// project (database users, certificates, a customer CA, roles in it) goes with the project.

// deletable says, for an operation that creates something of the organization, which field of
// its response names it and which path deletes it.
type deletable struct {
	what  string
	field string
	path  string // with {orgId} and {id}
}

var deletables = map[string]deletable{
	"createGroup":                      {"project", "id", "/api/atlas/v2/groups/{id}"},
	"createOrgServiceAccount":          {"service account", "clientId", "/api/atlas/v2/orgs/{orgId}/serviceAccounts/{id}"},
	"createGroupServiceAccount":        {"service account", "clientId", "/api/atlas/v2/orgs/{orgId}/serviceAccounts/{id}"},
	"createCloudManagerServiceAccount": {"service account", "clientId", "/api/atlas/v2/orgs/{orgId}/serviceAccounts/{id}"},
	"createOrgApiKey":                  {"API key", "id", "/api/atlas/v2/orgs/{orgId}/apiKeys/{id}"},
	"createGroupApiKey":                {"API key", "id", "/api/atlas/v2/orgs/{orgId}/apiKeys/{id}"},
}

// ledger is what the kit created and has not deleted yet, oldest first.
type ledger struct {
	mu      sync.Mutex
	orgID   string
	entries []created
}

// created is one thing the kit made, and the path that deletes it.
type created struct{ what, path string }

// note reads a response: a create adds what it made, a delete of something written down takes
// it off.
func (l *ledger) note(operationID string, req *http.Request, res response) {
	if res.status < 200 || res.status >= 300 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if req.Method == http.MethodDelete {
		l.entries = slices.DeleteFunc(l.entries, func(c created) bool { return c.path == req.URL.Path })
		return
	}
	d, ok := deletables[operationID]
	if !ok {
		return
	}
	id, _ := res.object()[d.field].(string)
	if id == "" {
		return
	}
	path := expandPath(d.path, params{"orgId": l.orgID, "id": id})
	l.entries = append(l.entries, created{what: d.what + " " + id, path: path})
}

// cleanUp deletes what the kit created, newest first; what is already gone is fine.
func (c *client) cleanUp(ctx context.Context) []error {
	c.ledger.mu.Lock()
	entries := c.ledger.entries
	c.ledger.entries = nil
	c.ledger.mu.Unlock()
	var errs []error
	for _, e := range slices.Backward(entries) {
		res, err := c.send(ctx, request{method: http.MethodDelete, path: e.path, auth: asServiceAccount, accept: acceptFor(e.path)})
		if err == nil && res.status >= 300 && !gone(res) {
			err = fmt.Errorf("clean up %s: status %d: %s", e.what, res.status, snippet(res.body))
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%w (delete %s yourself)", err, e.path))
		}
	}
	return errs
}
