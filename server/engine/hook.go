package engine

import "github.com/atlasstub/atlasstub/server/store"

// hook is what a family of resources does beyond the generic rules, where they would lie: a
// cluster's connection strings follow from its name, an access-list entry is named by its
// address. Each family has a file of its own beside the engine (hook_*.go).
type hook struct {
	family string
	// collections are the templates (see template) of the collections whose operations the hook
	// shapes; operations are further operationIds it serves.
	collections []string
	operations  []string
	// admit checks and normalizes the document of a new member before the generic rules name it,
	// and returns its id ("" leaves the naming to them).
	admit func(cl *call, doc map[string]any) (id string, err error)
	// derive fills what the member's other properties determine, whenever it is stored.
	derive func(cl *call, r *store.Resource)
	// serve replaces the generic handling of operations, by operationId.
	serve map[string]func(cl *call) error
}

// hooks are the families with hooks; each hook_*.go file adds its own.
var hooks []*hook

// hookOf finds the hook of a plan: by its operation, else by its collection.
func hookOf(p *plan) *hook {
	for _, h := range hooks {
		for _, id := range h.operations {
			if id == p.op.OperationID {
				return h
			}
		}
	}
	if p.coll == nil {
		return nil
	}
	for _, h := range hooks {
		for _, t := range h.collections {
			if t == p.coll.template {
				return h
			}
		}
	}
	return nil
}
