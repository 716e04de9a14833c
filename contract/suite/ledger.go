package suite

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/atlasstub/atlasstub/contract"
)

// The kit leaves the organization as it found it. Rather than trust each check and scenario to
// say what it made, the kit's client reads every response to a create, whatever sent it (a valid
// request, a negative one that a defective target accepted, a request with no credentials that
// it let through), and writes down how to delete what it made. What lives in a project (database
// users, certificates, a customer CA, roles in it) goes with the project. The organization's
// settings, which the kit only ever sets to what they were, are set back to what they were at
// the start, in case a defective target applied a request it should have refused.

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

// ledger is what the kit must undo, oldest first.
type ledger struct {
	mu      sync.Mutex
	orgID   string
	entries []undo
	// spec routes what the kit sent, to find what an official operation created.
	spec *contract.Spec
}

// undo is one thing the kit changed, and the request that undoes it: a DELETE of what it
// created, or a PATCH that restores what it changed.
type undo struct {
	what, method, path string
	body               any
}

// restore writes down a PATCH that sets something back as it was.
func (l *ledger) restore(what, path string, body any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, undo{what: what, method: http.MethodPatch, path: path, body: body})
}

// note reads a response: a create adds what it made, a delete of something written down takes
// it off.
func (l *ledger) note(operationID string, req *http.Request, res response) {
	if res.status < 200 || res.status >= 300 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if req.Method == http.MethodDelete {
		l.entries = slices.DeleteFunc(l.entries, func(u undo) bool { return u.method == http.MethodDelete && u.path == req.URL.Path })
		return
	}
	d, ok := deletables[operationID]
	if !ok {
		l.noteOfficial(req, res)
		return
	}
	id, _ := res.object()[d.field].(string)
	if id == "" {
		return
	}
	path := expandPath(d.path, params{"orgId": l.orgID, "id": id})
	l.entries = append(l.entries, undo{what: "delete " + d.what + " " + id, method: http.MethodDelete, path: path})
}

// noteOfficial writes down the deletion of what an official operation that ours does not
// declare created in the organization, where a DELETE of its member path exists (a team, a user,
// a resource policy). What it creates in the kit's project goes with the project.
func (l *ledger) noteOfficial(req *http.Request, res response) {
	if l.spec == nil || l.spec.Official == nil || req.Method != http.MethodPost {
		return
	}
	route, _, err := l.spec.Route(req)
	if err != nil || route.Spec != l.spec.Official || !strings.HasPrefix(route.Path, "/api/atlas/v2/orgs/{orgId}/") {
		return
	}
	for path, item := range route.Spec.Paths.Map() {
		name, isParam := paramIn(path[strings.LastIndexByte(path, '/')+1:])
		if !isParam || path != route.Path+"/{"+name+"}" || item.Delete == nil {
			continue
		}
		if id := valueOf(res.object(), name); id != "" {
			target := req.URL.EscapedPath() + "/" + url.PathEscape(id)
			l.entries = append(l.entries, undo{what: "delete " + target, method: http.MethodDelete, path: target})
		}
	}
}

// cleanUp undoes what the kit did, newest first; what is already gone is fine. With keepCreated
// (--keep-fixtures) it deletes nothing, but still restores what it changed, and lists what it
// kept: each thing with the request that deletes it, for a person to send when done with it.
func (c *client) cleanUp(ctx context.Context, keepCreated bool) (kept []string, errs []error) {
	c.ledger.mu.Lock()
	entries := c.ledger.entries
	c.ledger.entries = nil
	c.ledger.mu.Unlock()
	for _, u := range slices.Backward(entries) {
		if keepCreated && u.method == http.MethodDelete {
			kept = append(kept, fmt.Sprintf("%s: %s %s%s", u.what, u.method, c.base, u.path))
			continue
		}
		res, err := c.send(ctx, jsonRequest(u.method, u.path, u.body))
		if err == nil && res.status >= 300 && !(u.method == http.MethodDelete && gone(res)) {
			err = fmt.Errorf("%s: status %d: %s", u.what, res.status, snippet(res.body))
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("clean up: %w (%s %s by hand)", err, u.method, u.path))
		}
	}
	return kept, errs
}
