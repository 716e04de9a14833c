package compat

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/atlas-sdk/v20250312013/admin"
)

func certificatesThroughSDK(t *testing.T, s *sdkSession) {
	ctx, x509api := t.Context(), s.client.X509AuthenticationApi

	managed := admin.NewCloudDatabaseUser("$external", s.projectID, "sdk-x509")
	managed.SetX509Type("MANAGED")
	managed.SetRoles([]admin.DatabaseUserRole{*admin.NewDatabaseUserRole("app", "read")})
	_, res, err := s.client.DatabaseUsersApi.CreateDatabaseUser(ctx, s.projectID, managed).Execute()
	s.log.ok(t, "createGroupDatabaseUser", res, err)

	// NewUserCert presets monthsUntilExpiration to 3; the SDK reads the PEM text raw.
	pemText, res, err := x509api.CreateDatabaseUserCert(ctx, s.projectID, "sdk-x509", admin.NewUserCert()).Execute()
	s.log.ok(t, "createGroupDatabaseUserCert", res, err)
	assert.Equal(t, http.StatusCreated, res.StatusCode)
	serial := requireIssuedCertificate(t, pemText, projectCA(t, s.stub, s.projectID), "sdk-x509")

	page, res, err := x509api.ListDatabaseUserCerts(ctx, s.projectID, "sdk-x509").Execute()
	s.log.ok(t, "listGroupDatabaseUserCerts", res, err)
	require.Len(t, page.GetResults(), 1)
	listed := page.GetResults()[0]
	assert.Equal(t, serial.Int64(), listed.GetId(), "_id is the certificate's serial")
	assert.Equal(t, "CN=sdk-x509", listed.GetSubject())
	assert.Equal(t, s.projectID, listed.GetGroupId())
	assert.Equal(t, listed.GetCreatedAt().AddDate(0, 3, 0), listed.GetNotAfter())
	assert.Equal(t, 1, page.GetTotalCount())

	tooLong := admin.NewUserCert()
	tooLong.SetMonthsUntilExpiration(25)
	_, res, err = x509api.CreateDatabaseUserCert(ctx, s.projectID, "sdk-x509", tooLong).Execute()
	s.log.fails(t, "createGroupDatabaseUserCert", res, err, http.StatusBadRequest, "CERT_EXPIRY_CANNOT_EXCEED_TWO_YEARS")

	scram := admin.NewCloudDatabaseUser("admin", s.projectID, "sdk-x509-scram")
	scram.SetPassword("correct-horse-battery-staple")
	_, res, err = s.client.DatabaseUsersApi.CreateDatabaseUser(ctx, s.projectID, scram).Execute()
	s.log.ok(t, "createGroupDatabaseUser", res, err)
	_, res, err = x509api.CreateDatabaseUserCert(ctx, s.projectID, "sdk-x509-scram", admin.NewUserCert()).Execute()
	s.log.fails(t, "createGroupDatabaseUserCert", res, err, http.StatusBadRequest, "USER_NOT_MANAGED_X509")

	_, res, err = x509api.ListDatabaseUserCerts(ctx, s.projectID, "nobody").Execute()
	s.log.fails(t, "listGroupDatabaseUserCerts", res, err, http.StatusNotFound, "USERNAME_NOT_FOUND")
}

func userSecurityThroughSDK(t *testing.T, s *sdkSession) {
	ctx, ldap := t.Context(), s.client.LDAPConfigurationApi

	current, res, err := ldap.GetUserSecurity(ctx, s.projectID).Execute()
	s.log.ok(t, "getGroupUserSecurity", res, err)
	assert.Empty(t, customerCAs(current))

	// Any CA will do for self-managed X.509; the project's own is at hand.
	caPEM := string(projectCA(t, s.stub, s.projectID))
	change := admin.NewUserSecurity()
	change.SetCustomerX509(admin.DBUserTLSX509Settings{Cas: &caPEM})
	updated, res, err := ldap.UpdateUserSecurity(ctx, s.projectID, change).Execute()
	s.log.ok(t, "updateGroupUserSecurity", res, err)
	assert.Equal(t, http.StatusAccepted, res.StatusCode)
	assert.Equal(t, caPEM, customerCAs(updated))

	disabled, res, err := s.client.X509AuthenticationApi.DisableSecurityCustomerX509(ctx, s.projectID).Execute()
	s.log.ok(t, "disableGroupUserSecurityCustomerX509", res, err)
	assert.Empty(t, customerCAs(disabled))

	notPEM := "not a certificate"
	change.SetCustomerX509(admin.DBUserTLSX509Settings{Cas: &notPEM})
	_, res, err = ldap.UpdateUserSecurity(ctx, s.projectID, change).Execute()
	s.log.fails(t, "updateGroupUserSecurity", res, err, http.StatusBadRequest, "INVALID_ATTRIBUTE")
}

// customerCAs returns the self-managed X.509 CAs of user security settings.
func customerCAs(settings *admin.UserSecurity) string {
	customer := settings.GetCustomerX509()
	return customer.GetCas()
}
