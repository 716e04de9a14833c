package pipeline

import (
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/openapi/pathrouter"
)

// BenchmarkRouteCurated finds the operation of a request in our Atlas specification with the
// router the stub uses (pathrouter's tree of segments) and, as its reference in the same run,
// with kin-openapi's gorilla/mux router, which the stub used before: a project read, and a
// certificate list, deeper in the tree.
func BenchmarkRouteCurated(b *testing.B) {
	doc, err := openapi.LoadAtlas()
	if err != nil {
		b.Fatal(err)
	}
	doc.Servers = nil
	mux, err := gorillamux.NewRouter(doc)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range []struct {
		name   string
		router routers.Router
	}{{"pathrouter", pathrouter.New(doc)}, {"gorillamux", mux}} {
		for _, path := range []struct{ name, path string }{
			{"getGroup", "/api/atlas/v2/groups/5f4d1c2b3a29f10e8c7b6a51"},
			{"listGroupDatabaseUserCerts", "/api/atlas/v2/groups/5f4d1c2b3a29f10e8c7b6a51/databaseUsers/user/certs"},
		} {
			req := httptest.NewRequest("GET", path.path, nil)
			b.Run(r.name+"/"+path.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, _, err := r.router.FindRoute(req); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
