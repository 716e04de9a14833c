package server_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

func TestUserSecurityAndCustomerCA(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	path := "/api/atlas/v2/groups/" + stub.Credentials.ProjectId + "/userSecurity"
	// Any PEM certificate serves as a customer CA; the project's own CA is at hand.
	customerCA := string(a.get("/_stub/groups/" + stub.Credentials.ProjectId + "/ca").body)

	initial := a.get(path).object(t)
	assert.NotContains(t, initial, "customerX509")
	assert.Equal(t, false, initial["ldap"].(map[string]any)["authenticationEnabled"])

	set := a.patch(path, map[string]any{"customerX509": map[string]any{"cas": customerCA}})
	requireStatus(t, http.StatusAccepted, set)
	assert.Equal(t, customerCA, set.object(t)["customerX509"].(map[string]any)["cas"])
	assert.Equal(t, customerCA, a.get(path).object(t)["customerX509"].(map[string]any)["cas"])

	ldap := a.patch(path, map[string]any{"ldap": map[string]any{"authenticationEnabled": true, "hostname": "ldap.example.com", "bindPassword": "secret"}})
	requireStatus(t, http.StatusAccepted, ldap)
	settings := ldap.object(t)
	assert.Equal(t, "ldap.example.com", settings["ldap"].(map[string]any)["hostname"])
	assert.NotContains(t, settings["ldap"], "bindPassword", "the bind password is write-only")
	assert.Equal(t, customerCA, settings["customerX509"].(map[string]any)["cas"], "a PATCH keeps what it does not name")

	disabled := a.delete(path + "/customerX509")
	requireStatus(t, http.StatusAccepted, disabled)
	assert.NotContains(t, disabled.object(t), "customerX509")
	assert.NotContains(t, a.get(path).object(t), "customerX509")
	requireAPIError(t, http.StatusNotFound, "GROUP_NOT_FOUND", a.get("/api/atlas/v2/groups/"+unknownID+"/userSecurity"))

	legacy := newAPI(t, stub)
	legacy.accept = "application/json"
	v1 := "/api/atlas/v1.0/groups/" + stub.Credentials.ProjectId + "/userSecurity"
	requireStatus(t, http.StatusOK, legacy.patch(v1, map[string]any{"customerX509": map[string]any{"cas": customerCA}}))
	assert.Equal(t, customerCA, legacy.get(v1).object(t)["customerX509"].(map[string]any)["cas"])
	requireStatus(t, http.StatusOK, legacy.delete(v1+"/customerX509"))
	assert.NotContains(t, a.get(path).object(t), "customerX509", "v1.0 and v2 share the settings")
}

// TestCustomerCAsMustBePEMCertificates sends customer CAs that are not PEM certificates: each is
// a violation of the field customerX509.cas, on the v2 and the legacy path alike.
func TestCustomerCAsMustBePEMCertificates(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	legacy := newAPI(t, stub)
	legacy.accept = "application/json"
	customerCA := string(a.get("/_stub/groups/" + stub.Credentials.ProjectId + "/ca").body)
	for name, bad := range map[string]string{
		"no PEM":             "not a certificate",
		"not a certificate":  "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
		"unparsable":         "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
		"followed by no PEM": customerCA + "trailing junk",
	} {
		t.Run(name, func(t *testing.T) {
			body := map[string]any{"customerX509": map[string]any{"cas": bad}}
			requireFieldViolation(t, "INVALID_ATTRIBUTE", "customerX509.cas", a.patch("/api/atlas/v2/groups/"+stub.Credentials.ProjectId+"/userSecurity", body))
			requireFieldViolation(t, "INVALID_ATTRIBUTE", "customerX509.cas", legacy.patch("/api/atlas/v1.0/groups/"+stub.Credentials.ProjectId+"/userSecurity", body))
		})
	}
	assert.NotContains(t, a.get("/api/atlas/v2/groups/"+stub.Credentials.ProjectId+"/userSecurity").object(t), "customerX509", "refused CAs are not kept")
}
