package suite_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract/suite"
	"github.com/atlasstub/atlasstub/gen/stubapi"
	"github.com/atlasstub/atlasstub/server"
)

// kitCredentials are a stub's bootstrap credentials as the kit takes them: the stub's credentials
// document, read as the kit's.
func kitCredentials(t *testing.T, b server.Bootstrap) suite.Credentials {
	t.Helper()
	document, err := json.Marshal(b)
	require.NoError(t, err)
	var creds suite.Credentials
	require.NoError(t, json.Unmarshal(document, &creds))
	return creds
}

// TestAStubsCredentialsFileIsTheKits: every field of the stub's credentials document is a field of
// the kit's, and the kit's document reads back as the stub's, so that the file `atlasstub serve
// --credentials-out` writes is what `atlasstub contract --credentials` reads.
func TestAStubsCredentialsFileIsTheKits(t *testing.T) {
	stub := server.Bootstrap{
		BaseUrl: "http://127.0.0.1:8080", OrgId: "org", ProjectId: "project",
		ApiKey:         stubapi.APIKeyCredentials{Id: "key", PublicKey: "public", PrivateKey: "private"},
		ServiceAccount: stubapi.ServiceAccountCredentials{ClientId: "client", ClientSecret: "secret"},
	}
	creds := kitCredentials(t, stub)
	assert.Equal(t, suite.Credentials{
		BaseURL: "http://127.0.0.1:8080", OrgID: "org", ProjectID: "project",
		APIKey:         suite.APIKeyCredentials{ID: "key", PublicKey: "public", PrivateKey: "private"},
		ServiceAccount: suite.ServiceAccountCredentials{ClientID: "client", ClientSecret: "secret"},
	}, creds)

	document, err := json.Marshal(creds)
	require.NoError(t, err)
	var back server.Bootstrap
	require.NoError(t, json.Unmarshal(document, &back))
	assert.Equal(t, stub, back)
}
