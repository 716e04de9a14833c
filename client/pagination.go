package client

import (
	"iter"
	"net/http"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
)

// Pagination. Every list operation that reads (GET with pageNum) has an iterator besides its
// method: ListGroupsAll yields the projects of every page in turn, asking for pageNum 1, 2, ...
// (from the params' PageNum, when set) with the params' other values, and stops after the page
// without a "next" link, which Atlas leaves out on the last page. An empty page also ends the
// iteration, so that a server that always links a next page cannot make it endless. An error ends
// it too, after being yielded once.

// listPage is the shape every paginated response shares.
type listPage[T any] struct {
	Links   []atlasapi.Link `json:"links"`
	Results []T             `json:"results"`
}

func (p *listPage[T]) hasNext() bool {
	for _, link := range p.Links {
		if link.Rel != nil && *link.Rel == "next" {
			return true
		}
	}
	return false
}

// allItems yields the results of every page from start (page 1 when nil); fetch gets one page.
func allItems[T any](start *int, fetch func(pageNum int) (*http.Response, error)) iter.Seq2[T, error] {
	first := 1
	if start != nil {
		first = *start
	}
	return func(yield func(T, error) bool) {
		for pageNum := first; ; pageNum++ {
			page, err := decodeJSON[listPage[T]](fetch(pageNum))
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, item := range page.Results {
				if !yield(item, nil) {
					return
				}
			}
			if len(page.Results) == 0 || !page.hasNext() {
				return
			}
		}
	}
}

// valueOf returns a copy of *params, or the zero params for nil.
func valueOf[P any](params *P) P {
	if params == nil {
		var zero P
		return zero
	}
	return *params
}
