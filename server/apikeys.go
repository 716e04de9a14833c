package server

import (
	"context"
	"maps"
	"slices"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/auth"
	"github.com/atlasstub/atlasstub/server/ids"
	"github.com/atlasstub/atlasstub/server/store"
)

func (h *atlasHandlers) ListOrgApiKeys(ctx context.Context, req atlasapi.ListOrgApiKeysRequestObject) (atlasapi.ListOrgApiKeysResponseObject, error) {
	var keys []store.APIKey
	err := h.view(func(tx *store.Tx) (err error) {
		keys, err = tx.APIKeys(req.OrgId)
		return err
	})
	if err != nil {
		return nil, err
	}
	page := apiKeyPage(ctx, keys, pageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	return atlasapi.ListOrgApiKeys200ApplicationVndAtlas20230101PlusJSONResponse(page), nil
}

func (h *atlasHandlers) CreateOrgApiKey(ctx context.Context, req atlasapi.CreateOrgApiKeyRequestObject) (atlasapi.CreateOrgApiKeyResponseObject, error) {
	body, err := requireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	created, privateKey, err := h.createAPIKey(req.OrgId, body.Desc, store.Grants{Org: roleNames(body.Roles)})
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateOrgApiKey200ApplicationVndAtlas20230101PlusJSONResponse(apiKeyToAPI(ctx, created, privateKey)), nil
}

func (h *atlasHandlers) GetOrgApiKey(ctx context.Context, req atlasapi.GetOrgApiKeyRequestObject) (atlasapi.GetOrgApiKeyResponseObject, error) {
	var k store.APIKey
	err := h.view(func(tx *store.Tx) (err error) {
		k, err = tx.APIKey(req.OrgId, req.ApiUserId)
		return err
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.GetOrgApiKey200ApplicationVndAtlas20230101PlusJSONResponse(apiKeyToAPI(ctx, k, "")), nil
}

func (h *atlasHandlers) UpdateOrgApiKey(ctx context.Context, req atlasapi.UpdateOrgApiKeyRequestObject) (atlasapi.UpdateOrgApiKeyResponseObject, error) {
	change, err := requireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	if change.Desc == nil && change.Roles == nil {
		return nil, apierror.MissingAttribute.New("desc or roles")
	}
	if change.Roles != nil && len(*change.Roles) == 0 {
		return nil, apierror.MissingAPIKeyRoles.New()
	}
	var k store.APIKey
	err = h.update(func(tx *store.Tx) error {
		current, err := tx.APIKey(req.OrgId, req.ApiUserId)
		if err != nil {
			return err
		}
		current.Description = valueOr(change.Desc, current.Description)
		if change.Roles != nil {
			current.Grants.Org = nil
			for _, r := range *change.Roles {
				current.Grants.Org = append(current.Grants.Org, string(r))
			}
		}
		k, err = tx.UpdateAPIKey(current)
		return err
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.UpdateOrgApiKey200ApplicationVndAtlas20230101PlusJSONResponse(apiKeyToAPI(ctx, k, "")), nil
}

func (h *atlasHandlers) DeleteOrgApiKey(ctx context.Context, req atlasapi.DeleteOrgApiKeyRequestObject) (atlasapi.DeleteOrgApiKeyResponseObject, error) {
	if err := h.update(func(tx *store.Tx) error { return tx.DeleteAPIKey(req.OrgId, req.ApiUserId) }); err != nil {
		return nil, err
	}
	return atlasapi.DeleteOrgApiKey204Response{}, nil
}

func (h *atlasHandlers) ListOrgApiKeyAccessListEntries(ctx context.Context, req atlasapi.ListOrgApiKeyAccessListEntriesRequestObject) (atlasapi.ListOrgApiKeyAccessListEntriesResponseObject, error) {
	var k store.APIKey
	err := h.view(func(tx *store.Tx) (err error) {
		k, err = tx.APIKey(req.OrgId, req.ApiUserId)
		return err
	})
	if err != nil {
		return nil, err
	}
	page := keyAccessListPage(ctx, k, pageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	return atlasapi.ListOrgApiKeyAccessListEntries200ApplicationVndAtlas20230101PlusJSONResponse(page), nil
}

func (h *atlasHandlers) CreateOrgApiKeyAccessListEntry(ctx context.Context, req atlasapi.CreateOrgApiKeyAccessListEntryRequestObject) (atlasapi.CreateOrgApiKeyAccessListEntryResponseObject, error) {
	body, err := requireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	var k store.APIKey
	err = h.update(func(tx *store.Tx) error {
		var entries []store.AccessListEntry
		for _, e := range body {
			entry, err := store.NewAccessListEntry(valueOr(e.IpAddress, ""), valueOr(e.CidrBlock, ""), tx.Now())
			if err != nil {
				return err
			}
			entries = append(entries, entry)
		}
		k, err = tx.AddAPIKeyAccessListEntries(req.OrgId, req.ApiUserId, entries)
		return err
	})
	if err != nil {
		return nil, err
	}
	page := keyAccessListPage(ctx, k, pageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	return atlasapi.CreateOrgApiKeyAccessListEntry200ApplicationVndAtlas20230101PlusJSONResponse(page), nil
}

func (h *atlasHandlers) GetOrgApiKeyAccessListEntry(ctx context.Context, req atlasapi.GetOrgApiKeyAccessListEntryRequestObject) (atlasapi.GetOrgApiKeyAccessListEntryResponseObject, error) {
	var k store.APIKey
	err := h.view(func(tx *store.Tx) (err error) {
		k, err = tx.APIKey(req.OrgId, req.ApiUserId)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, e := range k.AccessList {
		if e.Matches(req.IpAddress) {
			return atlasapi.GetOrgApiKeyAccessListEntry200ApplicationVndAtlas20230101PlusJSONResponse(keyAccessListEntryToAPI(ctx, k, e)), nil
		}
	}
	return nil, apierror.AccessListEntryNotFound.New(req.IpAddress)
}

func (h *atlasHandlers) DeleteOrgApiKeyAccessListEntry(ctx context.Context, req atlasapi.DeleteOrgApiKeyAccessListEntryRequestObject) (atlasapi.DeleteOrgApiKeyAccessListEntryResponseObject, error) {
	err := h.update(func(tx *store.Tx) error {
		return tx.RemoveAPIKeyAccessListEntry(req.OrgId, req.ApiUserId, req.IpAddress, protectedAddress(ctx, req.ApiUserId))
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.DeleteOrgApiKeyAccessListEntry204Response{}, nil
}

func (h *atlasHandlers) ListGroupApiKeys(ctx context.Context, req atlasapi.ListGroupApiKeysRequestObject) (atlasapi.ListGroupApiKeysResponseObject, error) {
	var keys []store.APIKey
	err := h.view(func(tx *store.Tx) (err error) {
		keys, err = tx.ProjectAPIKeys(req.GroupId)
		return err
	})
	if err != nil {
		return nil, err
	}
	page := apiKeyPage(ctx, keys, pageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	return atlasapi.ListGroupApiKeys200ApplicationVndAtlas20230101PlusJSONResponse(page), nil
}

// CreateGroupApiKey creates an organization API key that holds the given project roles in the
// project; it is a member of the organization, as every key is.
func (h *atlasHandlers) CreateGroupApiKey(ctx context.Context, req atlasapi.CreateGroupApiKeyRequestObject) (atlasapi.CreateGroupApiKeyResponseObject, error) {
	body, err := requireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	projectRoles := roleNames(body.Roles)
	if err := store.ProjectRolesOnly(req.GroupId, projectRoles); err != nil {
		return nil, err
	}
	p, err := h.project(req.GroupId)
	if err != nil {
		return nil, err
	}
	created, privateKey, err := h.createAPIKey(p.OrgID, body.Desc, store.Grants{Projects: map[string][]string{p.ID: projectRoles}})
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateGroupApiKey200ApplicationVndAtlas20230101PlusJSONResponse(apiKeyToAPI(ctx, created, privateKey)), nil
}

// AddGroupApiKey assigns an organization key to the project with the roles of every assignment
// in the body.
func (h *atlasHandlers) AddGroupApiKey(ctx context.Context, req atlasapi.AddGroupApiKeyRequestObject) (atlasapi.AddGroupApiKeyResponseObject, error) {
	body, err := requireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	var projectRoles []string
	for _, assignment := range body {
		for _, r := range valueOr(assignment.Roles, nil) {
			if !slices.Contains(projectRoles, string(r)) {
				projectRoles = append(projectRoles, string(r))
			}
		}
	}
	if len(projectRoles) == 0 {
		return nil, apierror.MissingAPIKeyRoles.New()
	}
	if err := h.setProjectRoles(req.GroupId, req.ApiUserId, projectRoles, nil); err != nil {
		return nil, err
	}
	return atlasapi.AddGroupApiKey204Response{}, nil
}

func (h *atlasHandlers) UpdateGroupApiKeyRoles(ctx context.Context, req atlasapi.UpdateGroupApiKeyRolesRequestObject) (atlasapi.UpdateGroupApiKeyRolesResponseObject, error) {
	change, err := requireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	var projectRoles []string
	for _, r := range valueOr(change.Roles, nil) {
		projectRoles = append(projectRoles, string(r))
	}
	if len(projectRoles) == 0 {
		return nil, apierror.MissingAPIKeyRoles.New()
	}
	var updated store.APIKey
	err = h.setProjectRoles(req.GroupId, req.ApiUserId, projectRoles, func(k *store.APIKey) {
		k.Description = valueOr(change.Desc, k.Description)
		updated = *k
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.UpdateGroupApiKeyRoles200ApplicationVndAtlas20230101PlusJSONResponse(apiKeyToAPI(ctx, updated, "")), nil
}

func (h *atlasHandlers) RemoveGroupApiKey(ctx context.Context, req atlasapi.RemoveGroupApiKeyRequestObject) (atlasapi.RemoveGroupApiKeyResponseObject, error) {
	err := h.update(func(tx *store.Tx) error {
		p, err := tx.Project(req.GroupId)
		if err != nil {
			return err
		}
		k, err := tx.APIKey(p.OrgID, req.ApiUserId)
		if err != nil {
			return err
		}
		if len(k.Grants.Projects[p.ID]) == 0 {
			return apierror.APIKeyNotFound.New(req.ApiUserId)
		}
		k.Grants = k.Grants.WithProject(p.ID, nil)
		_, err = tx.UpdateAPIKey(k)
		return err
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.RemoveGroupApiKey204Response{}, nil
}

// createAPIKey creates a key with a new public and private key, and returns it with its private
// key, which exists nowhere else.
func (h *atlasHandlers) createAPIKey(orgID, description string, grants store.Grants) (store.APIKey, string, error) {
	var (
		created    store.APIKey
		privateKey = ids.PrivateKey()
	)
	err := h.update(func(tx *store.Tx) error {
		k := newAPIKey(ids.ObjectID(tx.Now()), orgID, ids.PublicKey(), privateKey)
		k.Description, k.Grants = description, grants
		var err error
		created, err = tx.CreateAPIKey(k)
		return err
	})
	return created, privateKey, err
}

// newAPIKey describes a key by what the store keeps of its private key.
func newAPIKey(id, orgID, publicKey, privateKey string) store.APIKey {
	ha1 := map[string]string{}
	for _, algorithm := range auth.DigestAlgorithms {
		ha1[algorithm] = auth.HA1(algorithm, publicKey, privateKey)
	}
	return store.APIKey{ID: id, OrgID: orgID, PublicKey: publicKey, DigestHA1: ha1, PrivateKeyTail: privateKey[len(privateKey)-12:]}
}

// setProjectRoles replaces a key's roles in a project; change, if set, may change more of the key.
func (h *atlasHandlers) setProjectRoles(projectID, keyID string, projectRoles []string, change func(*store.APIKey)) error {
	if err := store.ProjectRolesOnly(projectID, projectRoles); err != nil {
		return err
	}
	return h.update(func(tx *store.Tx) error {
		p, err := tx.Project(projectID)
		if err != nil {
			return err
		}
		k, err := tx.APIKey(p.OrgID, keyID)
		if err != nil {
			return err
		}
		k.Grants = k.Grants.WithProject(p.ID, projectRoles)
		if change != nil {
			change(&k)
		}
		_, err = tx.UpdateAPIKey(k)
		return err
	})
}

func apiKeyPage(ctx context.Context, keys []store.APIKey, p page) atlasapi.PaginatedApiApiUserView {
	results := make([]atlasapi.ApiKeyUserDetails, 0, p.size)
	for _, k := range paginate(keys, p) {
		results = append(results, apiKeyToAPI(ctx, k, ""))
	}
	lp := infoFrom(ctx).pageOfList(p, len(keys))
	return atlasapi.PaginatedApiApiUserView{Links: lp.links, Results: &results, TotalCount: lp.totalCount}
}

// apiKeyToAPI shows a key; privateKey is the key's private key in the response that creates it,
// and empty afterwards, when the key shows redacted.
func apiKeyToAPI(ctx context.Context, k store.APIKey, privateKey string) atlasapi.ApiKeyUserDetails {
	if privateKey == "" {
		privateKey = "********-****-****-" + k.PrivateKeyTail
	}
	assignments := []atlasapi.CloudAccessRoleAssignment{}
	for _, r := range k.Grants.Org {
		assignments = append(assignments, atlasapi.CloudAccessRoleAssignment{OrgId: ptr(k.OrgID), RoleName: ptr(atlasapi.AnyRole(r))})
	}
	for _, projectID := range slices.Sorted(maps.Keys(k.Grants.Projects)) {
		for _, r := range k.Grants.Projects[projectID] {
			assignments = append(assignments, atlasapi.CloudAccessRoleAssignment{GroupId: ptr(projectID), RoleName: ptr(atlasapi.AnyRole(r))})
		}
	}
	return atlasapi.ApiKeyUserDetails{
		Desc:       ptr(k.Description),
		Id:         ptr(k.ID),
		Links:      linksTo(ctx, "orgs", k.OrgID, "apiKeys", k.ID),
		PrivateKey: ptr(privateKey),
		PublicKey:  ptr(k.PublicKey),
		Roles:      &assignments,
	}
}

func keyAccessListPage(ctx context.Context, k store.APIKey, p page) atlasapi.PaginatedApiUserAccessListResponseView {
	results := make([]atlasapi.UserAccessListResponse, 0, p.size)
	for _, e := range paginate(k.AccessList, p) {
		results = append(results, keyAccessListEntryToAPI(ctx, k, e))
	}
	lp := infoFrom(ctx).pageOfList(p, len(k.AccessList))
	return atlasapi.PaginatedApiUserAccessListResponseView{Links: lp.links, Results: &results, TotalCount: lp.totalCount}
}

func keyAccessListEntryToAPI(ctx context.Context, k store.APIKey, e store.AccessListEntry) atlasapi.UserAccessListResponse {
	out := atlasapi.UserAccessListResponse{
		CidrBlock:       ptr(e.CIDR),
		Created:         timestamp(e.CreatedAt),
		IpAddress:       nonEmpty(e.IPAddress),
		LastUsedAddress: nonEmpty(e.LastUsedAddress),
		Links:           linksTo(ctx, "orgs", k.OrgID, "apiKeys", k.ID, "accessList", entryName(e)),
	}
	if e.LastUsedAt != nil {
		out.LastUsed = timestamp(*e.LastUsedAt)
	}
	if e.RequestCount > 0 {
		out.Count = ptr(int32(e.RequestCount))
	}
	return out
}

// entryName is how a path names an access-list entry: its address, or its CIDR block.
func entryName(e store.AccessListEntry) string {
	if e.IPAddress != "" {
		return e.IPAddress
	}
	return e.CIDR
}
