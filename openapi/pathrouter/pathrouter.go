// Package pathrouter finds the operation of a request among a specification's paths, as
// kin-openapi's routers do, by walking a tree of path segments: a request costs the depth of its
// path rather than a scan of every path, and paths that differ only in a parameter's name (which
// the official Atlas specification has: sampleDatasetLoad/{name} to start a load,
// sampleDatasetLoad/{sampleDatasetId} to read one) are told apart by the method.
package pathrouter

import (
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
)

// router is the tree of a document's paths.
type router struct {
	doc  *openapi3.T
	root *node
}

// node is one segment of a path template: a literal (`clusters`), or a parameter with the
// literal text around it (`{clusterName}`, `{clusterName}:pause`, `{logName}.gz`).
type node struct {
	literals map[string]*node
	params   []*paramNode
	// templates are the paths that end here, each with the methods it declares.
	templates []string
}

type paramNode struct {
	name, prefix, suffix string
	next                 *node
}

var _ routers.Router = (*router)(nil)

// New returns the router of a document, whose servers it ignores: it matches paths alone.
func New(doc *openapi3.T) routers.Router {
	r := &router{doc: doc, root: &node{}}
	for _, path := range doc.Paths.InMatchingOrder() {
		n := r.root
		for _, segment := range segments(path) {
			n = n.child(segment)
		}
		n.templates = append(n.templates, path)
	}
	r.root.sort()
	return r
}

func (n *node) child(segment string) *node {
	open, end := strings.IndexByte(segment, '{'), strings.IndexByte(segment, '}')
	if open < 0 || end < open {
		if n.literals == nil {
			n.literals = map[string]*node{}
		}
		if n.literals[segment] == nil {
			n.literals[segment] = &node{}
		}
		return n.literals[segment]
	}
	p := paramNode{name: segment[open+1 : end], prefix: segment[:open], suffix: segment[end+1:]}
	for _, existing := range n.params {
		if existing.prefix == p.prefix && existing.suffix == p.suffix {
			return existing.next // the same shape under another name: one node, several templates
		}
	}
	p.next = &node{}
	n.params = append(n.params, &p)
	return p.next
}

// sort puts the parameters with literal text around them before the bare ones, so that
// `{clusterName}:pause` is tried before `{clusterName}`.
func (n *node) sort() {
	slices.SortStableFunc(n.params, func(a, b *paramNode) int {
		return len(b.prefix) + len(b.suffix) - len(a.prefix) - len(a.suffix)
	})
	for _, next := range n.literals {
		next.sort()
	}
	for _, p := range n.params {
		p.next.sort()
	}
}

// FindRoute returns the operation of the request and its path parameters, as the request wrote
// them (escaped), or routers.ErrPathNotFound or routers.ErrMethodNotAllowed.
func (r *router) FindRoute(req *http.Request) (*routers.Route, map[string]string, error) {
	parts := strings.Split(strings.TrimPrefix(req.URL.EscapedPath(), "/"), "/")
	var values []string
	found := r.root.match(parts, &values)
	if found == nil {
		return nil, nil, routers.ErrPathNotFound
	}
	for _, path := range found.templates {
		item := r.doc.Paths.Value(path)
		if op := item.GetOperation(req.Method); op != nil {
			return &routers.Route{Spec: r.doc, Path: path, PathItem: item, Method: req.Method, Operation: op}, paramsOf(path, values), nil
		}
	}
	return nil, nil, routers.ErrMethodNotAllowed
}

// match walks the segments of a request, literals first, and collects the values of the
// parameters on the way.
func (n *node) match(parts []string, values *[]string) *node {
	if len(parts) == 0 {
		if len(n.templates) > 0 {
			return n
		}
		return nil
	}
	segment, rest := parts[0], parts[1:]
	if next := n.literals[segment]; next != nil {
		if found := next.match(rest, values); found != nil {
			return found
		}
	}
	for _, p := range n.params {
		value, ok := p.value(segment)
		if !ok {
			continue
		}
		*values = append(*values, value)
		if found := p.next.match(rest, values); found != nil {
			return found
		}
		*values = (*values)[:len(*values)-1]
	}
	return nil
}

func (p *paramNode) value(segment string) (string, bool) {
	if len(segment) <= len(p.prefix)+len(p.suffix) || !strings.HasPrefix(segment, p.prefix) || !strings.HasSuffix(segment, p.suffix) {
		return "", false
	}
	return segment[len(p.prefix) : len(segment)-len(p.suffix)], true
}

// paramsOf names the values of a match after the parameters of the template that declares the
// method.
func paramsOf(path string, values []string) map[string]string {
	params := make(map[string]string, len(values))
	i := 0
	for _, segment := range segments(path) {
		open, end := strings.IndexByte(segment, '{'), strings.IndexByte(segment, '}')
		if open >= 0 && end > open && i < len(values) {
			params[segment[open+1:end]] = values[i]
			i++
		}
	}
	return params
}

// segments splits a path template, or a path, into its segments.
func segments(path string) []string {
	return strings.Split(strings.TrimPrefix(path, "/"), "/")
}
