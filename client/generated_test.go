package client

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/mongodb-forks/digest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
)

// TestGeneratedBindingsReadAtlasResponses holds the generated bindings, which users regenerate
// and call directly, to what Atlas answers: a versioned type with ;charset=utf-8 still fills the
// typed field of ClientWithResponses (it looks for "json" in Content-Type while a status has one
// JSON media type; with two, it compares them exactly and a charset would leave the field nil),
// and the certificate's raw PEM under its JSON media type, which ClientWithResponses cannot
// decode as JSON, comes through the plain generated Client as it is.
func TestGeneratedBindingsReadAtlasResponses(t *testing.T) {
	stub := newTestStub(t)
	digest := &http.Client{Transport: digest.NewTransport(stub.Credentials.ApiKey.PublicKey, stub.Credentials.ApiKey.PrivateKey)}
	ctx, groupID := context.Background(), stub.Credentials.ProjectId
	accept := func(_ context.Context, req *http.Request) error {
		req.Header.Set("Accept", "application/vnd.atlas.2023-01-01+json")
		return nil
	}
	typed, err := atlasapi.NewClientWithResponses(stub.URL, atlasapi.WithHTTPClient(digest))
	require.NoError(t, err)

	group, err := typed.GetGroupWithResponse(ctx, groupID, nil, accept)
	require.NoError(t, err)
	assert.Equal(t, "application/vnd.atlas.2023-01-01+json;charset=utf-8", group.HTTPResponse.Header.Get("Content-Type"))
	require.NotNil(t, group.ApplicationvndAtlas20230101JSON200, "the charset leaves the typed field filled")
	assert.Equal(t, groupID, *group.ApplicationvndAtlas20230101JSON200.Id)
	created, err := typed.CreateGroupWithResponse(ctx, nil, atlasapi.Group{Name: "generated", OrgId: stub.Credentials.OrgId}, accept)
	require.NoError(t, err)
	require.NotNil(t, created.ApplicationvndAtlas20230101JSON201)
	assert.Equal(t, stub.URL+"/api/atlas/v2/groups/"+*created.ApplicationvndAtlas20230101JSON201.Id, created.HTTPResponse.Header.Get("Location"))

	user := atlasapi.CloudDatabaseUser{GroupId: groupID, DatabaseName: atlasapi.External, Username: "generated", X509Type: ptr(atlasapi.CloudDatabaseUserX509TypeMANAGED)}
	_, err = typed.CreateGroupDatabaseUserWithResponse(ctx, groupID, nil, user, accept)
	require.NoError(t, err)
	_, err = typed.CreateGroupDatabaseUserCertWithResponse(ctx, groupID, "generated", nil, atlasapi.UserCert{}, accept)
	assert.Error(t, err, "ClientWithResponses decodes a JSON media type as JSON, which PEM text is not")

	plain, err := atlasapi.NewClient(stub.URL, atlasapi.WithHTTPClient(digest))
	require.NoError(t, err)
	res, err := plain.CreateGroupDatabaseUserCert(ctx, groupID, "generated", nil, atlasapi.UserCert{}, accept)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, res.StatusCode)
	cert, err := ParseCertificate(body)
	require.NoError(t, err)
	assert.Equal(t, "generated", cert.X509.Subject.CommonName)
}
