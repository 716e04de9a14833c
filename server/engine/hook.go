package engine

import (
	"slices"

	"github.com/atlasstub/atlasstub/server/store"
)

// hook is what a family of resources does beyond the generic rules, where they would lie: a
// cluster's connection strings follow from its name, an access-list entry is named by its
// address. Each family has a file of its own beside the engine (hook_*.go).
type hook struct {
	family string
	// collections are the templates (see template) of the collections whose operations the hook
	// shapes; operations are further operationIds it serves.
	collections []string
	operations  []string
	// The functions below shape the members of the collections; serve replaces operations.

	// admit checks and normalizes the document of a new member before the generic rules name it,
	// and returns its id ("" leaves the naming to them).
	admit func(cl *call, doc map[string]any) (id string, err error)
	// show adds to a member's document, as it is shown, what the clock says of it.
	show func(cl *call, r store.Resource, doc map[string]any)
	// check refuses a member's document, new or changed, that breaks a rule of its family.
	check func(cl *call, r store.Resource) error
	// key turns the value by which a path names a member into its id, for members that a path
	// can name in several ways (an address, or its /32 block).
	key func(value string) string
	// upsert makes a create of a member that exists replace it rather than conflict.
	upsert bool
	// derive fills what the member's other properties determine, whenever it is stored.
	derive func(cl *call, r *store.Resource)
	// serve replaces the generic handling of operations, by operationId.
	serve map[string]func(cl *call) error
}

// hooks are the families with hooks; each hook_*.go file adds its own.
var hooks []*hook

// hookOfOperation finds the hook that serves an operation itself.
func hookOfOperation(op string) *hook {
	for _, h := range hooks {
		if slices.Contains(h.operations, op) {
			return h
		}
	}
	return nil
}

// hookOfCollection finds the hook that shapes a collection's members.
func hookOfCollection(template string) *hook {
	for _, h := range hooks {
		if slices.Contains(h.collections, template) {
			return h
		}
	}
	return nil
}
