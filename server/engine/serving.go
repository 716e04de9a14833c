package engine

import (
	"cmp"
	"slices"
)

// How the stub serves an official operation.
const (
	// Curated: the curated specification declares the operation, and its handler answers.
	Curated = "curated"
	// Generic: the engine answers from the specification alone.
	Generic = "generic"
	// GenericWithHook: the engine answers, and a hook of the operation's family serves it or
	// shapes its resources where a generic rule would lie.
	GenericWithHook = "generic with a hook"
)

// Serving says how the stub serves one operation of the official specification.
type Serving struct {
	OperationID string   `json:"operationId"`
	Method      string   `json:"method"`
	Path        string   `json:"path"`
	Tags        []string `json:"tags"`
	// How is Curated, Generic or GenericWithHook.
	How string `json:"how"`
	// Kind is what the engine does (list, create, read, update, replace, delete, settings,
	// action; "" when curated), and Hook the family of its hook ("" without one).
	Kind string `json:"kind,omitempty"`
	Hook string `json:"hook,omitempty"`
	// Lifecycle says that what the operation acts on moves through states on the stub's clock.
	Lifecycle bool `json:"lifecycle,omitempty"`
}

// Servings says how the stub serves every official operation, ordered by path then method.
func (s *Spec) Servings() []Serving {
	var out []Serving
	for _, path := range s.Doc.Paths.InMatchingOrder() {
		for method, op := range s.Doc.Paths.Value(path).Operations() {
			sv := Serving{OperationID: op.OperationID, Method: method, Path: path, Tags: op.Tags, How: Curated}
			if p := s.plans[op]; p != nil {
				sv.How, sv.Kind = Generic, string(p.kind)
				if h := p.familyHook(); h != nil {
					sv.How, sv.Hook = GenericWithHook, h.family
				}
				sv.Lifecycle = p.coll != nil && p.coll.lifecycle != nil
			}
			out = append(out, sv)
		}
	}
	slices.SortFunc(out, func(a, b Serving) int { return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Method, b.Method)) })
	return out
}

// familyHook is the hook that serves the plan's operation, or shapes what it acts on; nil when
// the generic rules alone serve it.
func (p *plan) familyHook() *hook {
	if p.hook != nil {
		return p.hook
	}
	if p.coll != nil && p.coll.hook != nil {
		return p.coll.hook
	}
	return nil
}
