package server_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/store"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// BenchmarkDataDir reads a project (getGroup) and renames it (updateGroup) over HTTP with a
// bearer token, with the state in memory and in a data directory (--data-dir): reads cost the
// same, as a data directory keeps its records in memory too; a write waits for the file's sync
// (server/store's BenchmarkFsync measures the disk's).
func BenchmarkDataDir(b *testing.B) {
	for _, where := range []string{"memory", "data-dir"} {
		b.Run(where, func(b *testing.B) {
			opts := []stubtest.Option{noRateLimits}
			if where == "data-dir" {
				backend, err := store.OpenDataDir(b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				opts = append(opts, func(c *server.Config) { c.Backend = backend })
			}
			stub := stubtest.New(b, opts...)
			tokens.Store(stub, stub.Token(b))
			path := "/api/atlas/v2/groups/" + stub.Credentials.ProjectId
			b.Run("read", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					benchRequest(b, stub, http.MethodGet, path, "", http.StatusOK)
				}
			})
			b.Run("write", func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					i++
					benchRequest(b, stub, http.MethodPatch, path, fmt.Sprintf(`{"name": "renamed-%d"}`, i), http.StatusOK)
				}
			})
		})
	}
}
