package suite

import (
	"context"
	"maps"
	"net/http"
	"net/url"
)

// recipe is what the kit knows of one operation beyond its schemas: a request that Atlas accepts.
// Schemas alone cannot say that an X.509 user lives on $external, or that a service account
// holds at most two secrets; the recipe does, and the generated checks vary it.
type recipe struct {
	// body builds a valid body for the path parameters p; nil for operations without one. Each
	// call may create something new, so it uses names no other call uses.
	body func(f *fixture, p params) any
	// fresh returns the path parameters for one accepted request of an operation that consumes
	// what it acts on (deletes it, or fills a limit); nil uses the shared fixture.
	fresh func(ctx context.Context, f *fixture) (params, error)
	// conflict returns a request that the state conflicts with, for operations that declare 409.
	conflict func(ctx context.Context, f *fixture) (params, any, error)
	// notFound returns a request that names something missing, where the path alone cannot
	// (createGroup names its organization in the body).
	notFound func(f *fixture) (params, any)
	// changesOrganization says that the operation changes the organization itself, which is the
	// user's: its body sets nothing but what is already so, and the specification's examples,
	// which would set more, are not added to it.
	changesOrganization bool
	// generated says that the kit built the recipe from the specification (generated.go), for an
	// official operation that ours does not declare; resolve then gives its path parameters,
	// fresh ones for a call that uses up what it acts on.
	generated bool
	resolve   func(ctx context.Context, f *fixture, fresh bool) (params, error)
	// query is the query string of every call, with the parameters the operation requires.
	query url.Values
}

// catalog has a recipe for every operation of the specification; a test keeps it complete.
var catalog = map[string]recipe{
	"createOAuthToken": {},
	"revokeOAuthToken": {},
	"getIpInfo":        {},

	"listOrgs":          {},
	"getOrg":            {},
	"getOrgGroups":      {},
	"getOrgSettings":    {},
	"updateOrgSettings": {body: unchangedSettings, changesOrganization: true},

	"listGroups": {},
	"createGroup": {
		body: func(f *fixture, p params) any { return map[string]any{"name": f.name(), "orgId": p["orgId"]} },
		conflict: func(_ context.Context, f *fixture) (params, any, error) {
			return f.shared, map[string]any{"name": f.shared["groupName"], "orgId": f.shared["orgId"]}, nil
		},
		notFound: func(f *fixture) (params, any) {
			return f.shared, map[string]any{"name": f.name(), "orgId": missingID}
		},
	},
	"getGroup": {},
	"updateGroup": {
		body:  func(f *fixture, _ params) any { return map[string]any{"name": f.name()} },
		fresh: freshProject,
		conflict: func(ctx context.Context, f *fixture) (params, any, error) {
			p, err := freshProject(ctx, f)
			return p, map[string]any{"name": f.shared["groupName"]}, err
		},
	},
	"deleteGroup":    {fresh: freshProject},
	"getGroupByName": {},

	"listGroupDatabaseUsers":  {},
	"createGroupDatabaseUser": {body: newManagedUserBody, conflict: existingUserConflict},
	"getGroupDatabaseUser":    {},
	"updateGroupDatabaseUser": {
		body: func(_ *fixture, p params) any {
			return map[string]any{"groupId": p["groupId"], "databaseName": "$external", "username": p["username"], "description": "changed by the contract kit"}
		},
		conflict: func(_ context.Context, f *fixture) (params, any, error) {
			return f.shared, map[string]any{"groupId": f.shared["groupId"], "databaseName": "$external", "username": f.name()}, nil
		},
	},
	"deleteGroupDatabaseUser": {fresh: freshUser},

	"listGroupDatabaseUserCerts":           {},
	"createGroupDatabaseUserCert":          {body: func(*fixture, params) any { return map[string]any{"monthsUntilExpiration": 1} }},
	"getGroupUserSecurity":                 {},
	"updateGroupUserSecurity":              {body: customerCA},
	"disableGroupUserSecurityCustomerX509": {fresh: withCustomerCA},

	"listOrgServiceAccounts":                 {},
	"createOrgServiceAccount":                {body: newAccountBody("ORG_MEMBER")},
	"getOrgServiceAccount":                   {},
	"updateOrgServiceAccount":                {body: renameAccount},
	"deleteOrgServiceAccount":                {fresh: freshAccount},
	"listOrgServiceAccountAccessList":        {},
	"createOrgServiceAccountAccessList":      {body: newEntries, conflict: existingEntry},
	"deleteOrgServiceAccountAccessListEntry": {fresh: freshAccountEntry},
	"getOrgServiceAccountGroups":             {},
	"createOrgServiceAccountSecret":          {body: secretBody, fresh: freshAccount},
	"deleteOrgServiceAccountSecret":          {fresh: freshAccount},

	"listGroupServiceAccounts":                 {},
	"createGroupServiceAccount":                {body: newAccountBody("GROUP_READ_ONLY")},
	"getGroupServiceAccount":                   {},
	"updateGroupServiceAccount":                {body: renameAccount},
	"deleteGroupServiceAccount":                {fresh: freshAccount},
	"listGroupServiceAccountAccessList":        {},
	"createGroupServiceAccountAccessList":      {body: newEntries, conflict: existingEntry},
	"deleteGroupServiceAccountAccessListEntry": {fresh: freshAccountEntry},
	"createGroupServiceAccountSecret":          {body: secretBody, fresh: freshAccount},
	"deleteGroupServiceAccountSecret":          {fresh: freshAccount},
	"inviteGroupServiceAccount":                {body: func(*fixture, params) any { return map[string]any{"roles": []string{"GROUP_READ_ONLY"}} }},

	"listOrgApiKeys": {},
	"createOrgApiKey": {body: func(f *fixture, _ params) any {
		return map[string]any{"desc": f.name(), "roles": []string{"ORG_MEMBER"}}
	}},
	"getOrgApiKey":                   {},
	"updateOrgApiKey":                {body: func(f *fixture, _ params) any { return map[string]any{"desc": f.name()} }},
	"deleteOrgApiKey":                {fresh: freshKey},
	"listOrgApiKeyAccessListEntries": {},
	"createOrgApiKeyAccessListEntry": {body: newEntries, conflict: existingEntry},
	"getOrgApiKeyAccessListEntry":    {},
	"deleteOrgApiKeyAccessListEntry": {fresh: freshKeyEntry},
	"listGroupApiKeys":               {},
	"createGroupApiKey": {body: func(f *fixture, _ params) any {
		return map[string]any{"desc": f.name(), "roles": []string{"GROUP_READ_ONLY"}}
	}},
	"addGroupApiKey":         {body: func(*fixture, params) any { return []map[string]any{{"roles": []string{"GROUP_READ_ONLY"}}} }},
	"updateGroupApiKeyRoles": {body: func(*fixture, params) any { return map[string]any{"roles": []string{"GROUP_READ_ONLY"}} }},
	"removeGroupApiKey":      {fresh: freshKey},

	"createLegacyDatabaseUser":              {body: newManagedUserBody, conflict: existingUserConflict},
	"getLegacyDatabaseUser":                 {},
	"createLegacyDatabaseUserCert":          {body: func(*fixture, params) any { return map[string]any{"monthsUntilExpiration": 1} }},
	"listLegacyDatabaseUserCerts":           {},
	"getLegacyUserSecurity":                 {},
	"updateLegacyUserSecurity":              {body: customerCA},
	"disableLegacyUserSecurityCustomerX509": {fresh: withCustomerCA},

	"createCloudManagerServiceAccount":       {body: newAccountBody("ORG_MEMBER")},
	"createCloudManagerServiceAccountSecret": {body: secretBody, fresh: freshAccount},
}

// missingID is a well-formed identifier that names nothing.
const missingID = "ffffffffffffffffffffffff"

// unchangedSettings is an update of the organization's settings that changes none: each setting
// as it is, or, when no org-level write may be sent (SkipDestructive), no setting at all, so that
// even the mutations of the negative cases, which a defective target might apply, change nothing.
func unchangedSettings(f *fixture, _ params) any {
	body := map[string]any{}
	if !f.skipDestructive {
		maps.Copy(body, f.orgSettings)
	}
	return body
}

func newManagedUserBody(f *fixture, p params) any {
	return map[string]any{"groupId": p["groupId"], "databaseName": "$external", "username": f.name(), "x509Type": "MANAGED"}
}

func existingUserConflict(_ context.Context, f *fixture) (params, any, error) {
	return f.shared, map[string]any{"groupId": f.shared["groupId"], "databaseName": "$external", "username": f.shared["username"], "x509Type": "MANAGED"}, nil
}

func customerCA(f *fixture, _ params) any {
	return map[string]any{"customerX509": map[string]any{"cas": f.caPEM}}
}

func newAccountBody(role string) func(*fixture, params) any {
	return func(f *fixture, _ params) any {
		return map[string]any{"name": f.name(), "description": "atlasstub contract kit", "roles": []string{role}, "secretExpiresAfterHours": 24}
	}
}

func renameAccount(f *fixture, _ params) any { return map[string]any{"name": f.name()} }

func secretBody(*fixture, params) any { return map[string]any{"secretExpiresAfterHours": 24} }

func newEntries(f *fixture, _ params) any { return []map[string]any{{"ipAddress": f.newAddress()}} }

func existingEntry(_ context.Context, f *fixture) (params, any, error) {
	return f.shared, []map[string]any{{"cidrBlock": restrictedRange}}, nil
}

func freshProject(ctx context.Context, f *fixture) (params, error) {
	id, name, err := f.newProject(ctx)
	return f.shared.with("groupId", id).with("groupName", name), err
}

func freshUser(ctx context.Context, f *fixture) (params, error) {
	username, err := f.newManagedUser(ctx, f.shared["groupId"])
	return f.shared.with("username", username), err
}

func freshAccount(ctx context.Context, f *fixture) (params, error) {
	a, err := f.newServiceAccount(ctx, f.shared["groupId"])
	return f.shared.with("clientId", a.clientID).with("secretId", a.secretID), err
}

func freshKey(ctx context.Context, f *fixture) (params, error) {
	id, err := f.newAPIKey(ctx, f.shared["groupId"])
	return f.shared.with("apiUserId", id), err
}

// freshAccountEntry adds an entry to the shared account's access list, to be deleted.
func freshAccountEntry(ctx context.Context, f *fixture) (params, error) {
	address := f.newAddress()
	_, err := f.call(ctx, http.MethodPost, expandPath("/api/atlas/v2/orgs/{orgId}/serviceAccounts/{clientId}/accessList", f.shared),
		[]map[string]any{{"ipAddress": address}}, http.StatusOK)
	return f.shared.with("ipAddress", address), err
}

// freshKeyEntry adds an entry to the shared key's access list, to be deleted.
func freshKeyEntry(ctx context.Context, f *fixture) (params, error) {
	address := f.newAddress()
	_, err := f.call(ctx, http.MethodPost, expandPath("/api/atlas/v2/orgs/{orgId}/apiKeys/{apiUserId}/accessList", f.shared),
		[]map[string]any{{"ipAddress": address}}, http.StatusOK)
	return f.shared.with("ipAddress", address), err
}

// withCustomerCA sets the kit's CA as the shared project's customer CA, for a delete to remove.
func withCustomerCA(ctx context.Context, f *fixture) (params, error) {
	_, err := f.call(ctx, http.MethodPatch, expandPath("/api/atlas/v2/groups/{groupId}/userSecurity", f.shared),
		map[string]any{"customerX509": map[string]any{"cas": f.caPEM}}, http.StatusAccepted)
	return f.shared, err
}
