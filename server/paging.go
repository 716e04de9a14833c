package server

import (
	"maps"
	"strconv"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
)

// page is one page of a list, as the pageNum, itemsPerPage and includeCount query parameters ask.
type page struct {
	num, size    int
	includeCount bool
}

// Atlas's pagination defaults.
const (
	defaultItemsPerPage = 100
	defaultPageNum      = 1
)

func pageOf(pageNum, itemsPerPage *int, includeCount *bool) page {
	p := page{num: defaultPageNum, size: defaultItemsPerPage, includeCount: true}
	if pageNum != nil {
		p.num = *pageNum
	}
	if itemsPerPage != nil {
		p.size = *itemsPerPage
	}
	if includeCount != nil {
		p.includeCount = *includeCount
	}
	return p
}

// paginate returns the items of page p; a page past the end is empty.
func paginate[T any](items []T, p page) []T {
	// pageNum has no upper bound: compare page numbers first, so that (pageNum-1)*itemsPerPage
	// is only computed when it lies within the list and cannot overflow.
	if p.num > lastPage(len(items), p.size) {
		return []T{}
	}
	start := (p.num - 1) * p.size
	return items[start:min(start+p.size, len(items))]
}

// lastPage is the number of the last page of a list of total items; 0 when there are none.
func lastPage(total, size int) int {
	return (total + size - 1) / size
}

// listPage is what every paginated response carries besides its results.
type listPage struct {
	links      *atlasapi.Links
	totalCount *atlasapi.TotalCount
}

// pageOfList builds the links and count of page p of a list of total items: self always,
// previous unless on the first page, next unless on the last. The links keep the request's
// other query parameters.
func (info *requestInfo) pageOfList(p page, total int) listPage {
	links := atlasapi.Links{info.pageLink("self", p.num, p.size)}
	if p.num > 1 {
		links = append(links, info.pageLink("previous", p.num-1, p.size))
	}
	if p.num < lastPage(total, p.size) {
		links = append(links, info.pageLink("next", p.num+1, p.size))
	}
	lp := listPage{links: &links}
	if p.includeCount {
		count := atlasapi.TotalCount(total)
		lp.totalCount = &count
	}
	return lp
}

func (info *requestInfo) pageLink(rel string, num, size int) atlasapi.Link {
	query := maps.Clone(info.query)
	query.Set("pageNum", strconv.Itoa(num))
	query.Set("itemsPerPage", strconv.Itoa(size))
	href := info.baseURL + info.url.EscapedPath() + "?" + query.Encode()
	return atlasapi.Link{Href: &href, Rel: &rel}
}

// selfLinks returns the links of the resource at path (already escaped): a self link.
func (info *requestInfo) selfLinks(path string) *atlasapi.Links {
	href, rel := info.baseURL+path, "self"
	return &atlasapi.Links{{Href: &href, Rel: &rel}}
}
