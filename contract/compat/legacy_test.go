package compat

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/mongodb-forks/digest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/atlas/mongodbatlas"

	"github.com/atlasstub/atlasstub/server/stubtest"
	"github.com/atlasstub/atlasstub/server/x509ca"
)

// TestLegacyClient drives the v1.0 paths with the legacy Atlas Go client, configured as its
// documentation says: an HTTP Digest client and a base URL that ends with a slash.
func TestLegacyClient(t *testing.T) {
	t.Parallel()
	stub := stubtest.New(t, stubtest.WithKeyType(x509ca.RSA2048)) // RSA keys, as Atlas issues
	key := stub.Credentials.ApiKey
	client, err := mongodbatlas.New(&http.Client{Transport: digest.NewTransport(key.PublicKey, key.PrivateKey)},
		mongodbatlas.SetBaseURL(stub.URL+"/"))
	require.NoError(t, err)
	ctx, groupID := t.Context(), stub.Credentials.ProjectId

	t.Run("database users", func(t *testing.T) {
		// The client sends "scopes": null whatever the user says.
		created, res, err := client.DatabaseUsers.Create(ctx, groupID, &mongodbatlas.DatabaseUser{
			Username: "legacy-app", DatabaseName: "admin", GroupID: groupID, Password: "correct-horse-battery-staple",
			Roles: []mongodbatlas.Role{{RoleName: "readWrite", DatabaseName: "app"}},
		})
		require.NoError(t, err)
		assert.Equal(t, "/api/atlas/v1.0/groups/"+groupID+"/databaseUsers", res.Request.URL.Path)
		assert.Equal(t, http.StatusCreated, res.StatusCode)
		assert.Equal(t, "legacy-app", created.Username)
		assert.Empty(t, created.Password)

		got, _, err := client.DatabaseUsers.Get(ctx, "admin", groupID, "legacy-app")
		require.NoError(t, err)
		assert.Equal(t, created.Roles, got.Roles)

		_, _, err = client.DatabaseUsers.Create(ctx, groupID, &mongodbatlas.DatabaseUser{
			Username: "legacy-app", DatabaseName: "admin", GroupID: groupID, Password: "correct-horse-battery-staple",
		})
		requireLegacyError(t, err, http.StatusConflict, "USER_ALREADY_EXISTS")
	})

	t.Run("X.509 certificates", func(t *testing.T) {
		_, _, err := client.DatabaseUsers.Create(ctx, groupID, &mongodbatlas.DatabaseUser{
			Username: "legacy-x509", DatabaseName: "$external", GroupID: groupID, X509Type: "MANAGED",
			Roles: []mongodbatlas.Role{{RoleName: "read", DatabaseName: "app"}},
		})
		require.NoError(t, err)

		cert, res, err := client.X509AuthDBUsers.CreateUserCertificate(ctx, groupID, "legacy-x509", 3)
		require.NoError(t, err)
		assert.Equal(t, "/api/atlas/v1.0/groups/"+groupID+"/databaseUsers/legacy-x509/certs", res.Request.URL.Path)
		serial := requireIssuedCertificate(t, cert.Certificate, projectCA(t, stub, groupID), "legacy-x509")

		listed, res, err := client.X509AuthDBUsers.GetUserCertificates(ctx, groupID, "legacy-x509",
			&mongodbatlas.ListOptions{PageNum: 1, ItemsPerPage: 100, IncludeCount: true})
		require.NoError(t, err)
		require.Len(t, listed, 1)
		require.NotNil(t, listed[0].ID)
		assert.Equal(t, serial.Int64(), *listed[0].ID, "_id is the certificate's serial")
		assert.Equal(t, "CN=legacy-x509", listed[0].Subject)
		assert.Equal(t, groupID, listed[0].GroupID)
		createdAt, err := time.Parse(time.RFC3339, listed[0].CreatedAt)
		require.NoError(t, err)
		notAfter, err := time.Parse(time.RFC3339, listed[0].NotAfter)
		require.NoError(t, err)
		assert.Equal(t, createdAt.AddDate(0, 3, 0), notAfter)
		require.NotEmpty(t, res.Links)
		assert.Equal(t, "self", res.Links[0].Rel)

		_, _, err = client.X509AuthDBUsers.CreateUserCertificate(ctx, groupID, "legacy-x509", 25)
		requireLegacyError(t, err, http.StatusBadRequest, "CERT_EXPIRY_CANNOT_EXCEED_TWO_YEARS")
		_, _, err = client.DatabaseUsers.Create(ctx, groupID, &mongodbatlas.DatabaseUser{
			Username: "legacy-scram", DatabaseName: "admin", GroupID: groupID, Password: "correct-horse-battery-staple",
		})
		require.NoError(t, err)
		_, _, err = client.X509AuthDBUsers.CreateUserCertificate(ctx, groupID, "legacy-scram", 3)
		requireLegacyError(t, err, http.StatusBadRequest, "USER_NOT_MANAGED_X509")
		_, _, err = client.X509AuthDBUsers.GetUserCertificates(ctx, groupID, "nobody", nil)
		requireLegacyError(t, err, http.StatusNotFound, "USERNAME_NOT_FOUND")
	})

	t.Run("user security", func(t *testing.T) {
		current, _, err := client.X509AuthDBUsers.GetCurrentX509Conf(ctx, groupID)
		require.NoError(t, err)
		assert.Empty(t, current.Cas)

		caPEM := string(projectCA(t, stub, groupID))
		saved, res, err := client.X509AuthDBUsers.SaveConfiguration(ctx, groupID, &mongodbatlas.CustomerX509{Cas: caPEM})
		require.NoError(t, err)
		assert.Equal(t, "/api/atlas/v1.0/groups/"+groupID+"/userSecurity", res.Request.URL.Path)
		assert.Equal(t, caPEM, saved.Cas)

		res, err = client.X509AuthDBUsers.DisableCustomerX509(ctx, groupID)
		require.NoError(t, err)
		assert.Equal(t, "/api/atlas/v1.0/groups/"+groupID+"/userSecurity/customerX509", res.Request.URL.Path)
		current, _, err = client.X509AuthDBUsers.GetCurrentX509Conf(ctx, groupID)
		require.NoError(t, err)
		assert.Empty(t, current.Cas)

		_, _, err = client.X509AuthDBUsers.SaveConfiguration(ctx, groupID, &mongodbatlas.CustomerX509{Cas: "not a certificate"})
		requireLegacyError(t, err, http.StatusBadRequest, "INVALID_ATTRIBUTE")
	})

	t.Run("the caller's address", func(t *testing.T) {
		info, res, err := client.IPInfo.Get(ctx)
		require.NoError(t, err)
		assert.Equal(t, "/api/private/ipinfo", res.Request.URL.Path)
		assert.Equal(t, "127.0.0.1", info.CurrentIPv4Address)
	})
}

// requireLegacyError requires an Atlas error as the legacy client reads it: a JSON body with
// errorCode, error, reason and detail.
func requireLegacyError(t *testing.T, err error, status int, errorCode string) {
	t.Helper()
	var apiErr *mongodbatlas.ErrorResponse
	require.True(t, errors.As(err, &apiErr), "not an Atlas error: %v", err)
	assert.Equal(t, errorCode, apiErr.ErrorCode)
	assert.Equal(t, status, apiErr.HTTPCode)
	assert.Equal(t, http.StatusText(status), apiErr.Reason)
	assert.NotEmpty(t, apiErr.Detail)
}
