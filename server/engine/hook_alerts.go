package engine

import (
	"github.com/atlasstub/atlasstub/server/store"
)

// An alert configuration shows when it was created and last changed: updated follows every
// write, on the stub's clock.
func init() {
	hooks = append(hooks, &hook{
		family:      "alert configurations",
		collections: []string{"/api/atlas/v2/groups/{}/alertConfigs"},
		derive: func(cl *call, r *store.Resource) {
			r.Document["updated"] = timestamp(cl.now)
		},
	})
}
