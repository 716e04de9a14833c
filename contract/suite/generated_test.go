package suite

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSameTemplate(t *testing.T) {
	assert.True(t, sameTemplate("/groups/{groupId}/clusters/{clusterName}", "/groups/{id}/clusters/{name}"))
	assert.True(t, sameTemplate("/a/{x}:pause", "/a/{y}:pause"))
	assert.False(t, sameTemplate("/groups/{groupId}/clusters", "/groups/{groupId}/clusters/{clusterName}"))
	assert.False(t, sameTemplate("/a/{x}/b", "/a/{x}/c"))
	assert.False(t, sameTemplate("/a/{x}", "/a/b"))
	assert.False(t, sameTemplate("/a/{x}:pause", "/a/{x}:resume"))
}
