// Package serviceaccounts serves service accounts, their secrets and API access lists, on the
// organization's and the project's Atlas paths and on the Cloud Manager paths.
package serviceaccounts

import (
	"context"
	"slices"
	"strconv"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/authz"
	"github.com/atlasstub/atlasstub/server/handlers"
	"github.com/atlasstub/atlasstub/server/ids"
	"github.com/atlasstub/atlasstub/server/store"
)

// Service accounts belong to an organization. The project paths show the accounts assigned to a
// project, with their roles there, and act on the same accounts.

// Handlers serve the service account operations.
type Handlers struct{ store *store.Store }

// New returns the handlers over their state.
func New(s *store.Store) *Handlers { return &Handlers{store: s} }

// cloudManagerMaxSecretHours is the longest secret lifetime on the Cloud Manager path.
const cloudManagerMaxSecretHours = 8766

func (h *Handlers) ListOrgServiceAccounts(ctx context.Context, req atlasapi.ListOrgServiceAccountsRequestObject) (atlasapi.ListOrgServiceAccountsResponseObject, error) {
	accounts, err := store.Read(h.store, func(tx *store.Tx) ([]store.ServiceAccount, error) { return tx.ServiceAccounts(req.OrgId) })
	if err != nil {
		return nil, err
	}
	p := handlers.PageOf(req.Params.PageNum, req.Params.ItemsPerPage, nil)
	results := make([]atlasapi.OrgServiceAccount, 0, p.Size)
	for _, sa := range handlers.Paginate(accounts, p) {
		results = append(results, orgServiceAccountToAPI(sa, nil))
	}
	pi := p.Info(ctx, len(accounts))
	return atlasapi.ListOrgServiceAccounts200ApplicationVndAtlas20240805PlusJSONResponse{Links: pi.Links, Results: &results, TotalCount: pi.TotalCount}, nil
}

func (h *Handlers) CreateOrgServiceAccount(ctx context.Context, req atlasapi.CreateOrgServiceAccountRequestObject) (atlasapi.CreateOrgServiceAccountResponseObject, error) {
	sa, secret, err := h.createOrgServiceAccount(req.OrgId, req.JSONBody, 0)
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateOrgServiceAccount201ApplicationVndAtlas20240805PlusJSONResponse(orgServiceAccountToAPI(sa, secret)), nil
}

func (h *Handlers) GetOrgServiceAccount(ctx context.Context, req atlasapi.GetOrgServiceAccountRequestObject) (atlasapi.GetOrgServiceAccountResponseObject, error) {
	sa, err := h.serviceAccount(req.OrgId, req.ClientId)
	if err != nil {
		return nil, err
	}
	return atlasapi.GetOrgServiceAccount200ApplicationVndAtlas20240805PlusJSONResponse(orgServiceAccountToAPI(sa, nil)), nil
}

func (h *Handlers) UpdateOrgServiceAccount(ctx context.Context, req atlasapi.UpdateOrgServiceAccountRequestObject) (atlasapi.UpdateOrgServiceAccountResponseObject, error) {
	change, err := handlers.RequireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	sa, err := store.Write(h.store, func(tx *store.Tx) (store.ServiceAccount, error) {
		current, err := tx.ServiceAccount(req.OrgId, req.ClientId)
		if err != nil {
			return store.ServiceAccount{}, err
		}
		current.Name = handlers.ValueOr(change.Name, current.Name)
		current.Description = handlers.ValueOr(change.Description, current.Description)
		if change.Roles != nil {
			current.Grants.Org = handlers.RoleNames(*change.Roles)
		}
		return tx.UpdateServiceAccount(current)
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.UpdateOrgServiceAccount200ApplicationVndAtlas20240805PlusJSONResponse(orgServiceAccountToAPI(sa, nil)), nil
}

func (h *Handlers) DeleteOrgServiceAccount(ctx context.Context, req atlasapi.DeleteOrgServiceAccountRequestObject) (atlasapi.DeleteOrgServiceAccountResponseObject, error) {
	if err := h.store.Update(func(tx *store.Tx) error { return tx.DeleteServiceAccount(req.OrgId, req.ClientId) }); err != nil {
		return nil, err
	}
	return atlasapi.DeleteOrgServiceAccount204Response{}, nil
}

func (h *Handlers) ListOrgServiceAccountAccessList(ctx context.Context, req atlasapi.ListOrgServiceAccountAccessListRequestObject) (atlasapi.ListOrgServiceAccountAccessListResponseObject, error) {
	sa, err := h.serviceAccount(req.OrgId, req.ClientId)
	if err != nil {
		return nil, err
	}
	page := serviceAccountAccessListPage(ctx, sa, handlers.PageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	return atlasapi.ListOrgServiceAccountAccessList200ApplicationVndAtlas20240805PlusJSONResponse(page), nil
}

func (h *Handlers) CreateOrgServiceAccountAccessList(ctx context.Context, req atlasapi.CreateOrgServiceAccountAccessListRequestObject) (atlasapi.CreateOrgServiceAccountAccessListResponseObject, error) {
	sa, err := h.addServiceAccountAccessList(func(tx *store.Tx) (string, error) { return req.OrgId, nil }, req.ClientId, req.JSONBody)
	if err != nil {
		return nil, err
	}
	page := serviceAccountAccessListPage(ctx, sa, handlers.PageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	return atlasapi.CreateOrgServiceAccountAccessList200ApplicationVndAtlas20240805PlusJSONResponse(page), nil
}

func (h *Handlers) DeleteOrgServiceAccountAccessListEntry(ctx context.Context, req atlasapi.DeleteOrgServiceAccountAccessListEntryRequestObject) (atlasapi.DeleteOrgServiceAccountAccessListEntryResponseObject, error) {
	err := h.store.Update(func(tx *store.Tx) error {
		return tx.RemoveServiceAccountAccessListEntry(req.OrgId, req.ClientId, req.IpAddress, authz.ProtectedAddress(ctx, req.ClientId))
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.DeleteOrgServiceAccountAccessListEntry204Response{}, nil
}

func (h *Handlers) GetOrgServiceAccountGroups(ctx context.Context, req atlasapi.GetOrgServiceAccountGroupsRequestObject) (atlasapi.GetOrgServiceAccountGroupsResponseObject, error) {
	sa, err := h.serviceAccount(req.OrgId, req.ClientId)
	if err != nil {
		return nil, err
	}
	var projectIDs []string
	for id := range sa.Grants.Projects {
		projectIDs = append(projectIDs, id)
	}
	slices.Sort(projectIDs) // ObjectIds: oldest project first
	p := handlers.PageOf(req.Params.PageNum, req.Params.ItemsPerPage, nil)
	results := make([]atlasapi.ServiceAccountGroup, 0, p.Size)
	for _, id := range handlers.Paginate(projectIDs, p) {
		results = append(results, atlasapi.ServiceAccountGroup{GroupId: new(id)})
	}
	pi := p.Info(ctx, len(projectIDs))
	return atlasapi.GetOrgServiceAccountGroups200ApplicationVndAtlas20240805PlusJSONResponse{Links: pi.Links, Results: &results, TotalCount: pi.TotalCount}, nil
}

func (h *Handlers) CreateOrgServiceAccountSecret(ctx context.Context, req atlasapi.CreateOrgServiceAccountSecretRequestObject) (atlasapi.CreateOrgServiceAccountSecretResponseObject, error) {
	body, err := handlers.RequireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	secret, err := h.addSecret(func(*store.Tx) (string, error) { return req.OrgId, nil }, req.ClientId, int(body.SecretExpiresAfterHours), 0)
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateOrgServiceAccountSecret201ApplicationVndAtlas20240805PlusJSONResponse(secret), nil
}

func (h *Handlers) DeleteOrgServiceAccountSecret(ctx context.Context, req atlasapi.DeleteOrgServiceAccountSecretRequestObject) (atlasapi.DeleteOrgServiceAccountSecretResponseObject, error) {
	if err := h.store.Update(func(tx *store.Tx) error { return tx.DeleteSecret(req.OrgId, req.ClientId, req.SecretId) }); err != nil {
		return nil, err
	}
	return atlasapi.DeleteOrgServiceAccountSecret204Response{}, nil
}

func (h *Handlers) ListGroupServiceAccounts(ctx context.Context, req atlasapi.ListGroupServiceAccountsRequestObject) (atlasapi.ListGroupServiceAccountsResponseObject, error) {
	accounts, err := store.Read(h.store, func(tx *store.Tx) ([]store.ServiceAccount, error) { return tx.ProjectServiceAccounts(req.GroupId) })
	if err != nil {
		return nil, err
	}
	p := handlers.PageOf(req.Params.PageNum, req.Params.ItemsPerPage, nil)
	results := make([]atlasapi.GroupServiceAccount, 0, p.Size)
	for _, sa := range handlers.Paginate(accounts, p) {
		results = append(results, groupServiceAccountToAPI(sa, req.GroupId, nil))
	}
	pi := p.Info(ctx, len(accounts))
	return atlasapi.ListGroupServiceAccounts200ApplicationVndAtlas20240805PlusJSONResponse{Links: pi.Links, Results: &results, TotalCount: pi.TotalCount}, nil
}

// CreateGroupServiceAccount creates a service account in the project's organization, a member
// of it, assigned to the project with the given project roles.
func (h *Handlers) CreateGroupServiceAccount(ctx context.Context, req atlasapi.CreateGroupServiceAccountRequestObject) (atlasapi.CreateGroupServiceAccountResponseObject, error) {
	body, err := handlers.RequireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	if err := store.ProjectRolesOnly(req.GroupId, body.Roles); err != nil {
		return nil, err
	}
	var created store.ServiceAccount
	var secret *createdSecret
	err = h.store.Update(func(tx *store.Tx) error {
		p, err := tx.Project(req.GroupId)
		if err != nil {
			return err
		}
		created, secret, err = newServiceAccount(tx, p.OrgID, body.Name, body.Description, store.Grants{Projects: map[string][]string{p.ID: body.Roles}}, int(body.SecretExpiresAfterHours), 0)
		return err
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateGroupServiceAccount201ApplicationVndAtlas20240805PlusJSONResponse(groupServiceAccountToAPI(created, req.GroupId, secret)), nil
}

func (h *Handlers) GetGroupServiceAccount(ctx context.Context, req atlasapi.GetGroupServiceAccountRequestObject) (atlasapi.GetGroupServiceAccountResponseObject, error) {
	sa, err := store.Read(h.store, func(tx *store.Tx) (store.ServiceAccount, error) {
		return tx.ProjectServiceAccount(req.GroupId, req.ClientId)
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.GetGroupServiceAccount200ApplicationVndAtlas20240805PlusJSONResponse(groupServiceAccountToAPI(sa, req.GroupId, nil)), nil
}

func (h *Handlers) UpdateGroupServiceAccount(ctx context.Context, req atlasapi.UpdateGroupServiceAccountRequestObject) (atlasapi.UpdateGroupServiceAccountResponseObject, error) {
	change, err := handlers.RequireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	if change.Roles != nil {
		if err := store.ProjectRolesOnly(req.GroupId, *change.Roles); err != nil {
			return nil, err
		}
	}
	sa, err := store.Write(h.store, func(tx *store.Tx) (store.ServiceAccount, error) {
		current, err := tx.ProjectServiceAccount(req.GroupId, req.ClientId)
		if err != nil {
			return store.ServiceAccount{}, err
		}
		current.Name = handlers.ValueOr(change.Name, current.Name)
		current.Description = handlers.ValueOr(change.Description, current.Description)
		if change.Roles != nil && len(*change.Roles) > 0 {
			current.Grants = current.Grants.WithProject(req.GroupId, *change.Roles)
		}
		return tx.UpdateServiceAccount(current)
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.UpdateGroupServiceAccount200ApplicationVndAtlas20240805PlusJSONResponse(groupServiceAccountToAPI(sa, req.GroupId, nil)), nil
}

func (h *Handlers) DeleteGroupServiceAccount(ctx context.Context, req atlasapi.DeleteGroupServiceAccountRequestObject) (atlasapi.DeleteGroupServiceAccountResponseObject, error) {
	if err := h.store.Update(func(tx *store.Tx) error { return tx.UnassignServiceAccount(req.GroupId, req.ClientId) }); err != nil {
		return nil, err
	}
	return atlasapi.DeleteGroupServiceAccount204Response{}, nil
}

func (h *Handlers) ListGroupServiceAccountAccessList(ctx context.Context, req atlasapi.ListGroupServiceAccountAccessListRequestObject) (atlasapi.ListGroupServiceAccountAccessListResponseObject, error) {
	sa, err := store.Read(h.store, func(tx *store.Tx) (store.ServiceAccount, error) {
		return tx.ProjectServiceAccount(req.GroupId, req.ClientId)
	})
	if err != nil {
		return nil, err
	}
	page := serviceAccountAccessListPage(ctx, sa, handlers.PageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	return atlasapi.ListGroupServiceAccountAccessList200ApplicationVndAtlas20240805PlusJSONResponse(page), nil
}

func (h *Handlers) CreateGroupServiceAccountAccessList(ctx context.Context, req atlasapi.CreateGroupServiceAccountAccessListRequestObject) (atlasapi.CreateGroupServiceAccountAccessListResponseObject, error) {
	sa, err := h.addServiceAccountAccessList(projectOrg(req.GroupId, req.ClientId), req.ClientId, req.JSONBody)
	if err != nil {
		return nil, err
	}
	page := serviceAccountAccessListPage(ctx, sa, handlers.PageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	return atlasapi.CreateGroupServiceAccountAccessList200ApplicationVndAtlas20240805PlusJSONResponse(page), nil
}

func (h *Handlers) DeleteGroupServiceAccountAccessListEntry(ctx context.Context, req atlasapi.DeleteGroupServiceAccountAccessListEntryRequestObject) (atlasapi.DeleteGroupServiceAccountAccessListEntryResponseObject, error) {
	err := h.store.Update(func(tx *store.Tx) error {
		orgID, err := projectOrg(req.GroupId, req.ClientId)(tx)
		if err != nil {
			return err
		}
		return tx.RemoveServiceAccountAccessListEntry(orgID, req.ClientId, req.IpAddress, authz.ProtectedAddress(ctx, req.ClientId))
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.DeleteGroupServiceAccountAccessListEntry204Response{}, nil
}

func (h *Handlers) CreateGroupServiceAccountSecret(ctx context.Context, req atlasapi.CreateGroupServiceAccountSecretRequestObject) (atlasapi.CreateGroupServiceAccountSecretResponseObject, error) {
	body, err := handlers.RequireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	secret, err := h.addSecret(projectOrg(req.GroupId, req.ClientId), req.ClientId, int(body.SecretExpiresAfterHours), 0)
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateGroupServiceAccountSecret201ApplicationVndAtlas20240805PlusJSONResponse(secret), nil
}

func (h *Handlers) DeleteGroupServiceAccountSecret(ctx context.Context, req atlasapi.DeleteGroupServiceAccountSecretRequestObject) (atlasapi.DeleteGroupServiceAccountSecretResponseObject, error) {
	err := h.store.Update(func(tx *store.Tx) error {
		orgID, err := projectOrg(req.GroupId, req.ClientId)(tx)
		if err != nil {
			return err
		}
		return tx.DeleteSecret(orgID, req.ClientId, req.SecretId)
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.DeleteGroupServiceAccountSecret204Response{}, nil
}

func (h *Handlers) InviteGroupServiceAccount(ctx context.Context, req atlasapi.InviteGroupServiceAccountRequestObject) (atlasapi.InviteGroupServiceAccountResponseObject, error) {
	body, err := handlers.RequireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	if err := store.ProjectRolesOnly(req.GroupId, body.Roles); err != nil {
		return nil, err
	}
	sa, err := store.Write(h.store, func(tx *store.Tx) (store.ServiceAccount, error) {
		return tx.AssignServiceAccount(req.GroupId, req.ClientId, body.Roles)
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.InviteGroupServiceAccount200ApplicationVndAtlas20240805PlusJSONResponse(groupServiceAccountToAPI(sa, req.GroupId, nil)), nil
}

func (h *Handlers) CreateCloudManagerServiceAccount(ctx context.Context, req atlasapi.CreateCloudManagerServiceAccountRequestObject) (atlasapi.CreateCloudManagerServiceAccountResponseObject, error) {
	sa, secret, err := h.createOrgServiceAccount(req.OrgId, req.Body, cloudManagerMaxSecretHours)
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateCloudManagerServiceAccount201JSONResponse(orgServiceAccountToAPI(sa, secret)), nil
}

func (h *Handlers) CreateCloudManagerServiceAccountSecret(ctx context.Context, req atlasapi.CreateCloudManagerServiceAccountSecretRequestObject) (atlasapi.CreateCloudManagerServiceAccountSecretResponseObject, error) {
	body, err := handlers.RequireBody(req.Body)
	if err != nil {
		return nil, err
	}
	// A number or its decimal digits as a string; the lifetime's range is the store's to check, as
	// on the Atlas paths. The specification's integer also lets through a whole number written
	// with a fraction or an exponent (1000.0, 1e3), which Atoi refuses.
	hours, err := strconv.Atoi(body.SecretExpiresAfterHours.String())
	if err != nil {
		return nil, apierror.InvalidAttribute.ForField("secretExpiresAfterHours", body.SecretExpiresAfterHours.String()+": give the hours in decimal digits, such as 720")
	}
	secret, err := h.addSecret(func(*store.Tx) (string, error) { return req.OrgId, nil }, req.ClientId, hours, cloudManagerMaxSecretHours)
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateCloudManagerServiceAccountSecret201JSONResponse(secret), nil
}

// createdSecret is a new secret with its value, which only the response that creates it shows.
type createdSecret struct {
	id, value string
}

// createOrgServiceAccount serves the Atlas and the Cloud Manager create; maxHours, when not zero,
// replaces the organization's longest secret lifetime.
func (h *Handlers) createOrgServiceAccount(orgID string, body *atlasapi.OrgServiceAccountRequest, maxHours int) (store.ServiceAccount, *createdSecret, error) {
	request, err := handlers.RequireBody(body)
	if err != nil {
		return store.ServiceAccount{}, nil, err
	}
	var (
		created store.ServiceAccount
		secret  *createdSecret
	)
	err = h.store.Update(func(tx *store.Tx) (err error) {
		created, secret, err = newServiceAccount(tx, orgID, request.Name, request.Description, store.Grants{Org: handlers.RoleNames(request.Roles)}, int(request.SecretExpiresAfterHours), maxHours)
		return err
	})
	return created, secret, err
}

// newServiceAccount creates an account with a new client id and its first secret.
func newServiceAccount(tx *store.Tx, orgID, name, description string, grants store.Grants, hours, maxHours int) (store.ServiceAccount, *createdSecret, error) {
	secret, record, err := newSecret(tx, orgID, hours, maxHours)
	if err != nil {
		return store.ServiceAccount{}, nil, err
	}
	sa, err := tx.CreateServiceAccount(store.ServiceAccount{
		ClientID: ids.ClientID(tx.Now()), OrgID: orgID, Name: name, Description: description, Grants: grants,
		Secrets: []store.Secret{record},
	})
	return sa, secret, err
}

// newSecret makes a secret that expires after hours, within the organization's limit unless
// maxHours (not zero) sets another.
func newSecret(tx *store.Tx, orgID string, hours, maxHours int) (*createdSecret, store.Secret, error) {
	if maxHours == 0 {
		org, err := tx.Org(orgID)
		if err != nil {
			return nil, store.Secret{}, err
		}
		maxHours = org.Settings.MaxSecretValidityHours
	}
	value := &createdSecret{id: ids.ObjectID(tx.Now()), value: ids.ClientSecret()}
	record, err := store.NewSecret(value.id, value.value, hours, maxHours, tx.Now())
	return value, record, err
}

// addSecret adds a secret to the account of the organization that orgOf finds.
func (h *Handlers) addSecret(orgOf func(*store.Tx) (string, error), clientID string, hours, maxHours int) (atlasapi.ServiceAccountSecret, error) {
	var out atlasapi.ServiceAccountSecret
	err := h.store.Update(func(tx *store.Tx) error {
		orgID, err := orgOf(tx)
		if err != nil {
			return err
		}
		if _, err := tx.ServiceAccount(orgID, clientID); err != nil {
			return err
		}
		value, record, err := newSecret(tx, orgID, hours, maxHours)
		if err != nil {
			return err
		}
		if _, err := tx.AddSecret(orgID, clientID, record); err != nil {
			return err
		}
		out = secretToAPI(record, value)
		return nil
	})
	return out, err
}

func (h *Handlers) addServiceAccountAccessList(orgOf func(*store.Tx) (string, error), clientID string, body *[]atlasapi.ServiceAccountIPAccessListEntry) (store.ServiceAccount, error) {
	entries, err := handlers.RequireBody(body)
	if err != nil {
		return store.ServiceAccount{}, err
	}
	sa, err := store.Write(h.store, func(tx *store.Tx) (store.ServiceAccount, error) {
		orgID, err := orgOf(tx)
		if err != nil {
			return store.ServiceAccount{}, err
		}
		var added []store.AccessListEntry
		for _, e := range entries {
			entry, err := store.NewAccessListEntry(handlers.ValueOr(e.IpAddress, ""), handlers.ValueOr(e.CidrBlock, ""), tx.Now())
			if err != nil {
				return store.ServiceAccount{}, err
			}
			added = append(added, entry)
		}
		return tx.AddServiceAccountAccessListEntries(orgID, clientID, added)
	})
	return sa, err
}

func (h *Handlers) serviceAccount(orgID, clientID string) (store.ServiceAccount, error) {
	sa, err := store.Read(h.store, func(tx *store.Tx) (store.ServiceAccount, error) { return tx.ServiceAccount(orgID, clientID) })
	return sa, err
}

// projectOrg finds the organization of a service account that must be assigned to the project.
func projectOrg(projectID, clientID string) func(*store.Tx) (string, error) {
	return func(tx *store.Tx) (string, error) {
		sa, err := tx.ProjectServiceAccount(projectID, clientID)
		return sa.OrgID, err
	}
}

func orgServiceAccountToAPI(sa store.ServiceAccount, secret *createdSecret) atlasapi.OrgServiceAccount {
	orgRoles := make([]atlasapi.OrgServiceAccountRole, 0, len(sa.Grants.Org))
	for _, r := range sa.Grants.Org {
		orgRoles = append(orgRoles, atlasapi.OrgServiceAccountRole(r))
	}
	return atlasapi.OrgServiceAccount{
		ClientId:    new(sa.ClientID),
		CreatedAt:   handlers.Timestamp(sa.CreatedAt),
		Description: new(sa.Description),
		Name:        new(sa.Name),
		Roles:       &orgRoles,
		Secrets:     secretsToAPI(sa.Secrets, secret),
	}
}

func groupServiceAccountToAPI(sa store.ServiceAccount, projectID string, secret *createdSecret) atlasapi.GroupServiceAccount {
	projectRoles := append([]string{}, sa.Grants.Projects[projectID]...)
	return atlasapi.GroupServiceAccount{
		ClientId:    new(sa.ClientID),
		CreatedAt:   handlers.Timestamp(sa.CreatedAt),
		Description: new(sa.Description),
		Name:        new(sa.Name),
		Roles:       &projectRoles,
		Secrets:     secretsToAPI(sa.Secrets, secret),
	}
}

func secretsToAPI(secrets []store.Secret, created *createdSecret) *[]atlasapi.ServiceAccountSecret {
	out := make([]atlasapi.ServiceAccountSecret, 0, len(secrets))
	for _, s := range secrets {
		if created != nil && created.id == s.ID {
			out = append(out, secretToAPI(s, created))
		} else {
			out = append(out, secretToAPI(s, nil))
		}
	}
	return &out
}

// secretToAPI shows a secret: masked, and in the response that creates it also in full.
func secretToAPI(s store.Secret, created *createdSecret) atlasapi.ServiceAccountSecret {
	out := atlasapi.ServiceAccountSecret{
		CreatedAt:         handlers.Timestamp(s.CreatedAt),
		ExpiresAt:         handlers.Timestamp(s.ExpiresAt),
		Id:                new(s.ID),
		MaskedSecretValue: new(s.Masked()),
	}
	if s.LastUsedAt != nil {
		out.LastUsedAt = handlers.Timestamp(*s.LastUsedAt)
	}
	if created != nil {
		out.Secret = new(created.value)
	}
	return out
}

func serviceAccountAccessListPage(ctx context.Context, sa store.ServiceAccount, p handlers.Page) atlasapi.PaginatedServiceAccountIPAccessEntryView {
	results := make([]atlasapi.ServiceAccountIPAccessListEntry, 0, p.Size)
	for _, e := range handlers.Paginate(sa.AccessList, p) {
		entry := atlasapi.ServiceAccountIPAccessListEntry{
			CidrBlock:       new(e.CIDR),
			CreatedAt:       handlers.Timestamp(e.CreatedAt),
			IpAddress:       handlers.NonEmpty(e.IPAddress),
			LastUsedAddress: handlers.NonEmpty(e.LastUsedAddress),
			RequestCount:    new(int32(e.RequestCount)),
		}
		if e.LastUsedAt != nil {
			entry.LastUsedAt = handlers.Timestamp(*e.LastUsedAt)
		}
		results = append(results, entry)
	}
	pi := p.Info(ctx, len(sa.AccessList))
	return atlasapi.PaginatedServiceAccountIPAccessEntryView{Links: pi.Links, Results: &results, TotalCount: pi.TotalCount}
}
