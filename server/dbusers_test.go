package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

func TestDatabaseUserLifecycle(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	gid := stub.Credentials.ProjectId
	users := "/api/atlas/v2/groups/" + gid + "/databaseUsers"

	scram := map[string]any{
		"groupId": gid, "databaseName": "admin", "username": "app", "password": "correct-horse",
		"roles":  []map[string]any{{"databaseName": "sales", "roleName": "readWrite", "collectionName": "orders"}},
		"labels": []map[string]any{{"key": "team", "value": "payments"}},
		"scopes": []map[string]any{{"name": "Cluster0", "type": "CLUSTER"}},
	}
	created := a.post(users, scram)
	requireStatus(t, http.StatusCreated, created)
	user := created.object(t)
	assert.NotContains(t, user, "password", "the password is write-only")
	assert.Equal(t, gid, user["groupId"])
	assert.Equal(t, "NONE", user["x509Type"])
	assert.Len(t, user["roles"], 1)
	assert.Equal(t, stub.URL+users+"/admin/app", user["links"].([]any)[0].(map[string]any)["href"])

	requireAPIError(t, http.StatusConflict, "USER_ALREADY_EXISTS", a.post(users, scram))
	got := a.get(users + "/admin/app").object(t)
	assert.Equal(t, user, got)
	requireAPIError(t, http.StatusNotFound, "USERNAME_NOT_FOUND", a.get(users+"/$external/app"))
	requireAPIError(t, http.StatusNotFound, "USERNAME_NOT_FOUND", a.get(users+"/admin/nobody"))

	change := map[string]any{"groupId": gid, "databaseName": "admin", "username": "app",
		"roles": []map[string]any{{"databaseName": "admin", "roleName": "readAnyDatabase"}}}
	updated := a.patch(users+"/admin/app", change)
	requireStatus(t, http.StatusOK, updated)
	assert.Equal(t, []any{map[string]any{"databaseName": "admin", "roleName": "readAnyDatabase"}}, updated.object(t)["roles"])
	assert.Len(t, updated.object(t)["labels"], 1, "a PATCH keeps what it does not name")

	for field, tc := range map[string]struct {
		value any
		code  string
	}{
		"username":     {"renamed", "DATABASE_USERNAME_CANNOT_BE_CHANGED"},
		"databaseName": {"$external", "DATABASE_NAME_CANNOT_BE_CHANGED"},
		"x509Type":     {"MANAGED", "AUTH_TYPE_CANNOT_BE_CHANGED"},
	} {
		body := map[string]any{"groupId": gid, "databaseName": "admin", "username": "app"}
		body[field] = tc.value
		requireAPIError(t, http.StatusConflict, tc.code, a.patch(users+"/admin/app", body))
	}

	list := a.get(users).object(t)
	assert.Equal(t, float64(1), list["totalCount"])
	requireStatus(t, http.StatusNoContent, a.delete(users+"/admin/app"))
	requireAPIError(t, http.StatusNotFound, "USERNAME_NOT_FOUND", a.delete(users+"/admin/app"))
	assert.Equal(t, float64(0), a.get(users).object(t)["totalCount"])
}

func TestDatabaseUserRules(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	gid := stub.Credentials.ProjectId
	users := "/api/atlas/v2/groups/" + gid + "/databaseUsers"
	user := func(fields ...any) map[string]any {
		u := map[string]any{"groupId": gid, "databaseName": "$external", "username": "rule", "x509Type": "MANAGED"}
		for i := 0; i+1 < len(fields); i += 2 {
			u[fields[i].(string)] = fields[i+1]
		}
		return u
	}
	tomorrow := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	for name, tc := range map[string]struct {
		body   map[string]any
		status int
		code   string
	}{
		"X.509 users live on $external":  {user("databaseName", "admin"), 400, "DATABASE_NAME_INVALID_EXTERNAL"},
		"SCRAM users live on admin":      {user("x509Type", "NONE", "password", "long-enough"), 400, "DATABASE_NAME_INVALID_ADMIN"},
		"SCRAM users need a password":    {user("x509Type", "NONE", "databaseName", "admin"), 400, "MISSING_ATTRIBUTE"},
		"X.509 and a password":           {user("password", "long-enough"), 400, "ATLAS_X509_USER_CANNOT_USE_SCRAM"},
		"X.509 and LDAP":                 {user("ldapAuthType", "USER"), 400, "ATLAS_X509_USER_CANNOT_USE_LDAP"},
		"X.509 users are not temporary":  {user("deleteAfterDate", tomorrow), 400, "ATLAS_X509_USER_CANNOT_BE_TEMPORARY"},
		"MANAGED DN names are CN only":   {user("username", "CN=a,OU=b"), 400, "ATLAS_MANAGED_X509_NAME_INVALID"},
		"CUSTOMER names are DNs with CN": {user("x509Type", "CUSTOMER", "username", "plain"), 400, "ATLAS_INVALID_LDAP_NAME"},
		"two external methods":           {user("x509Type", "NONE", "awsIAMType", "USER", "ldapAuthType", "USER"), 400, "INVALID_ATTRIBUTE"},
		"unknown role":                   {user("roles", []any{map[string]any{"databaseName": "admin", "roleName": "root"}}), 400, "ATLAS_INVALID_ROLE"},
		"admin-only role elsewhere":      {user("roles", []any{map[string]any{"databaseName": "sales", "roleName": "readAnyDatabase"}}), 400, "ATLAS_INVALID_ROLE_DATABASE"},
		"duplicate roles": {user("roles", []any{
			map[string]any{"databaseName": "sales", "roleName": "read"}, map[string]any{"databaseName": "sales", "roleName": "read"},
		}), 400, "DUPLICATE_DATABASE_ROLES"},
		"blank username": {user("username", "  "), 400, "ATLAS_INVALID_USERNAME"},
		"expiry in the past": {map[string]any{"groupId": gid, "databaseName": "admin", "username": "t", "password": "long-enough",
			"deleteAfterDate": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)}, 400, "EXPIRATION_DATE_IN_PAST"},
		"expiry too far": {map[string]any{"groupId": gid, "databaseName": "admin", "username": "t", "password": "long-enough",
			"deleteAfterDate": time.Now().Add(8 * 24 * time.Hour).UTC().Format(time.RFC3339)}, 400, "EXPIRATION_DATE_EXCEEDS_MAX"},
	} {
		t.Run(name, func(t *testing.T) { requireAPIError(t, tc.status, tc.code, a.post(users, tc.body)) })
	}
	requireFieldViolation(t, "INVALID_ATTRIBUTE", "groupId", a.post(users, user("groupId", unknownID)))

	temporary := a.post(users, map[string]any{"groupId": gid, "databaseName": "admin", "username": "temp", "password": "long-enough", "deleteAfterDate": tomorrow})
	requireStatus(t, http.StatusCreated, temporary)
	assert.Equal(t, tomorrow, temporary.object(t)["deleteAfterDate"])
	requireStatus(t, http.StatusCreated, a.post(users, user("username", "CN=dn-form")))
	requireStatus(t, http.StatusCreated, a.post(users, user("x509Type", "CUSTOMER", "username", "CN=alice,OU=eng,O=example")))
	requireAPIError(t, http.StatusNotFound, "GROUP_NOT_FOUND", a.post("/api/atlas/v2/groups/"+unknownID+"/databaseUsers", map[string]any{
		"groupId": unknownID, "databaseName": "$external", "username": "x", "x509Type": "MANAGED"}))
}

func TestUsernamesThatNeedEscaping(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	gid := stub.Credentials.ProjectId
	users := "/api/atlas/v2/groups/" + gid + "/databaseUsers"
	for _, tc := range []struct{ username, auth string }{
		{"CN=alice,OU=eng,O=example", "x509Type=CUSTOMER"},
		{"idp-id/group name", "oidcAuthType=USER"},
		{"arn:aws:iam::123456789012:user/sales/DylanBloggs", "awsIAMType=USER"},
	} {
		body := map[string]any{"groupId": gid, "databaseName": "$external", "username": tc.username}
		key, value, _ := strings.Cut(tc.auth, "=")
		body[key] = value
		requireStatus(t, http.StatusCreated, a.post(users, body))
		got := a.get(users + "/$external/" + url.PathEscape(tc.username))
		requireStatus(t, http.StatusOK, got)
		assert.Equal(t, tc.username, got.object(t)["username"])
		requireStatus(t, http.StatusNoContent, a.delete(users+"/$external/"+url.PathEscape(tc.username)))
	}
}

func TestDatabaseUsersPerProjectLimit(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	gid := stub.Credentials.ProjectId
	users := "/api/atlas/v2/groups/" + gid + "/databaseUsers"
	for i := range 100 {
		requireStatus(t, http.StatusCreated, a.post(users, map[string]any{"groupId": gid, "databaseName": "$external", "username": fmt.Sprintf("u%03d", i), "x509Type": "MANAGED"}))
	}
	requireAPIError(t, http.StatusForbidden, "GROUP_USERS_LIMIT_EXCEEDED", a.post(users, map[string]any{"groupId": gid, "databaseName": "$external", "username": "one-too-many", "x509Type": "MANAGED"}))
	page := a.get(users + "?itemsPerPage=500").object(t)
	require.Len(t, page["results"], 100)
	assert.Equal(t, "u000", page["results"].([]any)[0].(map[string]any)["username"], "users list by username")
}

func TestTemporaryUsersDisappearAfterTheirDeleteAfterDate(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	gid := stub.Credentials.ProjectId
	users := "/api/atlas/v2/groups/" + gid + "/databaseUsers"
	inAnHour := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	requireStatus(t, http.StatusCreated, a.post(users, map[string]any{"groupId": gid, "databaseName": "admin", "username": "temp", "password": "long-enough", "deleteAfterDate": inAnHour}))
	requireStatus(t, http.StatusOK, a.get(users+"/admin/temp"))

	stub.Advance(61 * time.Minute)
	requireAPIError(t, http.StatusNotFound, "USERNAME_NOT_FOUND", a.get(users+"/admin/temp"))
	assert.Equal(t, float64(0), a.get(users).object(t)["totalCount"])
	requireStatus(t, http.StatusCreated, a.post(users, map[string]any{"groupId": gid, "databaseName": "admin", "username": "temp", "password": "long-enough"}))
}

// TestUsernamesWithControlCharactersAreRefused: a NUL, or any other control character, in a
// username is ATLAS_INVALID_USERNAME, so that no certificate can carry it in its subject.
func TestUsernamesWithControlCharactersAreRefused(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	gid := stub.Credentials.ProjectId
	for _, username := range []string{"a\x00b", "a\nb", "\tab", "ab\x7f", "a\u0085b", "CN=a\x00b"} {
		r := a.post("/api/atlas/v2/groups/"+gid+"/databaseUsers", map[string]any{
			"groupId": gid, "databaseName": "$external", "username": username, "x509Type": "MANAGED",
		})
		requireAPIError(t, http.StatusBadRequest, "ATLAS_INVALID_USERNAME", r)
		r = a.post("/api/atlas/v2/groups/"+gid+"/databaseUsers/"+url.PathEscape(username)+"/certs", map[string]any{"monthsUntilExpiration": 1})
		requireAPIError(t, http.StatusNotFound, "USERNAME_NOT_FOUND", r)
	}
	r := a.post("/api/atlas/v2/groups/"+gid+"/databaseUsers", map[string]any{
		"groupId": gid, "databaseName": "admin", "username": "scram\x00user", "password": "long-enough-password", "roles": []any{},
	})
	requireAPIError(t, http.StatusBadRequest, "ATLAS_INVALID_USERNAME", r)
}

// TestNullOfAnOptionalPropertyIsAbsent sends what the official SDK sends to change a database
// user's password alone, byte for byte as recorded: "roles":null. Live Atlas answers 200 and
// keeps the user's roles and scopes; a null of an optional property is absent.
func TestNullOfAnOptionalPropertyIsAbsent(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	gid := stub.Credentials.ProjectId
	users := "/api/atlas/v2/groups/" + gid + "/databaseUsers"
	requireStatus(t, http.StatusCreated, a.post(users, map[string]any{
		"groupId": gid, "databaseName": "admin", "username": "u", "password": "first-password",
		"roles":  []map[string]any{{"databaseName": "sales", "roleName": "readWrite"}},
		"scopes": []map[string]any{{"name": "Cluster0", "type": "CLUSTER"}},
	}))
	before := a.get(users + "/admin/u").object(t)

	passwordOnly := `{"databaseName":"admin","groupId":"` + gid + `","password":"second-password","roles":null,"username":"u","x509Type":"NONE"}`
	updated := a.patch(users+"/admin/u", passwordOnly, "Content-Type", "application/vnd.atlas.2023-01-01+json")
	requireStatus(t, http.StatusOK, updated)
	assert.Equal(t, before["roles"], updated.object(t)["roles"], "the roles stay")
	assert.Equal(t, before["scopes"], updated.object(t)["scopes"], "the scopes stay")
	assert.Equal(t, before, a.get(users+"/admin/u").object(t))

	// Nulls inside the body too, and of several kinds: labels and description are optional.
	requireStatus(t, http.StatusOK, a.patch(users+"/admin/u",
		`{"databaseName":"admin","groupId":"`+gid+`","username":"u","labels":null,"description":null,"roles":[{"databaseName":"admin","roleName":"read","collectionName":null}]}`))
	// A null where the schema requires a value is still refused, naming the field.
	requireFieldViolation(t, "INVALID_ATTRIBUTE", "username", a.patch(users+"/admin/u", `{"databaseName":"admin","groupId":"`+gid+`","username":null}`))
}
