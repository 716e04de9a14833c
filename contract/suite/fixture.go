package suite

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/atlasstub/atlasstub/openapi"
)

// params are the values of an operation's path parameters, unescaped.
type params map[string]string

func (p params) with(name, value string) params {
	out := params{}
	for k, v := range p {
		out[k] = v
	}
	out[name] = value
	return out
}

// fixture is the state the kit creates in the target for its checks: a project of its own with a
// MANAGED user and a certificate, an API key and a service account of the organization assigned
// to it, each with an access list that admits only 192.0.2.0/24 (TEST-NET-1, where no caller
// is). Everything the kit creates is deleted at the end, newest first (see ledger.go).
type fixture struct {
	c      *client
	prefix string // names of what the kit creates start with it
	shared params
	// caPEM is a CA certificate for user-security requests, made by the kit.
	caPEM string
	// restrictedToken and restrictedSecret belong to the shared service account, whose access
	// list keeps every caller out.
	restrictedToken  string
	restrictedSecret string
	// orgSettings are the organization's settings as the run found them, and skipDestructive
	// says that no request may change them, even one that a defective target would wrongly apply.
	orgSettings     map[string]any
	skipDestructive bool
	// members are the resources the kit created for generated requests, by the path of their
	// collection, and unreachable says, by operationId, why a generated request names a resource
	// nothing creates (generated.go).
	members     map[string]map[string]any
	kept        map[string]bool // the paths of members, which no request may delete to make room
	unreachable map[string]string
	enumCursor  int

	seq int
}

// restrictedRange is the access-list entry of the kit's credentials: no caller is in it.
const restrictedRange = "192.0.2.0/24"

// newFixture creates the shared state.
func newFixture(ctx context.Context, c *client, seed uint64, skipDestructive bool) (*fixture, error) {
	f := &fixture{c: c, prefix: fmt.Sprintf("contract-%d", seed), skipDestructive: skipDestructive, members: map[string]map[string]any{}, kept: map[string]bool{}, unreachable: map[string]string{}, shared: params{
		"orgId": c.creds.OrgID, "databaseName": "$external", "ipAddress": restrictedRange,
	}}
	if err := f.readOrgSettings(ctx); err != nil {
		return nil, err
	}
	ca, err := selfSignedCA()
	if err != nil {
		return nil, err
	}
	f.caPEM = ca
	groupID, groupName, err := f.newProject(ctx)
	if err != nil {
		return nil, err
	}
	f.shared["groupId"], f.shared["groupName"] = groupID, groupName
	username, err := f.newManagedUser(ctx, groupID)
	if err != nil {
		return nil, err
	}
	f.shared["username"] = username
	if _, err := f.call(ctx, http.MethodPost, expandPath("/api/atlas/v2/groups/{groupId}/databaseUsers/{username}/certs", f.shared), map[string]any{}, http.StatusCreated); err != nil {
		return nil, err
	}
	account, err := f.newServiceAccount(ctx, groupID)
	if err != nil {
		return nil, err
	}
	f.shared["clientId"], f.shared["secretId"], f.restrictedSecret = account.clientID, account.secretID, account.secret
	if f.restrictedToken, err = f.c.mintToken(ctx, account.clientID, account.secret); err != nil {
		return nil, err
	}
	keyID, err := f.newAPIKey(ctx, groupID)
	if err != nil {
		return nil, err
	}
	f.shared["apiUserId"] = keyID
	return f, nil
}

// readOrgSettings keeps the organization's settings, those its update may set, for the updates
// the kit sends: they set every setting to what it is. Unless no org-level write may be sent at
// all, the run ends by setting them back to these values.
func (f *fixture) readOrgSettings(ctx context.Context) error {
	path := expandPath("/api/atlas/v2/orgs/{orgId}/settings", f.shared)
	res, err := f.call(ctx, http.MethodGet, path, nil, http.StatusOK)
	if err != nil {
		return err
	}
	writable := f.c.spec.Doc.Components.Schemas["OrganizationSettings"].Value.Properties
	f.orgSettings = map[string]any{}
	for name, value := range res.object() {
		if prop := writable[name]; prop != nil && !prop.Value.ReadOnly {
			f.orgSettings[name] = value
		}
	}
	if !f.skipDestructive {
		f.c.ledger.restore("restore the organization's settings", path, f.orgSettings)
	}
	return nil
}

// next returns a new number for unique names.
func (f *fixture) next() int {
	f.seq++
	return f.seq
}

// name returns a new name for something the kit creates.
func (f *fixture) name() string { return fmt.Sprintf("%s-%d", f.prefix, f.next()) }

// call sends a request as the service account and requires the status.
func (f *fixture) call(ctx context.Context, method, path string, body any, want int) (response, error) {
	res, err := f.c.send(ctx, jsonRequest(method, path, body))
	if err != nil {
		return res, err
	}
	// The fixture takes any success: whether the status is the declared one is the checks'
	// business, and a target with a wrong status must still be checked.
	if res.status/100 != want/100 {
		return res, fmt.Errorf("fixture: %s %s: status %d, want %d: %s", method, path, res.status, want, snippet(res.body))
	}
	return res, nil
}

// newProject creates a project of the kit.
func (f *fixture) newProject(ctx context.Context) (id, name string, err error) {
	name = f.name()
	res, err := f.call(ctx, http.MethodPost, "/api/atlas/v2/groups", map[string]any{"name": name, "orgId": f.c.creds.OrgID}, http.StatusCreated)
	if err != nil {
		return "", "", err
	}
	id, _ = res.object()["id"].(string)
	return id, name, nil
}

// newManagedUser creates a MANAGED X.509 user in a project; deleting the project deletes it.
func (f *fixture) newManagedUser(ctx context.Context, groupID string) (string, error) {
	username := f.name()
	_, err := f.call(ctx, http.MethodPost, "/api/atlas/v2/groups/"+groupID+"/databaseUsers", map[string]any{
		"groupId": groupID, "databaseName": "$external", "username": username, "x509Type": "MANAGED",
	}, http.StatusCreated)
	return username, err
}

// account is a service account the kit created, with its first secret.
type account struct{ clientID, secretID, secret string }

// newServiceAccount creates an organization service account, a member, assigned read-only to
// the project and kept out by its access list.
func (f *fixture) newServiceAccount(ctx context.Context, groupID string) (account, error) {
	res, err := f.call(ctx, http.MethodPost, "/api/atlas/v2/orgs/"+f.c.creds.OrgID+"/serviceAccounts", map[string]any{
		"name": f.name(), "description": "atlasstub contract kit", "roles": []string{"ORG_MEMBER"}, "secretExpiresAfterHours": 24,
	}, http.StatusCreated)
	if err != nil {
		return account{}, err
	}
	var a account
	body := res.object()
	a.clientID, _ = body["clientId"].(string)
	if secrets, _ := body["secrets"].([]any); len(secrets) > 0 {
		first, _ := secrets[0].(map[string]any)
		a.secretID, _ = first["id"].(string)
		a.secret, _ = first["secret"].(string)
	}
	orgPath := "/api/atlas/v2/orgs/" + f.c.creds.OrgID + "/serviceAccounts/" + a.clientID
	if _, err := f.call(ctx, http.MethodPost, "/api/atlas/v2/groups/"+groupID+"/serviceAccounts/"+a.clientID+":invite", map[string]any{"roles": []string{"GROUP_READ_ONLY"}}, http.StatusOK); err != nil {
		return account{}, err
	}
	_, err = f.call(ctx, http.MethodPost, orgPath+"/accessList", []map[string]any{{"cidrBlock": restrictedRange}}, http.StatusOK)
	return a, err
}

// newAPIKey creates an organization API key, a member, assigned read-only to the project and
// kept out by its access list.
func (f *fixture) newAPIKey(ctx context.Context, groupID string) (string, error) {
	orgPath := "/api/atlas/v2/orgs/" + f.c.creds.OrgID + "/apiKeys"
	res, err := f.call(ctx, http.MethodPost, orgPath, map[string]any{"desc": f.name(), "roles": []string{"ORG_MEMBER"}}, http.StatusOK)
	if err != nil {
		return "", err
	}
	id, _ := res.object()["id"].(string)
	if _, err := f.call(ctx, http.MethodPost, "/api/atlas/v2/groups/"+groupID+"/apiKeys/"+id, []map[string]any{{"roles": []string{"GROUP_READ_ONLY"}}}, http.StatusNoContent); err != nil {
		return "", err
	}
	_, err = f.call(ctx, http.MethodPost, orgPath+"/"+id+"/accessList", []map[string]any{{"cidrBlock": restrictedRange}}, http.StatusOK)
	return id, err
}

// newAddress returns an address for a new access-list entry, from TEST-NET-2.
func (f *fixture) newAddress() string {
	n := f.next()
	return fmt.Sprintf("198.51.%d.%d", 100+n/250%100, n%250+1)
}

// acceptFor is the Accept header for a path: a versioned type for the v2 API, which every
// operation in scope serves from 2023-01-01 or 2024-08-05 on, and plain JSON elsewhere.
func acceptFor(path string) string {
	if strings.HasPrefix(path, "/api/atlas/v2/") {
		return openapi.MediaType("2025-02-19", "json")
	}
	return "application/json"
}

// selfSignedCA makes a CA certificate for the user-security requests.
func selfSignedCA() (string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", err
	}
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "atlasstub contract kit CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, key.Public(), key)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), nil
}
