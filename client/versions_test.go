package client

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
)

// TestVersionDate asks the stub for the API as of a later date than any operation's version: the
// spec transport checks that every request asks for that date, and validates the bodies, whose
// media type names the version of the specification the bodies follow.
func TestVersionDate(t *testing.T) {
	stub := newTestStub(t)
	spec := newSpecTransport(t)
	spec.versionDate = "2025-03-12"
	c, err := New(stub.URL, WithHTTPClient(&http.Client{Transport: spec}), bootstrapAPIKey(stub), WithVersionDate("2025-03-12"))
	require.NoError(t, err)
	ctx := context.Background()

	group, err := c.CreateGroup(ctx, nil, atlasapi.Group{Name: "dated", OrgId: stub.Credentials.OrgId})
	require.NoError(t, err)
	_, err = c.CreateGroupDatabaseUser(ctx, *group.Id, nil, atlasapi.CloudDatabaseUser{
		GroupId: *group.Id, DatabaseName: atlasapi.External, Username: "carol", X509Type: ptr(atlasapi.CloudDatabaseUserX509TypeMANAGED),
	})
	require.NoError(t, err)
	cert, err := c.CreateGroupDatabaseUserCert(ctx, *group.Id, "carol", nil, atlasapi.UserCert{})
	require.NoError(t, err)
	assert.Equal(t, "carol", cert.X509.Subject.CommonName)
	accounts, err := c.ListOrgServiceAccounts(ctx, stub.Credentials.OrgId, nil)
	require.NoError(t, err)
	assert.Len(t, *accounts.Results, 1)
	assert.Equal(t, 2, spec.count("createGroup"))
}

func TestVersionDateBeforeAnOperationIsRefused(t *testing.T) {
	stub := newTestStub(t)
	spec := newSpecTransport(t)
	spec.versionDate = "2023-06-01"
	c, err := New(stub.URL, WithHTTPClient(&http.Client{Transport: spec}), bootstrapServiceAccount(stub), WithVersionDate("2023-06-01"))
	require.NoError(t, err)

	_, err = c.GetGroup(context.Background(), stub.Credentials.ProjectId, nil)
	require.NoError(t, err, "2023-01-01 is served")
	_, err = c.ListOrgServiceAccounts(context.Background(), stub.Credentials.OrgId, nil)
	assert.True(t, IsErrorCode(err, "INVALID_VERSION_DATE"), "service accounts start at 2024-08-05: %v", err)
	assert.True(t, IsStatus(err, http.StatusNotAcceptable))
}

func TestMediaTypesFor(t *testing.T) {
	ops := map[string]specOperation{
		"twoVersions": {versions: []string{"2023-01-01", "2024-08-05"}, jsonBody: true},
		"pem":         {versions: []string{"2023-01-01"}, jsonBody: true},
		"legacy":      {jsonBody: true},
		"read":        {versions: []string{"2023-01-01"}},
	}
	assert.Equal(t, map[string]mediaTypes{
		"twoVersions": {accept: "application/vnd.atlas.2024-08-05+json", contentType: "application/vnd.atlas.2024-08-05+json"},
		"pem":         {accept: "application/vnd.atlas.2023-01-01+json", contentType: "application/vnd.atlas.2023-01-01+json"},
		"legacy":      {accept: "application/json", contentType: "application/json"},
		"read":        {accept: "application/vnd.atlas.2023-01-01+json"},
	}, mediaTypesFor(ops, ""), "each operation's newest version")
	assert.Equal(t, map[string]mediaTypes{
		"twoVersions": {accept: "application/vnd.atlas.2024-01-01+json", contentType: "application/vnd.atlas.2023-01-01+json"},
		"pem":         {accept: "application/vnd.atlas.2024-01-01+json", contentType: "application/vnd.atlas.2023-01-01+json"},
		"legacy":      {accept: "application/json", contentType: "application/json"},
		"read":        {accept: "application/vnd.atlas.2024-01-01+json"},
	}, mediaTypesFor(ops, "2024-01-01"), "a body follows the newest version not later than the date")
	assert.Equal(t, "application/vnd.atlas.2022-01-01+json", mediaTypesFor(ops, "2022-01-01")["twoVersions"].contentType,
		"no version that early: the date, which the server refuses like the Accept header")
}

func TestSpecOperationsFollowTheSpecification(t *testing.T) {
	ops := specOperations
	assert.Len(t, ops, 69)
	assert.Equal(t, specOperation{versions: []string{"2024-08-05"}, jsonBody: true}, ops["createOrgServiceAccount"])
	assert.Equal(t, specOperation{versions: []string{"2023-01-01"}, jsonBody: true}, ops["createGroupDatabaseUserCert"])
	assert.Equal(t, specOperation{versions: []string{"2023-01-01"}}, ops["deleteGroup"], "a 202 with {} asks for JSON")
	assert.Equal(t, specOperation{jsonBody: true}, ops["createLegacyDatabaseUserCert"])
	assert.Equal(t, specOperation{}, ops["createOAuthToken"], "a form is not JSON")
}

func TestUnknownOperationFailsTheRequest(t *testing.T) {
	c, err := New("https://cloud.mongodb.com")
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodGet, "https://cloud.mongodb.com/", nil)
	assert.ErrorContains(t, c.headers("launchRocket")(context.Background(), req), "launchRocket is not an operation of the specification")
}

// TestResponsesAreDecodedWhateverTheCharset: the generated ClientWithResponses would leave these
// undecoded. JSON is recognized by what the media type is, not how it is spelled; other types
// are refused.
func TestResponsesAreDecodedWhateverTheCharset(t *testing.T) {
	var contentType string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write([]byte(`{"name":"Project0","orgId":"0123456789abcdef01234567"}`))
	}))
	t.Cleanup(server.Close)
	c, err := New(server.URL, WithHTTPClient(&http.Client{Transport: newSpecTransport(t).requestsOnly()}))
	require.NoError(t, err)

	for _, contentType = range []string{
		"application/vnd.atlas.2023-01-01+json; charset=utf-8",
		"application/vnd.atlas.2023-01-01+json;charset=ISO-8859-1",
		"application/json; charset=utf-8",
		"Application/JSON",
		"text/json; charset=utf-8", // the official SDK accepts it too
		"application/problem+json", // any +json type
		"",                         // none at all
	} {
		group, err := c.GetGroup(context.Background(), someGroup, nil)
		require.NoError(t, err, contentType)
		assert.Equal(t, "Project0", group.Name, contentType)
	}
	for _, contentType = range []string{"text/html; charset=utf-8", "text/plain", "application/jsonl", "image/svg+json", "json"} {
		_, err = c.GetGroup(context.Background(), someGroup, nil)
		assert.ErrorContains(t, err, fmt.Sprintf("the response is %q, not JSON", contentType))
	}
}

func TestEnvelopeIsUnwrapped(t *testing.T) {
	c, stub, _ := newStubClient(t, bootstrapServiceAccount)
	ctx := context.Background()
	group, err := c.GetGroup(ctx, stub.Credentials.ProjectId, &atlasapi.GetGroupParams{Envelope: ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, "Project0", group.Name)
	groups, err := c.ListGroups(ctx, &atlasapi.ListGroupsParams{Envelope: ptr(true)})
	require.NoError(t, err)
	assert.Len(t, *groups.Results, 1, "a list keeps its shape")
}
