// Package apikeys serves programmatic API keys, their roles in projects, and their API access
// lists.
package apikeys

import (
	"context"
	"maps"
	"slices"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/auth"
	"github.com/atlasstub/atlasstub/server/authz"
	"github.com/atlasstub/atlasstub/server/handlers"
	"github.com/atlasstub/atlasstub/server/ids"
	"github.com/atlasstub/atlasstub/server/roles"
	"github.com/atlasstub/atlasstub/server/store"
)

// Handlers serve the API key operations.
type Handlers struct{ store *store.Store }

// New returns the handlers over their state.
func New(s *store.Store) *Handlers { return &Handlers{store: s} }

func (h *Handlers) ListOrgApiKeys(ctx context.Context, req atlasapi.ListOrgApiKeysRequestObject) (atlasapi.ListOrgApiKeysResponseObject, error) {
	keys, err := store.Read(h.store, func(tx *store.Tx) ([]store.APIKey, error) { return tx.APIKeys(req.OrgId) })
	if err != nil {
		return nil, err
	}
	page := apiKeyPage(ctx, keys, handlers.PageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	return atlasapi.ListOrgApiKeys200ApplicationVndAtlas20230101PlusJSONResponse(page), nil
}

func (h *Handlers) CreateOrgApiKey(ctx context.Context, req atlasapi.CreateOrgApiKeyRequestObject) (atlasapi.CreateOrgApiKeyResponseObject, error) {
	body, err := handlers.RequireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	created, privateKey, err := h.createAPIKey(req.OrgId, body.Desc, store.Grants{Org: handlers.RoleNames(body.Roles)})
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateOrgApiKey200ApplicationVndAtlas20230101PlusJSONResponse(apiKeyToAPI(ctx, created, privateKey)), nil
}

func (h *Handlers) GetOrgApiKey(ctx context.Context, req atlasapi.GetOrgApiKeyRequestObject) (atlasapi.GetOrgApiKeyResponseObject, error) {
	k, err := store.Read(h.store, func(tx *store.Tx) (store.APIKey, error) { return tx.APIKey(req.OrgId, req.ApiUserId) })
	if err != nil {
		return nil, err
	}
	return atlasapi.GetOrgApiKey200ApplicationVndAtlas20230101PlusJSONResponse(apiKeyToAPI(ctx, k, "")), nil
}

func (h *Handlers) UpdateOrgApiKey(ctx context.Context, req atlasapi.UpdateOrgApiKeyRequestObject) (atlasapi.UpdateOrgApiKeyResponseObject, error) {
	change, err := handlers.RequireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	if change.Desc == nil && change.Roles == nil {
		return nil, apierror.MissingAttribute.New("desc or roles")
	}
	if change.Roles != nil {
		if err := store.CheckAPIKeyRoles("", handlers.RoleNames(*change.Roles)); err != nil {
			return nil, err
		}
	}
	k, err := store.Write(h.store, func(tx *store.Tx) (store.APIKey, error) {
		current, err := tx.APIKey(req.OrgId, req.ApiUserId)
		if err != nil {
			return store.APIKey{}, err
		}
		current.Description = handlers.ValueOr(change.Desc, current.Description)
		if change.Roles != nil {
			current.Grants.Org = nil
			for _, r := range *change.Roles {
				current.Grants.Org = append(current.Grants.Org, string(r))
			}
		}
		return tx.UpdateAPIKey(current)
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.UpdateOrgApiKey200ApplicationVndAtlas20230101PlusJSONResponse(apiKeyToAPI(ctx, k, "")), nil
}

func (h *Handlers) DeleteOrgApiKey(ctx context.Context, req atlasapi.DeleteOrgApiKeyRequestObject) (atlasapi.DeleteOrgApiKeyResponseObject, error) {
	if err := h.store.Update(func(tx *store.Tx) error { return tx.DeleteAPIKey(req.OrgId, req.ApiUserId) }); err != nil {
		return nil, err
	}
	return atlasapi.DeleteOrgApiKey204Response{}, nil
}

func (h *Handlers) ListOrgApiKeyAccessListEntries(ctx context.Context, req atlasapi.ListOrgApiKeyAccessListEntriesRequestObject) (atlasapi.ListOrgApiKeyAccessListEntriesResponseObject, error) {
	k, err := store.Read(h.store, func(tx *store.Tx) (store.APIKey, error) { return tx.APIKey(req.OrgId, req.ApiUserId) })
	if err != nil {
		return nil, err
	}
	page := keyAccessListPage(ctx, k, handlers.PageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	return atlasapi.ListOrgApiKeyAccessListEntries200ApplicationVndAtlas20230101PlusJSONResponse(page), nil
}

func (h *Handlers) CreateOrgApiKeyAccessListEntry(ctx context.Context, req atlasapi.CreateOrgApiKeyAccessListEntryRequestObject) (atlasapi.CreateOrgApiKeyAccessListEntryResponseObject, error) {
	body, err := handlers.RequireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	k, err := store.Write(h.store, func(tx *store.Tx) (store.APIKey, error) {
		var entries []store.AccessListEntry
		for _, e := range body {
			entry, err := store.NewAccessListEntry(handlers.ValueOr(e.IpAddress, ""), handlers.ValueOr(e.CidrBlock, ""), tx.Now())
			if err != nil {
				return store.APIKey{}, err
			}
			entries = append(entries, entry)
		}
		return tx.AddAPIKeyAccessListEntries(req.OrgId, req.ApiUserId, entries)
	})
	if err != nil {
		return nil, err
	}
	page := keyAccessListPage(ctx, k, handlers.PageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	return atlasapi.CreateOrgApiKeyAccessListEntry200ApplicationVndAtlas20230101PlusJSONResponse(page), nil
}

func (h *Handlers) GetOrgApiKeyAccessListEntry(ctx context.Context, req atlasapi.GetOrgApiKeyAccessListEntryRequestObject) (atlasapi.GetOrgApiKeyAccessListEntryResponseObject, error) {
	k, err := store.Read(h.store, func(tx *store.Tx) (store.APIKey, error) { return tx.APIKey(req.OrgId, req.ApiUserId) })
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

func (h *Handlers) DeleteOrgApiKeyAccessListEntry(ctx context.Context, req atlasapi.DeleteOrgApiKeyAccessListEntryRequestObject) (atlasapi.DeleteOrgApiKeyAccessListEntryResponseObject, error) {
	err := h.store.Update(func(tx *store.Tx) error {
		return tx.RemoveAPIKeyAccessListEntry(req.OrgId, req.ApiUserId, req.IpAddress, authz.ProtectedAddress(ctx, req.ApiUserId))
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.DeleteOrgApiKeyAccessListEntry204Response{}, nil
}

func (h *Handlers) ListGroupApiKeys(ctx context.Context, req atlasapi.ListGroupApiKeysRequestObject) (atlasapi.ListGroupApiKeysResponseObject, error) {
	keys, err := store.Read(h.store, func(tx *store.Tx) ([]store.APIKey, error) { return tx.ProjectAPIKeys(req.GroupId) })
	if err != nil {
		return nil, err
	}
	page := apiKeyPage(ctx, keys, handlers.PageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	return atlasapi.ListGroupApiKeys200ApplicationVndAtlas20230101PlusJSONResponse(page), nil
}

// CreateGroupApiKey creates an organization API key that holds the given project roles in the
// project; it is a member of the organization, as every key is.
func (h *Handlers) CreateGroupApiKey(ctx context.Context, req atlasapi.CreateGroupApiKeyRequestObject) (atlasapi.CreateGroupApiKeyResponseObject, error) {
	body, err := handlers.RequireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	projectRoles := handlers.RoleNames(body.Roles)
	if err := store.ProjectRolesOnly(req.GroupId, projectRoles); err != nil {
		return nil, err
	}
	p, err := store.Read(h.store, func(tx *store.Tx) (store.Project, error) { return tx.Project(req.GroupId) })
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
func (h *Handlers) AddGroupApiKey(ctx context.Context, req atlasapi.AddGroupApiKeyRequestObject) (atlasapi.AddGroupApiKeyResponseObject, error) {
	body, err := handlers.RequireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	var projectRoles []string
	for _, assignment := range body {
		for _, r := range handlers.ValueOr(assignment.Roles, nil) {
			if !slices.Contains(projectRoles, string(r)) {
				projectRoles = append(projectRoles, string(r))
			}
		}
	}
	if err := h.setProjectRoles(req.GroupId, req.ApiUserId, projectRoles, nil); err != nil {
		return nil, err
	}
	return atlasapi.AddGroupApiKey204Response{}, nil
}

func (h *Handlers) UpdateGroupApiKeyRoles(ctx context.Context, req atlasapi.UpdateGroupApiKeyRolesRequestObject) (atlasapi.UpdateGroupApiKeyRolesResponseObject, error) {
	change, err := handlers.RequireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	var projectRoles []string
	for _, r := range handlers.ValueOr(change.Roles, nil) {
		projectRoles = append(projectRoles, string(r))
	}
	var updated store.APIKey
	err = h.setProjectRoles(req.GroupId, req.ApiUserId, projectRoles, func(k *store.APIKey) {
		k.Description = handlers.ValueOr(change.Desc, k.Description)
		updated = *k
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.UpdateGroupApiKeyRoles200ApplicationVndAtlas20230101PlusJSONResponse(apiKeyToAPI(ctx, updated, "")), nil
}

func (h *Handlers) RemoveGroupApiKey(ctx context.Context, req atlasapi.RemoveGroupApiKeyRequestObject) (atlasapi.RemoveGroupApiKeyResponseObject, error) {
	err := h.store.Update(func(tx *store.Tx) error {
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
func (h *Handlers) createAPIKey(orgID, description string, grants store.Grants) (store.APIKey, string, error) {
	var (
		created    store.APIKey
		privateKey = ids.PrivateKey()
	)
	err := h.store.Update(func(tx *store.Tx) error {
		k := auth.NewAPIKey(ids.ObjectID(tx.Now()), orgID, ids.PublicKey(), privateKey)
		k.Description, k.Grants = description, grants
		var err error
		created, err = tx.CreateAPIKey(k)
		return err
	})
	return created, privateKey, err
}

// setProjectRoles replaces a key's roles in a project; change, if set, may change more of the key.
func (h *Handlers) setProjectRoles(projectID, keyID string, projectRoles []string, change func(*store.APIKey)) error {
	if err := store.CheckAPIKeyRoles(projectID, projectRoles); err != nil {
		return err
	}
	return h.store.Update(func(tx *store.Tx) error {
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

func apiKeyPage(ctx context.Context, keys []store.APIKey, p handlers.Page) atlasapi.PaginatedApiApiUserView {
	results := make([]atlasapi.ApiKeyUserDetails, 0, p.Size)
	for _, k := range handlers.Paginate(keys, p) {
		results = append(results, apiKeyToAPI(ctx, k, ""))
	}
	pi := p.Info(ctx, len(keys))
	return atlasapi.PaginatedApiApiUserView{Links: pi.Links, Results: &results, TotalCount: pi.TotalCount}
}

// apiKeyToAPI shows a key; privateKey is the key's private key in the response that creates it,
// and empty afterwards, when the key shows redacted. A key that holds no organization role, a
// project key, is a member of its organization all the same, and lists ORG_MEMBER there, as live
// Atlas lists it beside the project roles.
func apiKeyToAPI(ctx context.Context, k store.APIKey, privateKey string) atlasapi.ApiKeyUserDetails {
	if privateKey == "" {
		privateKey = "********-****-****-" + k.PrivateKeyTail
	}
	assignments := []atlasapi.CloudAccessRoleAssignment{}
	orgRoles := k.Grants.Org
	if len(orgRoles) == 0 {
		orgRoles = []string{roles.OrgMember}
	}
	for _, r := range orgRoles {
		assignments = append(assignments, atlasapi.CloudAccessRoleAssignment{OrgId: new(k.OrgID), RoleName: new(atlasapi.AnyRole(r))})
	}
	for _, projectID := range slices.Sorted(maps.Keys(k.Grants.Projects)) {
		for _, r := range k.Grants.Projects[projectID] {
			assignments = append(assignments, atlasapi.CloudAccessRoleAssignment{GroupId: new(projectID), RoleName: new(atlasapi.AnyRole(r))})
		}
	}
	return atlasapi.ApiKeyUserDetails{
		Desc:       new(k.Description),
		Id:         new(k.ID),
		Links:      handlers.Links(ctx, "orgs", k.OrgID, "apiKeys", k.ID),
		PrivateKey: new(privateKey),
		PublicKey:  new(k.PublicKey),
		Roles:      &assignments,
	}
}

func keyAccessListPage(ctx context.Context, k store.APIKey, p handlers.Page) atlasapi.PaginatedApiUserAccessListResponseView {
	results := make([]atlasapi.UserAccessListResponse, 0, p.Size)
	for _, e := range handlers.Paginate(k.AccessList, p) {
		results = append(results, keyAccessListEntryToAPI(ctx, k, e))
	}
	pi := p.Info(ctx, len(k.AccessList))
	return atlasapi.PaginatedApiUserAccessListResponseView{Links: pi.Links, Results: &results, TotalCount: pi.TotalCount}
}

func keyAccessListEntryToAPI(ctx context.Context, k store.APIKey, e store.AccessListEntry) atlasapi.UserAccessListResponse {
	out := atlasapi.UserAccessListResponse{
		CidrBlock:       new(e.CIDR),
		Created:         handlers.Timestamp(e.CreatedAt),
		IpAddress:       handlers.NonEmpty(e.IPAddress),
		LastUsedAddress: handlers.NonEmpty(e.LastUsedAddress),
		Links:           handlers.Links(ctx, "orgs", k.OrgID, "apiKeys", k.ID, "accessList", entryName(e)),
	}
	if e.LastUsedAt != nil {
		out.LastUsed = handlers.Timestamp(*e.LastUsedAt)
	}
	// Live Atlas shows the count of an entry that let nothing in yet as 0.
	out.Count = new(int32(e.RequestCount))
	return out
}

// entryName is how a path names an access-list entry: its address, or its CIDR block.
func entryName(e store.AccessListEntry) string {
	if e.IPAddress != "" {
		return e.IPAddress
	}
	return e.CIDR
}
