package server

import (
	"context"
	"slices"
	"strconv"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/ids"
	"github.com/atlasstub/atlasstub/server/store"
)

// Service accounts belong to an organization. The project paths show the accounts assigned to a
// project, with their roles there, and act on the same accounts.

// cloudManagerMaxSecretHours is the longest secret lifetime on the Cloud Manager path.
const cloudManagerMaxSecretHours = 8766

func (h *atlasHandlers) ListOrgServiceAccounts(ctx context.Context, req atlasapi.ListOrgServiceAccountsRequestObject) (atlasapi.ListOrgServiceAccountsResponseObject, error) {
	var accounts []store.ServiceAccount
	err := h.view(func(tx *store.Tx) (err error) {
		accounts, err = tx.ServiceAccounts(req.OrgId)
		return err
	})
	if err != nil {
		return nil, err
	}
	p := pageOf(req.Params.PageNum, req.Params.ItemsPerPage, nil)
	results := make([]atlasapi.OrgServiceAccount, 0, p.size)
	for _, sa := range paginate(accounts, p) {
		results = append(results, orgServiceAccountToAPI(sa, nil))
	}
	lp := infoFrom(ctx).pageOfList(p, len(accounts))
	return atlasapi.ListOrgServiceAccounts200ApplicationVndAtlas20240805PlusJSONResponse{Links: lp.links, Results: &results, TotalCount: lp.totalCount}, nil
}

func (h *atlasHandlers) CreateOrgServiceAccount(ctx context.Context, req atlasapi.CreateOrgServiceAccountRequestObject) (atlasapi.CreateOrgServiceAccountResponseObject, error) {
	sa, secret, err := h.createOrgServiceAccount(req.OrgId, req.JSONBody, 0)
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateOrgServiceAccount201ApplicationVndAtlas20240805PlusJSONResponse(orgServiceAccountToAPI(sa, secret)), nil
}

func (h *atlasHandlers) GetOrgServiceAccount(ctx context.Context, req atlasapi.GetOrgServiceAccountRequestObject) (atlasapi.GetOrgServiceAccountResponseObject, error) {
	sa, err := h.serviceAccount(req.OrgId, req.ClientId)
	if err != nil {
		return nil, err
	}
	return atlasapi.GetOrgServiceAccount200ApplicationVndAtlas20240805PlusJSONResponse(orgServiceAccountToAPI(sa, nil)), nil
}

func (h *atlasHandlers) UpdateOrgServiceAccount(ctx context.Context, req atlasapi.UpdateOrgServiceAccountRequestObject) (atlasapi.UpdateOrgServiceAccountResponseObject, error) {
	change, err := requireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	var sa store.ServiceAccount
	err = h.update(func(tx *store.Tx) error {
		current, err := tx.ServiceAccount(req.OrgId, req.ClientId)
		if err != nil {
			return err
		}
		current.Name = valueOr(change.Name, current.Name)
		current.Description = valueOr(change.Description, current.Description)
		if change.Roles != nil {
			current.Grants.Org = roleNames(*change.Roles)
		}
		sa, err = tx.UpdateServiceAccount(current)
		return err
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.UpdateOrgServiceAccount200ApplicationVndAtlas20240805PlusJSONResponse(orgServiceAccountToAPI(sa, nil)), nil
}

func (h *atlasHandlers) DeleteOrgServiceAccount(ctx context.Context, req atlasapi.DeleteOrgServiceAccountRequestObject) (atlasapi.DeleteOrgServiceAccountResponseObject, error) {
	if err := h.update(func(tx *store.Tx) error { return tx.DeleteServiceAccount(req.OrgId, req.ClientId) }); err != nil {
		return nil, err
	}
	return atlasapi.DeleteOrgServiceAccount204Response{}, nil
}

func (h *atlasHandlers) ListOrgServiceAccountAccessList(ctx context.Context, req atlasapi.ListOrgServiceAccountAccessListRequestObject) (atlasapi.ListOrgServiceAccountAccessListResponseObject, error) {
	sa, err := h.serviceAccount(req.OrgId, req.ClientId)
	if err != nil {
		return nil, err
	}
	page := serviceAccountAccessListPage(ctx, sa, pageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	return atlasapi.ListOrgServiceAccountAccessList200ApplicationVndAtlas20240805PlusJSONResponse(page), nil
}

func (h *atlasHandlers) CreateOrgServiceAccountAccessList(ctx context.Context, req atlasapi.CreateOrgServiceAccountAccessListRequestObject) (atlasapi.CreateOrgServiceAccountAccessListResponseObject, error) {
	sa, err := h.addServiceAccountAccessList(func(tx *store.Tx) (string, error) { return req.OrgId, nil }, req.ClientId, req.JSONBody)
	if err != nil {
		return nil, err
	}
	page := serviceAccountAccessListPage(ctx, sa, pageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	return atlasapi.CreateOrgServiceAccountAccessList200ApplicationVndAtlas20240805PlusJSONResponse(page), nil
}

func (h *atlasHandlers) DeleteOrgServiceAccountAccessListEntry(ctx context.Context, req atlasapi.DeleteOrgServiceAccountAccessListEntryRequestObject) (atlasapi.DeleteOrgServiceAccountAccessListEntryResponseObject, error) {
	err := h.update(func(tx *store.Tx) error {
		return tx.RemoveServiceAccountAccessListEntry(req.OrgId, req.ClientId, req.IpAddress, protectedAddress(ctx, req.ClientId))
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.DeleteOrgServiceAccountAccessListEntry204Response{}, nil
}

func (h *atlasHandlers) GetOrgServiceAccountGroups(ctx context.Context, req atlasapi.GetOrgServiceAccountGroupsRequestObject) (atlasapi.GetOrgServiceAccountGroupsResponseObject, error) {
	sa, err := h.serviceAccount(req.OrgId, req.ClientId)
	if err != nil {
		return nil, err
	}
	var projectIDs []string
	for id := range sa.Grants.Projects {
		projectIDs = append(projectIDs, id)
	}
	slices.Sort(projectIDs) // ObjectIds: oldest project first
	p := pageOf(req.Params.PageNum, req.Params.ItemsPerPage, nil)
	results := make([]atlasapi.ServiceAccountGroup, 0, p.size)
	for _, id := range paginate(projectIDs, p) {
		results = append(results, atlasapi.ServiceAccountGroup{GroupId: ptr(id)})
	}
	lp := infoFrom(ctx).pageOfList(p, len(projectIDs))
	return atlasapi.GetOrgServiceAccountGroups200ApplicationVndAtlas20240805PlusJSONResponse{Links: lp.links, Results: &results, TotalCount: lp.totalCount}, nil
}

func (h *atlasHandlers) CreateOrgServiceAccountSecret(ctx context.Context, req atlasapi.CreateOrgServiceAccountSecretRequestObject) (atlasapi.CreateOrgServiceAccountSecretResponseObject, error) {
	body, err := requireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	secret, err := h.addSecret(func(*store.Tx) (string, error) { return req.OrgId, nil }, req.ClientId, int(body.SecretExpiresAfterHours), 0)
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateOrgServiceAccountSecret201ApplicationVndAtlas20240805PlusJSONResponse(secret), nil
}

func (h *atlasHandlers) DeleteOrgServiceAccountSecret(ctx context.Context, req atlasapi.DeleteOrgServiceAccountSecretRequestObject) (atlasapi.DeleteOrgServiceAccountSecretResponseObject, error) {
	if err := h.update(func(tx *store.Tx) error { return tx.DeleteSecret(req.OrgId, req.ClientId, req.SecretId) }); err != nil {
		return nil, err
	}
	return atlasapi.DeleteOrgServiceAccountSecret204Response{}, nil
}

func (h *atlasHandlers) ListGroupServiceAccounts(ctx context.Context, req atlasapi.ListGroupServiceAccountsRequestObject) (atlasapi.ListGroupServiceAccountsResponseObject, error) {
	var accounts []store.ServiceAccount
	err := h.view(func(tx *store.Tx) (err error) {
		accounts, err = tx.ProjectServiceAccounts(req.GroupId)
		return err
	})
	if err != nil {
		return nil, err
	}
	p := pageOf(req.Params.PageNum, req.Params.ItemsPerPage, nil)
	results := make([]atlasapi.GroupServiceAccount, 0, p.size)
	for _, sa := range paginate(accounts, p) {
		results = append(results, groupServiceAccountToAPI(sa, req.GroupId, nil))
	}
	lp := infoFrom(ctx).pageOfList(p, len(accounts))
	return atlasapi.ListGroupServiceAccounts200ApplicationVndAtlas20240805PlusJSONResponse{Links: lp.links, Results: &results, TotalCount: lp.totalCount}, nil
}

// CreateGroupServiceAccount creates a service account in the project's organization, a member
// of it, assigned to the project with the given project roles.
func (h *atlasHandlers) CreateGroupServiceAccount(ctx context.Context, req atlasapi.CreateGroupServiceAccountRequestObject) (atlasapi.CreateGroupServiceAccountResponseObject, error) {
	body, err := requireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	if err := store.ProjectRolesOnly(req.GroupId, body.Roles); err != nil {
		return nil, err
	}
	var created store.ServiceAccount
	var secret *createdSecret
	err = h.update(func(tx *store.Tx) error {
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

func (h *atlasHandlers) GetGroupServiceAccount(ctx context.Context, req atlasapi.GetGroupServiceAccountRequestObject) (atlasapi.GetGroupServiceAccountResponseObject, error) {
	var sa store.ServiceAccount
	err := h.view(func(tx *store.Tx) (err error) {
		sa, err = tx.ProjectServiceAccount(req.GroupId, req.ClientId)
		return err
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.GetGroupServiceAccount200ApplicationVndAtlas20240805PlusJSONResponse(groupServiceAccountToAPI(sa, req.GroupId, nil)), nil
}

func (h *atlasHandlers) UpdateGroupServiceAccount(ctx context.Context, req atlasapi.UpdateGroupServiceAccountRequestObject) (atlasapi.UpdateGroupServiceAccountResponseObject, error) {
	change, err := requireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	if change.Roles != nil {
		if err := store.ProjectRolesOnly(req.GroupId, *change.Roles); err != nil {
			return nil, err
		}
	}
	var sa store.ServiceAccount
	err = h.update(func(tx *store.Tx) error {
		current, err := tx.ProjectServiceAccount(req.GroupId, req.ClientId)
		if err != nil {
			return err
		}
		current.Name = valueOr(change.Name, current.Name)
		current.Description = valueOr(change.Description, current.Description)
		if change.Roles != nil && len(*change.Roles) > 0 {
			current.Grants = current.Grants.WithProject(req.GroupId, *change.Roles)
		}
		sa, err = tx.UpdateServiceAccount(current)
		return err
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.UpdateGroupServiceAccount200ApplicationVndAtlas20240805PlusJSONResponse(groupServiceAccountToAPI(sa, req.GroupId, nil)), nil
}

func (h *atlasHandlers) DeleteGroupServiceAccount(ctx context.Context, req atlasapi.DeleteGroupServiceAccountRequestObject) (atlasapi.DeleteGroupServiceAccountResponseObject, error) {
	if err := h.update(func(tx *store.Tx) error { return tx.UnassignServiceAccount(req.GroupId, req.ClientId) }); err != nil {
		return nil, err
	}
	return atlasapi.DeleteGroupServiceAccount204Response{}, nil
}

func (h *atlasHandlers) ListGroupServiceAccountAccessList(ctx context.Context, req atlasapi.ListGroupServiceAccountAccessListRequestObject) (atlasapi.ListGroupServiceAccountAccessListResponseObject, error) {
	var sa store.ServiceAccount
	err := h.view(func(tx *store.Tx) (err error) {
		sa, err = tx.ProjectServiceAccount(req.GroupId, req.ClientId)
		return err
	})
	if err != nil {
		return nil, err
	}
	page := serviceAccountAccessListPage(ctx, sa, pageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	return atlasapi.ListGroupServiceAccountAccessList200ApplicationVndAtlas20240805PlusJSONResponse(page), nil
}

func (h *atlasHandlers) CreateGroupServiceAccountAccessList(ctx context.Context, req atlasapi.CreateGroupServiceAccountAccessListRequestObject) (atlasapi.CreateGroupServiceAccountAccessListResponseObject, error) {
	sa, err := h.addServiceAccountAccessList(projectOrg(req.GroupId, req.ClientId), req.ClientId, req.JSONBody)
	if err != nil {
		return nil, err
	}
	page := serviceAccountAccessListPage(ctx, sa, pageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	return atlasapi.CreateGroupServiceAccountAccessList200ApplicationVndAtlas20240805PlusJSONResponse(page), nil
}

func (h *atlasHandlers) DeleteGroupServiceAccountAccessListEntry(ctx context.Context, req atlasapi.DeleteGroupServiceAccountAccessListEntryRequestObject) (atlasapi.DeleteGroupServiceAccountAccessListEntryResponseObject, error) {
	err := h.update(func(tx *store.Tx) error {
		orgID, err := projectOrg(req.GroupId, req.ClientId)(tx)
		if err != nil {
			return err
		}
		return tx.RemoveServiceAccountAccessListEntry(orgID, req.ClientId, req.IpAddress, protectedAddress(ctx, req.ClientId))
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.DeleteGroupServiceAccountAccessListEntry204Response{}, nil
}

func (h *atlasHandlers) CreateGroupServiceAccountSecret(ctx context.Context, req atlasapi.CreateGroupServiceAccountSecretRequestObject) (atlasapi.CreateGroupServiceAccountSecretResponseObject, error) {
	body, err := requireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	secret, err := h.addSecret(projectOrg(req.GroupId, req.ClientId), req.ClientId, int(body.SecretExpiresAfterHours), 0)
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateGroupServiceAccountSecret201ApplicationVndAtlas20240805PlusJSONResponse(secret), nil
}

func (h *atlasHandlers) DeleteGroupServiceAccountSecret(ctx context.Context, req atlasapi.DeleteGroupServiceAccountSecretRequestObject) (atlasapi.DeleteGroupServiceAccountSecretResponseObject, error) {
	err := h.update(func(tx *store.Tx) error {
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

func (h *atlasHandlers) InviteGroupServiceAccount(ctx context.Context, req atlasapi.InviteGroupServiceAccountRequestObject) (atlasapi.InviteGroupServiceAccountResponseObject, error) {
	body, err := requireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	if err := store.ProjectRolesOnly(req.GroupId, body.Roles); err != nil {
		return nil, err
	}
	var sa store.ServiceAccount
	err = h.update(func(tx *store.Tx) (err error) {
		sa, err = tx.AssignServiceAccount(req.GroupId, req.ClientId, body.Roles)
		return err
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.InviteGroupServiceAccount200ApplicationVndAtlas20240805PlusJSONResponse(groupServiceAccountToAPI(sa, req.GroupId, nil)), nil
}

func (h *atlasHandlers) CreateCloudManagerServiceAccount(ctx context.Context, req atlasapi.CreateCloudManagerServiceAccountRequestObject) (atlasapi.CreateCloudManagerServiceAccountResponseObject, error) {
	sa, secret, err := h.createOrgServiceAccount(req.OrgId, req.Body, cloudManagerMaxSecretHours)
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateCloudManagerServiceAccount201JSONResponse(orgServiceAccountToAPI(sa, secret)), nil
}

func (h *atlasHandlers) CreateCloudManagerServiceAccountSecret(ctx context.Context, req atlasapi.CreateCloudManagerServiceAccountSecretRequestObject) (atlasapi.CreateCloudManagerServiceAccountSecretResponseObject, error) {
	body, err := requireBody(req.Body)
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
func (h *atlasHandlers) createOrgServiceAccount(orgID string, body *atlasapi.OrgServiceAccountRequest, maxHours int) (store.ServiceAccount, *createdSecret, error) {
	request, err := requireBody(body)
	if err != nil {
		return store.ServiceAccount{}, nil, err
	}
	var (
		created store.ServiceAccount
		secret  *createdSecret
	)
	err = h.update(func(tx *store.Tx) (err error) {
		created, secret, err = newServiceAccount(tx, orgID, request.Name, request.Description, store.Grants{Org: roleNames(request.Roles)}, int(request.SecretExpiresAfterHours), maxHours)
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
func (h *atlasHandlers) addSecret(orgOf func(*store.Tx) (string, error), clientID string, hours, maxHours int) (atlasapi.ServiceAccountSecret, error) {
	var out atlasapi.ServiceAccountSecret
	err := h.update(func(tx *store.Tx) error {
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

func (h *atlasHandlers) addServiceAccountAccessList(orgOf func(*store.Tx) (string, error), clientID string, body *[]atlasapi.ServiceAccountIPAccessListEntry) (store.ServiceAccount, error) {
	entries, err := requireBody(body)
	if err != nil {
		return store.ServiceAccount{}, err
	}
	var sa store.ServiceAccount
	err = h.update(func(tx *store.Tx) error {
		orgID, err := orgOf(tx)
		if err != nil {
			return err
		}
		var added []store.AccessListEntry
		for _, e := range entries {
			entry, err := store.NewAccessListEntry(valueOr(e.IpAddress, ""), valueOr(e.CidrBlock, ""), tx.Now())
			if err != nil {
				return err
			}
			added = append(added, entry)
		}
		sa, err = tx.AddServiceAccountAccessListEntries(orgID, clientID, added)
		return err
	})
	return sa, err
}

func (h *atlasHandlers) serviceAccount(orgID, clientID string) (store.ServiceAccount, error) {
	var sa store.ServiceAccount
	err := h.view(func(tx *store.Tx) (err error) {
		sa, err = tx.ServiceAccount(orgID, clientID)
		return err
	})
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
		ClientId:    ptr(sa.ClientID),
		CreatedAt:   timestamp(sa.CreatedAt),
		Description: ptr(sa.Description),
		Name:        ptr(sa.Name),
		Roles:       &orgRoles,
		Secrets:     secretsToAPI(sa.Secrets, secret),
	}
}

func groupServiceAccountToAPI(sa store.ServiceAccount, projectID string, secret *createdSecret) atlasapi.GroupServiceAccount {
	projectRoles := append([]string{}, sa.Grants.Projects[projectID]...)
	return atlasapi.GroupServiceAccount{
		ClientId:    ptr(sa.ClientID),
		CreatedAt:   timestamp(sa.CreatedAt),
		Description: ptr(sa.Description),
		Name:        ptr(sa.Name),
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
		CreatedAt:         timestamp(s.CreatedAt),
		ExpiresAt:         timestamp(s.ExpiresAt),
		Id:                ptr(s.ID),
		MaskedSecretValue: ptr(s.Masked()),
	}
	if s.LastUsedAt != nil {
		out.LastUsedAt = timestamp(*s.LastUsedAt)
	}
	if created != nil {
		out.Secret = ptr(created.value)
	}
	return out
}

func serviceAccountAccessListPage(ctx context.Context, sa store.ServiceAccount, p page) atlasapi.PaginatedServiceAccountIPAccessEntryView {
	results := make([]atlasapi.ServiceAccountIPAccessListEntry, 0, p.size)
	for _, e := range paginate(sa.AccessList, p) {
		entry := atlasapi.ServiceAccountIPAccessListEntry{
			CidrBlock:       ptr(e.CIDR),
			CreatedAt:       timestamp(e.CreatedAt),
			IpAddress:       nonEmpty(e.IPAddress),
			LastUsedAddress: nonEmpty(e.LastUsedAddress),
			RequestCount:    ptr(int32(e.RequestCount)),
		}
		if e.LastUsedAt != nil {
			entry.LastUsedAt = timestamp(*e.LastUsedAt)
		}
		results = append(results, entry)
	}
	lp := infoFrom(ctx).pageOfList(p, len(sa.AccessList))
	return atlasapi.PaginatedServiceAccountIPAccessEntryView{Links: lp.links, Results: &results, TotalCount: lp.totalCount}
}
