package openapi_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/atlasstub/atlasstub/openapi"
)

func TestExtensionsOfAnOperation(t *testing.T) {
	doc := loadDoc(t, `
paths:
  /groups/{groupId}/apiKeys/{apiUserId}:
    patch:
      x-atlas-roles: [" GROUP_OWNER ", ORG_OWNER, 7]
      x-atlas-changes-credential: apiUserId
      responses: {"200": {description: ok}}
  /api/oauth/token:
    post:
      x-atlas-roles: []
      x-atlas-error-format: oauth2
      responses: {"200": {description: ok}}
`)
	patch := doc.Paths.Value("/groups/{groupId}/apiKeys/{apiUserId}").Patch
	token := doc.Paths.Value("/api/oauth/token").Post
	assert.Equal(t, []string{"GROUP_OWNER", "ORG_OWNER"}, openapi.Roles(patch), "trimmed, and what is not a string skipped")
	assert.Empty(t, openapi.Roles(token))
	assert.Equal(t, "apiUserId", openapi.ChangedCredential(patch))
	assert.Empty(t, openapi.ChangedCredential(token))
	assert.True(t, openapi.OAuthErrors(token))
	assert.False(t, openapi.OAuthErrors(patch))
	assert.Empty(t, openapi.Roles(nil))
	assert.False(t, openapi.OAuthErrors(nil))
	assert.Empty(t, openapi.ExtensionStrings(nil, "x-atlas-roles"))
}
