package limits

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/routers"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/pipeline"
)

// BenchmarkTakeABudget is what the rate-limit step adds to a request of getGroup: its family
// (cached), its budget, and a request counted in its window.
func BenchmarkTakeABudget(b *testing.B) {
	doc, err := openapi.LoadAtlas()
	require.NoError(b, err)
	path := "/api/atlas/v2/groups/{groupId}"
	route := &routers.Route{Path: path, Method: http.MethodGet, Operation: doc.Paths.Value(path).Get}
	info := &pipeline.Request{Route: route, PathParams: map[string]string{"groupId": "32b6e34b3d91647abb20e7b8"}}
	req := httptest.NewRequest(http.MethodGet, "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8", nil)
	l := New(Atlas, time.Now, func(*http.Request) netip.Addr { return netip.MustParseAddr("127.0.0.1") })
	start := time.Now()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		family, _ := l.familyOf(route)
		// A minute every thousand requests, so that the budget of 1200 never runs out.
		if !l.windows.take(l.budget(family, info, req), family, start.Add(time.Duration(i/1000)*time.Minute)).allowed {
			b.Fatal("refused")
		}
	}
}
