package compat

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/atlas-sdk/v20250312013/admin"
)

func databaseUsersThroughSDK(t *testing.T, s *sdkSession) {
	ctx, users := t.Context(), s.client.DatabaseUsersApi

	// NewCloudDatabaseUser presets every authentication type to NONE: a SCRAM user.
	user := admin.NewCloudDatabaseUser("admin", s.projectID, "sdk-app")
	user.SetPassword("correct-horse-battery-staple")
	user.SetRoles([]admin.DatabaseUserRole{*admin.NewDatabaseUserRole("app", "readWrite")})
	created, res, err := users.CreateDatabaseUser(ctx, s.projectID, user).Execute()
	s.log.ok(t, "createGroupDatabaseUser", res, err)
	assert.Equal(t, "sdk-app", created.GetUsername())
	assert.Equal(t, s.projectID, created.GetGroupId())
	assert.Empty(t, created.GetPassword(), "passwords are never returned")

	_, res, err = users.CreateDatabaseUser(ctx, s.projectID, user).Execute()
	s.log.fails(t, "createGroupDatabaseUser", res, err, http.StatusConflict, "USER_ALREADY_EXISTS")

	got, res, err := users.GetDatabaseUser(ctx, s.projectID, "admin", "sdk-app").Execute()
	s.log.ok(t, "getGroupDatabaseUser", res, err)
	assert.Equal(t, created.GetRoles(), got.GetRoles())

	page, res, err := users.ListDatabaseUsers(ctx, s.projectID).Execute()
	s.log.ok(t, "listGroupDatabaseUsers", res, err)
	assert.Contains(t, usernames(page.GetResults()), "sdk-app")

	// A read-modify-write: the fetched user, links and all, goes back with one change.
	got.SetDescription("reporting service")
	updated, res, err := users.UpdateDatabaseUser(ctx, s.projectID, "admin", "sdk-app", got).Execute()
	s.log.ok(t, "updateGroupDatabaseUser", res, err)
	assert.Equal(t, "reporting service", updated.GetDescription())
	assert.Equal(t, created.GetRoles(), updated.GetRoles())

	res, err = users.DeleteDatabaseUser(ctx, s.projectID, "admin", "sdk-app").Execute()
	s.log.ok(t, "deleteGroupDatabaseUser", res, err)
	_, res, err = users.GetDatabaseUser(ctx, s.projectID, "admin", "sdk-app").Execute()
	s.log.fails(t, "getGroupDatabaseUser", res, err, http.StatusNotFound, "USERNAME_NOT_FOUND")

	t.Run("a distinguished name travels escaped", func(t *testing.T) {
		customer := admin.NewCloudDatabaseUser("$external", s.projectID, "CN=sdk-customer,OU=eng")
		customer.SetX509Type("CUSTOMER")
		customer.SetRoles([]admin.DatabaseUserRole{*admin.NewDatabaseUserRole("admin", "readAnyDatabase")})
		_, res, err := users.CreateDatabaseUser(ctx, s.projectID, customer).Execute()
		s.log.ok(t, "createGroupDatabaseUser", res, err)
		got, res, err := users.GetDatabaseUser(ctx, s.projectID, "$external", "CN=sdk-customer,OU=eng").Execute()
		s.log.ok(t, "getGroupDatabaseUser", res, err)
		assert.Equal(t, "CUSTOMER", got.GetX509Type())
		assert.Contains(t, res.Request.URL.EscapedPath(), "/$external/CN=sdk-customer%2COU=eng")
		res, err = users.DeleteDatabaseUser(ctx, s.projectID, "$external", "CN=sdk-customer,OU=eng").Execute()
		s.log.ok(t, "deleteGroupDatabaseUser", res, err)
	})

	t.Run("a temporary user", func(t *testing.T) {
		temporary := admin.NewCloudDatabaseUser("admin", s.projectID, "sdk-temporary")
		temporary.SetPassword("correct-horse-battery-staple")
		temporary.SetDeleteAfterDate(time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second))
		created, res, err := users.CreateDatabaseUser(ctx, s.projectID, temporary).Execute()
		s.log.ok(t, "createGroupDatabaseUser", res, err)
		require.True(t, created.HasDeleteAfterDate())
		assert.True(t, temporary.GetDeleteAfterDate().Equal(created.GetDeleteAfterDate()))
	})
}

func usernames(users []admin.CloudDatabaseUser) []string {
	names := make([]string, 0, len(users))
	for _, u := range users {
		names = append(names, u.GetUsername())
	}
	return names
}
