package handlers

import (
	"context"
	"maps"
	"strconv"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/pipeline"
)

// Page is one page of a list, as the pageNum, itemsPerPage and includeCount query parameters ask.
type Page struct {
	Num, Size    int
	IncludeCount bool
}

// Atlas's pagination defaults.
const (
	defaultItemsPerPage = 100
	defaultPageNum      = 1
)

// PageOf returns the page that the query parameters ask for, with Atlas's defaults.
func PageOf(pageNum, itemsPerPage *int, includeCount *bool) Page {
	return Page{
		Num:          ValueOr(pageNum, defaultPageNum),
		Size:         ValueOr(itemsPerPage, defaultItemsPerPage),
		IncludeCount: ValueOr(includeCount, true),
	}
}

// Paginate returns the items of page p; a page past the end is empty.
func Paginate[T any](items []T, p Page) []T {
	// pageNum has no upper bound: compare page numbers first, so that (pageNum-1)*itemsPerPage
	// is only computed when it lies within the list and cannot overflow.
	if p.Num > lastPage(len(items), p.Size) {
		return []T{}
	}
	start := (p.Num - 1) * p.Size
	return items[start:min(start+p.Size, len(items))]
}

// lastPage is the number of the last page of a list of total items; 0 when there are none.
func lastPage(total, size int) int {
	return (total + size - 1) / size
}

// PageInfo is what every paginated response carries besides its results.
type PageInfo struct {
	Links      *atlasapi.Links
	TotalCount *atlasapi.TotalCount
}

// Info builds the links and count of page p of a list of total items: self always, previous
// unless on the first page, next unless on the last. The links keep the request's other query
// parameters.
func (p Page) Info(ctx context.Context, total int) PageInfo {
	info := pipeline.RequestOf(ctx)
	links := atlasapi.Links{pageLink(info, "self", p.Num, p.Size)}
	if p.Num > 1 {
		links = append(links, pageLink(info, "previous", p.Num-1, p.Size))
	}
	if p.Num < lastPage(total, p.Size) {
		links = append(links, pageLink(info, "next", p.Num+1, p.Size))
	}
	pi := PageInfo{Links: &links}
	if p.IncludeCount {
		count := atlasapi.TotalCount(total)
		pi.TotalCount = &count
	}
	return pi
}

func pageLink(info *pipeline.Request, rel string, num, size int) atlasapi.Link {
	query := maps.Clone(info.Query)
	query.Set("pageNum", strconv.Itoa(num))
	query.Set("itemsPerPage", strconv.Itoa(size))
	href := info.BaseURL + info.URL.EscapedPath() + "?" + query.Encode()
	return atlasapi.Link{Href: &href, Rel: &rel}
}
