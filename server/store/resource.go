package store

import (
	"net/url"
	"strings"
	"time"
)

// Resource is a record of the generic engine, which serves the official operations that the
// curated handlers do not: one JSON document that lives at a path of the API, with the state of
// its lifecycle. The engine decides what the document holds; the store keeps it, lists the
// documents of a collection, and removes with a resource everything that lives under it.
type Resource struct {
	// Collection is the path of the collection the resource lives in, relative to the API's root
	// and with every segment escaped: groups/5f4d.../clusters. A resource that is no member of a
	// collection (a project's settings) lives at its own path, with an empty ID.
	Collection string
	// ID identifies the resource in its collection: a name or an ObjectId.
	ID      string
	Created time.Time
	// Document is the resource as the API shows it.
	Document map[string]any
	// Phase is the transition the resource is in ("" for none) and PhaseEnds when it ends, on the
	// stub's clock.
	Phase     string    `json:",omitempty"`
	PhaseEnds time.Time `json:",omitzero"`
}

var resources = newTable[Resource]("resources")

// A resource's key is its collection and its escaped id, apart by a '#', which an escaped
// segment never holds: the members of a collection share the prefix `<collection>#`, and what
// lives under a member the prefix `<collection>/<id>/`.
func resourceKey(collection, id string) string { return collection + "#" + url.PathEscape(id) }

// ResourcePath is the path under which what lives in the resource id of collection is kept.
func ResourcePath(collection, id string) string {
	if id == "" {
		return collection
	}
	return collection + "/" + url.PathEscape(id)
}

// Resource returns the resource id of collection.
func (tx *Tx) Resource(collection, id string) (Resource, bool, error) {
	return resources.get(tx, resourceKey(collection, id))
}

// Resources returns the members of a collection, in the order of their ids.
func (tx *Tx) Resources(collection string) ([]Resource, error) {
	return resources.list(tx, collection+"#")
}

// PutResource stores a resource, replacing what was stored under its collection and id.
func (tx *Tx) PutResource(r Resource) error {
	return resources.put(tx, resourceKey(r.Collection, r.ID), r)
}

// DeleteResource removes a resource and every resource that lives under it.
func (tx *Tx) DeleteResource(collection, id string) error {
	if err := resources.delete(tx, resourceKey(collection, id)); err != nil {
		return err
	}
	return tx.DeleteResourcesUnder(ResourcePath(collection, id))
}

// DeleteResourcesUnder removes every resource that lives under path: those of its collections,
// of theirs, and so on.
func (tx *Tx) DeleteResourcesUnder(path string) error {
	return resources.deletePrefix(tx, strings.TrimSuffix(path, "/")+"/")
}
