package suite_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract/suite"
)

// TestReproduceCommandsNameTheCredentialsUsed serves the stub with defects that make requests of
// every kind of credentials fail, and reads the curl command of each failure: it names the
// credentials the request carried, and shows no secret.
func TestReproduceCommandsNameTheCredentialsUsed(t *testing.T) {
	creds := brokenServer(t, defect{
		intercept: func(r *http.Request) (int, http.Header, []byte, bool) {
			switch {
			case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/settings"):
				// Served to anyone: no credentials, wrong ones, or a credential kept out by its access list.
				return http.StatusOK, http.Header{"Content-Type": {"application/vnd.atlas.2023-01-01+json"}}, []byte(`{"apiAccessListRequired":false}`), true
			case r.URL.Path == "/api/oauth/token" && strings.HasPrefix(r.Header.Get("Authorization"), "Basic ") && bytes.Contains(basicPassword(r), []byte("not-the-secret")):
				return http.StatusOK, http.Header{"Content-Type": {"application/json"}}, []byte(`{"access_token":"x","expires_in":3600,"token_type":"Bearer"}`), true
			}
			return 0, nil, nil, false
		},
		rewrite: func(r *http.Request, status int, h http.Header, body []byte) (int, http.Header, []byte) {
			// An access list that leaves the caller out is ignored on the scenario's key.
			if status == http.StatusForbidden && bytes.Contains(body, []byte("IP_ADDRESS_NOT_ON_ACCESS_LIST")) && strings.HasPrefix(r.Header.Get("Authorization"), "Digest ") {
				return http.StatusNoContent, http.Header{}, nil
			}
			return status, h, body
		},
	})
	report, err := suite.Run(context.Background(), suite.Config{
		Credentials: creds, Seed: 1, Operations: []string{"getOrgSettings", "createOAuthToken"},
		Checks: []string{"ignored_auth", "access_list_enforcement", "scenario_api_key_access_list"},
	})
	require.NoError(t, err)
	curls := map[string][]string{}
	for _, res := range report.Results {
		for _, f := range res.Failures {
			curls[res.Check+" "+res.Operation] = append(curls[res.Check+" "+res.Operation], f.Curl)
		}
	}
	for _, s := range report.Scenarios {
		for _, step := range s.Steps {
			if !step.Passed {
				curls[s.Name] = append(curls[s.Name], step.Curl)
			}
		}
	}

	ignored := strings.Join(curls["ignored_auth getOrgSettings"], "\n")
	require.Len(t, curls["ignored_auth getOrgSettings"], 3, ignored)
	assert.Contains(t, ignored, `-H 'Authorization: Bearer eyJhbGciOiJFUzUxMiJ9.eyJzdWIiOiJub2JvZHkifQ.c2lnbmF0dXJl'`, "the token it never minted, as it is")
	assert.Contains(t, ignored, `-H 'Authorization: Digest username="`+creds.APIKey.PublicKey+`", realm="MMS Public API"`, "the wrong Digest answer, as it is")
	assert.NotContains(t, ignored, "$ATLAS_", "no variable stands for the real credentials")
	var bare int
	for _, curl := range curls["ignored_auth getOrgSettings"] {
		if !strings.Contains(curl, "Authorization") && !strings.Contains(curl, " -u ") {
			bare++
		}
	}
	assert.Equal(t, 1, bare, "the request without credentials shows none")

	require.Len(t, curls["ignored_auth createOAuthToken"], 1)
	assert.Contains(t, curls["ignored_auth createOAuthToken"][0], `-H 'Authorization: Basic `, "the wrong client secret, as it is")
	assert.NotContains(t, curls["ignored_auth createOAuthToken"][0], "$ATLAS_CLIENT_SECRET")

	require.Len(t, curls["access_list_enforcement getOrgSettings"], 1)
	assert.Regexp(t, `-H 'Authorization: Bearer <a token of mdb_sa_id_[0-9a-f]{24}, a service account the kit made>'`, curls["access_list_enforcement getOrgSettings"][0])

	require.Len(t, curls["scenario_api_key_access_list"], 1)
	assert.Regexp(t, `--digest -u '[a-z]{8}:<the private key of this API key, which the kit made>'$`, curls["scenario_api_key_access_list"][0])
	assert.NotContains(t, curls["scenario_api_key_access_list"][0], "$ATLAS_PUBLIC_KEY", "the scenario's key is not the credentials file's")

	for _, v := range report.Violations {
		curls["violation"] = append(curls["violation"], v.Curl)
	}
	for what, list := range curls {
		for _, curl := range list {
			assert.NotContains(t, curl, creds.APIKey.PrivateKey, what)
			assert.NotContains(t, curl, creds.ServiceAccount.ClientSecret, what)
		}
	}
}

// basicPassword is the password of a request's HTTP Basic credentials.
func basicPassword(r *http.Request) []byte {
	_, password, _ := r.BasicAuth()
	return []byte(password)
}
