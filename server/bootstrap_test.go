package server_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/gen/stubapi"
	"github.com/atlasstub/atlasstub/server"
)

// TestASeedIsCheckedAgainstTheCredentialsSchema: a seed's fields follow the formats of the
// control API's Credentials schema, the one place they are written; a field that breaks its
// format is named, and the stub does not start.
func TestASeedIsCheckedAgainstTheCredentialsSchema(t *testing.T) {
	for field, seed := range map[string]server.Bootstrap{
		"orgId":                       {OrgId: "not-an-object-id"},
		"apiKey.publicKey":            {ApiKey: stubapi.APIKeyCredentials{PublicKey: "ABCDEFGH"}},
		"serviceAccount.clientSecret": {ServiceAccount: stubapi.ServiceAccountCredentials{ClientSecret: "mdb_sa_sk_!"}},
	} {
		_, err := server.New(server.Config{Bootstrap: seed})
		require.Error(t, err, field)
		assert.Contains(t, err.Error(), "seed: "+field+" ", field)
	}

	valid := server.Bootstrap{OrgId: "aaaaaaaaaaaaaaaaaaaaaaaa"}
	valid.ServiceAccount.ClientSecret = "mdb_sa_sk_short" // the schema asks for no length
	s, err := server.New(server.Config{Bootstrap: valid})
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, valid.OrgId, s.Bootstrap().OrgId)
	assert.Equal(t, valid.ServiceAccount.ClientSecret, s.Bootstrap().ServiceAccount.ClientSecret)
}
