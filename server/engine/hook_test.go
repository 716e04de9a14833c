package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHooksNameWhatTheSpecificationHas: an operationId or collection that a hook names and the
// specification lacks (a typo, or an operation a new version renamed) would leave the hook
// silently unused.
func TestHooksNameWhatTheSpecificationHas(t *testing.T) {
	spec, err := LoadSpec()
	require.NoError(t, err)
	operations := map[string]*plan{}
	for _, p := range spec.plans {
		operations[p.op.OperationID] = p
	}
	for _, h := range hooks {
		for _, id := range h.operations {
			p, ok := operations[id]
			if assert.True(t, ok, "the %s hook serves %s, which no generic operation is", h.family, id) {
				assert.Same(t, h, p.hook, "%s is served by the %s hook", id, h.family)
				assert.NotNil(t, h.serve[id], "the %s hook names %s but does not serve it", h.family, id)
			}
		}
		for _, template := range h.collections {
			c, ok := spec.collections[template]
			if assert.True(t, ok, "the %s hook shapes %s, which is no collection", h.family, template) {
				assert.Same(t, h, c.hook)
			}
		}
	}
}
