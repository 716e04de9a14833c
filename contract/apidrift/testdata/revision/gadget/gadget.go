// Package gadget exists only in the revision.
package gadget

// Gadget is new.
type Gadget struct{}
