package compat

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

// TestAtlasDocumentationCurlRecipes runs the curl forms of Atlas's own documentation: the
// x-codeSamples of the official specification, the token requests of "Generate Service Account
// Token" and of the API reference's introduction, and the v1.0 certificate pages. Each recipe is
// written as documented, with https://cloud.mongodb.com replaced by ${BASE} and the {...}
// placeholders by shell variables.
func TestAtlasDocumentationCurlRecipes(t *testing.T) {
	t.Parallel()
	stub := stubtest.New(t)
	creds := stub.Credentials
	shell := newRecipeShell(t, map[string]string{
		"BASE":          stub.URL,
		"PUBLIC_KEY":    creds.ApiKey.PublicKey,
		"PRIVATE_KEY":   creds.ApiKey.PrivateKey,
		"CLIENT_ID":     creds.ServiceAccount.ClientId,
		"CLIENT_SECRET": creds.ServiceAccount.ClientSecret,
		"ORG_ID":        creds.OrgId,
		"GROUP_ID":      creds.ProjectId,
		"UNKNOWN_ID":    unknownID,
	})

	t.Run("tokens", func(t *testing.T) {
		recipes := map[string]string{
			"curl -u with a form (the README)": `curl -s -u "${CLIENT_ID}:${CLIENT_SECRET}" -d grant_type=client_credentials "${BASE}/api/oauth/token"`,
			"curl -u with the documented Content-Type": `curl -s -u "${CLIENT_ID}:${CLIENT_SECRET}" \
  --header "Content-Type: application/x-www-form-urlencoded" \
  -d grant_type=client_credentials "${BASE}/api/oauth/token"`,
			"Generate Service Account Token": `BASE64_AUTH=$(printf '%s' "${CLIENT_ID}:${CLIENT_SECRET}" | base64 | tr -d '\n')
curl -s --request POST \
  --url ${BASE}/api/oauth/token \
  --header 'accept: application/json' \
  --header 'cache-control: no-cache' \
  --header "authorization: Basic ${BASE64_AUTH}" \
  --header 'content-type: application/x-www-form-urlencoded' \
  --data 'grant_type=client_credentials'`,
		}
		for name, recipe := range recipes {
			var token struct {
				AccessToken string `json:"access_token"`
				ExpiresIn   int    `json:"expires_in"`
				TokenType   string `json:"token_type"`
			}
			decodeJSON(t, shell.run(recipe), &token)
			assert.NotEmpty(t, token.AccessToken, name)
			assert.Equal(t, 3600, token.ExpiresIn, name)
			assert.Equal(t, "Bearer", token.TokenType, name)
		}

		// The API reference's introduction: a token, then the organizations with it.
		out := shell.run(`ACCESS_TOKEN=$(curl -fsS --request POST ${BASE}/api/oauth/token \
  --header "Authorization: Basic $(printf '%s' "${CLIENT_ID}:${CLIENT_SECRET}" | base64 | tr -d '\n')" \
  --header "Content-Type: application/x-www-form-urlencoded" \
  --header "Accept: application/json" \
  --data "grant_type=client_credentials" | jq -r '.access_token')
curl --header "Authorization: Bearer ${ACCESS_TOKEN}" \
  --header "Accept: application/vnd.atlas.2025-03-12+json" \
  -X GET "${BASE}/api/atlas/v2/orgs?pretty=true"`)
		var orgs struct{ Results []struct{ ID string } }
		decodeJSON(t, out, &orgs)
		require.Len(t, orgs.Results, 1)
		assert.Equal(t, creds.OrgId, orgs.Results[0].ID)
	})

	t.Run("Digest", func(t *testing.T) {
		// The specification's introduction, for a project.
		out := shell.run(`curl --user "${PUBLIC_KEY}:${PRIVATE_KEY}" \
  --digest \
  --header "Accept: application/vnd.atlas.2025-03-12+json" \
  -X GET "${BASE}/api/atlas/v2/groups/${GROUP_ID}?pretty=true"`)
		var project struct{ ID, Name string }
		decodeJSON(t, out, &project)
		assert.Equal(t, creds.ProjectId, project.ID)

		// The "curl (Digest)" code sample of createGroupDatabaseUser.
		res, body := lastResponse(t, shell.run(`curl --user "${PUBLIC_KEY}:${PRIVATE_KEY}" \
  --digest --include \
  --header "Accept: application/vnd.atlas.2025-03-12+json" \
  --header "Content-Type: application/json" \
  -X POST "${BASE}/api/atlas/v2/groups/${GROUP_ID}/databaseUsers" \
  -d '{ "groupId": "'"${GROUP_ID}"'", "databaseName": "$external", "username": "docs-x509", "x509Type": "MANAGED" }'`))
		require.Equal(t, http.StatusCreated, res.StatusCode, "%s", body)
		assert.Equal(t, "application/vnd.atlas.2023-01-01+json;charset=utf-8", res.Header.Get("Content-Type"))

		// A path with $external in it, escaped for the shell only.
		var user struct{ Username, X509Type string }
		decodeJSON(t, shell.run(`curl --user "${PUBLIC_KEY}:${PRIVATE_KEY}" --digest \
  --header "Accept: application/vnd.atlas.2025-03-12+json" \
  "${BASE}/api/atlas/v2/groups/${GROUP_ID}/databaseUsers/\$external/docs-x509"`), &user)
		assert.Equal(t, "MANAGED", user.X509Type)

		// An error: Atlas's ApiError as application/json, and 406 without a version.
		res, body = lastResponse(t, shell.run(`curl --user "${PUBLIC_KEY}:${PRIVATE_KEY}" --digest --include \
  --header "Accept: application/vnd.atlas.2025-03-12+json" \
  "${BASE}/api/atlas/v2/groups/${UNKNOWN_ID}"`))
		requireCurlError(t, res, body, http.StatusNotFound, "GROUP_NOT_FOUND")
		res, body = lastResponse(t, shell.run(`curl --user "${PUBLIC_KEY}:${PRIVATE_KEY}" --digest --include "${BASE}/api/atlas/v2/groups"`))
		requireCurlError(t, res, body, http.StatusNotAcceptable, "INVALID_VERSION_DATE")
	})

	t.Run("certificates", func(t *testing.T) {
		ca := projectCA(t, stub, creds.ProjectId)
		// A user of this subtest's own, so that it runs alone too (go test -run .../certificates).
		res, body := lastResponse(t, shell.run(`curl --user "${PUBLIC_KEY}:${PRIVATE_KEY}" --digest --include \
  --header "Accept: application/vnd.atlas.2023-01-01+json" --header "Content-Type: application/json" \
  -X POST "${BASE}/api/atlas/v2/groups/${GROUP_ID}/databaseUsers" \
  -d '{ "groupId": "'"${GROUP_ID}"'", "databaseName": "$external", "username": "docs-certs", "x509Type": "MANAGED" }'`))
		require.Equal(t, http.StatusCreated, res.StatusCode, "%s", body)

		// The "curl (Service Accounts)" code sample of createGroupDatabaseUserCert.
		res, body = lastResponse(t, shell.run(`ACCESS_TOKEN=$(curl -s -u "${CLIENT_ID}:${CLIENT_SECRET}" -d grant_type=client_credentials "${BASE}/api/oauth/token" | jq -r .access_token)
curl --include --header "Authorization: Bearer ${ACCESS_TOKEN}" \
  --header "Accept: application/vnd.atlas.2025-03-12+json" \
  --header "Content-Type: application/json" \
  -X POST "${BASE}/api/atlas/v2/groups/${GROUP_ID}/databaseUsers/docs-certs/certs" \
  -d '{ "monthsUntilExpiration": 3 }'`))
		require.Equal(t, http.StatusCreated, res.StatusCode, "%s", body)
		assert.Equal(t, "application/vnd.atlas.2023-01-01+json;charset=utf-8", res.Header.Get("Content-Type"))
		requireIssuedCertificate(t, string(body), ca, "docs-certs")

		// The v1.0 pages: create with Digest and no Accept header, then list.
		pem := shell.run(`curl --user "${PUBLIC_KEY}:${PRIVATE_KEY}" --digest \
  --header "Content-Type: application/json" \
  --request POST "${BASE}/api/atlas/v1.0/groups/${GROUP_ID}/databaseUsers/docs-certs/certs?pretty=true" \
  --data '{ "monthsUntilExpiration": 3 }'`)
		requireIssuedCertificate(t, string(pem), ca, "docs-certs")
		res, body = lastResponse(t, shell.run(`curl -X GET -u "${PUBLIC_KEY}:${PRIVATE_KEY}" --digest -i "${BASE}/api/atlas/v1.0/groups/${GROUP_ID}/databaseUsers/docs-certs/certs"`))
		require.Equal(t, http.StatusOK, res.StatusCode, "%s", body)
		var certs struct{ TotalCount int }
		decodeJSON(t, body, &certs)
		assert.Equal(t, 2, certs.TotalCount)
	})
}

// requireCurlError requires an Atlas error as curl received it.
func requireCurlError(t *testing.T, res *http.Response, body []byte, status int, errorCode string) {
	t.Helper()
	require.Equal(t, status, res.StatusCode, "%s", body)
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
	var apiErr struct {
		Error     int
		ErrorCode string
		Detail    string
		Reason    string
	}
	decodeJSON(t, body, &apiErr)
	assert.Equal(t, status, apiErr.Error)
	assert.Equal(t, errorCode, apiErr.ErrorCode)
	assert.Equal(t, http.StatusText(status), apiErr.Reason)
	assert.NotEmpty(t, apiErr.Detail)
}
