package engine

import (
	"slices"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/atlasstub/atlasstub/server/store"
)

// Resources that Atlas builds take a while: a cluster is CREATING, then IDLE; a change makes it
// UPDATING, then IDLE again; a deletion makes it DELETING, then it is gone. The engine keeps the
// transition a resource is in and when it ends, on the stub's clock, and shows the state that the
// clock says: a client that polls sees the resource become ready, and a clock advance makes it
// ready at once.

// Transitions a resource goes through.
const (
	phaseCreating = "creating"
	phaseUpdating = "updating"
	phaseDeleting = "deleting"
)

// lifecycle is the property that shows a resource's state, and the value of each state.
type lifecycle struct {
	field string
	// creating, ready, updating and deleting are the property's values; updating and deleting
	// are "" where the schema has none (the change is then immediate).
	creating, ready, updating, deleting string
}

// vocabularies are the states the specification's resources use, as pairs of the state while
// being built and the state once ready, in the order they are tried.
var vocabularies = [][2]string{
	{"CREATING", "IDLE"},                   // clusters, flex clusters, serverless instances
	{"INITIATING", "AVAILABLE"},            // private endpoints and their services
	{"INITIATING", "ACTIVE"},               // encryption-at-rest and object storage private endpoints
	{"ADDING_PEER", "AVAILABLE"},           // network peering
	{"RESERVATION_REQUESTED", "AVAILABLE"}, // serverless private endpoints
	{"PENDING", "READY"},                   // search indexes
	{"IN_PROGRESS", "STEADY"},              // legacy search indexes
	{"queued", "completed"},                // cloud backup snapshots
	{"QUEUED", "COMPLETED"},                // flex and tenant snapshots and restores
	{"PENDING", "COMPLETED"},
	{"PENDING", "OK"},      // private network endpoint ids
	{"PENDING", "SUCCESS"}, // LDAP verifications, live migration validations
	{"NEW", "COMPLETE"},    // live migrations
}

// lifecycleOf finds the state property of a schema: stateName, else status, whose enum holds a
// pair of the vocabularies.
func lifecycleOf(schema *openapi3.SchemaRef) *lifecycle {
	for _, field := range []string{"stateName", "status"} {
		prop := propertyOf(schema, field)
		if prop == nil || prop.Value == nil {
			continue
		}
		enum := prop.Value.Enum
		for _, pair := range vocabularies {
			if slices.Contains(enum, any(pair[0])) && slices.Contains(enum, any(pair[1])) {
				l := &lifecycle{field: field, creating: pair[0], ready: pair[1]}
				if slices.Contains(enum, any("UPDATING")) {
					l.updating = "UPDATING"
				}
				if slices.Contains(enum, any("DELETING")) {
					l.deleting = "DELETING"
				}
				return l
			}
		}
	}
	return nil
}

// begin starts a transition of r that the clock ends after d: creating or updating. One that
// the schema has no state for, or that takes no time, ends at once.
func (l *lifecycle) begin(r *store.Resource, phase string, now time.Time, d time.Duration) {
	r.Phase, r.PhaseEnds = "", time.Time{}
	if l != nil && l.stateOf(phase) != "" && d > 0 {
		r.Phase, r.PhaseEnds = phase, now.Add(d)
	}
}

// deletes reports whether deleting a member takes time: its schema has a DELETING state.
func (l *lifecycle) deletes(d time.Duration) bool { return l != nil && l.deleting != "" && d > 0 }

func (l *lifecycle) stateOf(phase string) string {
	switch phase {
	case phaseCreating:
		return l.creating
	case phaseUpdating:
		return l.updating
	case phaseDeleting:
		return l.deleting
	}
	return l.ready
}

// gone reports whether a resource was deleted and its deletion has ended.
func gone(r store.Resource, now time.Time) bool {
	return r.Phase == phaseDeleting && !now.Before(r.PhaseEnds)
}

// show sets the state property of a resource's document to the state the clock says.
func (l *lifecycle) show(r store.Resource, now time.Time) {
	if l == nil || r.Document == nil {
		return
	}
	phase := r.Phase
	if phase != "" && !now.Before(r.PhaseEnds) {
		phase = ""
	}
	r.Document[l.field] = l.stateOf(phase)
}
