package pipeline

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/openapi"
)

// TestVerdictsTellResponsesApart: a response is the one that passed only when its operation,
// status, Content-Type, declared headers and body are all the same.
func TestVerdictsTellResponsesApart(t *testing.T) {
	doc, err := openapi.LoadAtlas()
	require.NoError(t, err)
	create := doc.Paths.Value("/api/atlas/v2/groups").Post
	get := doc.Paths.Value("/api/atlas/v2/groups/{groupId}").Get
	require.NotNil(t, create.Responses.Status(201).Value.Headers["Location"], "the test needs a declared header")

	header := func(contentType, location string) http.Header {
		return http.Header{"Content-Type": {contentType}, "Location": {location}, "X-Request-Id": {"undeclared"}}
	}
	v := &verdicts{}
	passed := headOf(create, 201, header("application/json", "http://a/1"))
	v.pass(passed, []byte(`{"id":"1"}`))

	assert.True(t, v.hasPassed(passed, []byte(`{"id":"1"}`)))
	assert.True(t, v.hasPassed(headOf(create, 201, http.Header{"Content-Type": {"application/json"}, "Location": {"http://a/1"}}), []byte(`{"id":"1"}`)),
		"a header the response does not declare is not validated")
	for name, other := range map[string]struct {
		head responseHead
		body string
	}{
		"body":            {passed, `{"id":"2"}`},
		"declared header": {headOf(create, 201, header("application/json", "http://a/2")), `{"id":"1"}`},
		"content type":    {headOf(create, 201, header("text/plain", "http://a/1")), `{"id":"1"}`},
		"status":          {headOf(create, 200, header("application/json", "http://a/1")), `{"id":"1"}`},
		"operation":       {headOf(get, 201, header("application/json", "http://a/1")), `{"id":"1"}`},
	} {
		assert.False(t, v.hasPassed(other.head, []byte(other.body)), "another %s", name)
	}
}

func TestVerdictsForgetWhenFull(t *testing.T) {
	doc, err := openapi.LoadAtlas()
	require.NoError(t, err)
	head := headOf(doc.Paths.Value("/api/atlas/v2/groups/{groupId}").Get, 200, http.Header{})
	v := &verdicts{}
	v.pass(head, []byte("first"))
	v.pass(head, make([]byte, rememberedBytes))
	assert.False(t, v.hasPassed(head, []byte("first")), "a full memory starts again")
	assert.True(t, v.hasPassed(head, make([]byte, rememberedBytes)))
}
