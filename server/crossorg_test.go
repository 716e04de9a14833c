package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/client/oauthtoken"
	"github.com/atlasstub/atlasstub/server/store"
	"github.com/atlasstub/atlasstub/server/x509ca"
)

// TestCredentialsStayInTheirOrganization checks that a credential sees and reaches nothing of
// another organization. The API has no way to create a second organization, so the test puts
// one in the store.
func TestCredentialsStayInTheirOrganization(t *testing.T) {
	s, err := New(Config{Strict: true, KeyType: x509ca.ECDSAP256, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		OnContractViolation: func(err error) { t.Errorf("contract violation: %v", err) }})
	require.NoError(t, err)
	defer s.Close()
	ts := httptest.NewServer(s)
	defer ts.Close()
	var other store.Project
	require.NoError(t, s.store.Update(func(tx *store.Tx) error {
		org, err := tx.CreateOrg("", "other")
		if err != nil {
			return err
		}
		other, err = tx.CreateProject(store.Project{OrgID: org.ID, Name: "Project0"})
		return err
	}))
	sa := s.Bootstrap().ServiceAccount
	token, err := oauthtoken.Mint(t.Context(), http.DefaultClient, ts.URL, sa.ClientId, sa.ClientSecret)
	require.NoError(t, err)
	get := func(path string) (int, string) {
		req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Accept", "application/vnd.atlas.2025-02-19+json")
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res.StatusCode, string(body)
	}

	status, body := get("/api/atlas/v2/orgs/" + other.OrgID)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Contains(t, body, `"errorCode":"USER_CANNOT_ACCESS_ORG"`)
	status, body = get("/api/atlas/v2/groups/" + other.ID)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Contains(t, body, `"errorCode":"USER_CANNOT_ACCESS_GROUP"`)

	_, body = get("/api/atlas/v2/orgs")
	assert.Contains(t, body, s.Bootstrap().OrgId)
	assert.NotContains(t, body, other.OrgID)
	_, body = get("/api/atlas/v2/groups")
	assert.Contains(t, body, s.Bootstrap().ProjectId)
	assert.NotContains(t, body, other.ID)
	_, body = get("/api/atlas/v2/groups/byName/Project0")
	assert.Contains(t, body, s.Bootstrap().ProjectId, "of two projects with one name, the caller's")
}
