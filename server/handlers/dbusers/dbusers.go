// Package dbusers serves database users, on the v2 and the legacy v1.0 paths.
package dbusers

import (
	"context"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/handlers"
	"github.com/atlasstub/atlasstub/server/store"
)

// Handlers serve the database user operations.
type Handlers struct{ store *store.Store }

// New returns the handlers over their state.
func New(s *store.Store) *Handlers { return &Handlers{store: s} }

func (h *Handlers) ListGroupDatabaseUsers(ctx context.Context, req atlasapi.ListGroupDatabaseUsersRequestObject) (atlasapi.ListGroupDatabaseUsersResponseObject, error) {
	all, err := store.Read(h.store, func(tx *store.Tx) ([]store.DatabaseUser, error) { return tx.DatabaseUsers(req.GroupId) })
	if err != nil {
		return nil, err
	}
	p := handlers.PageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount)
	results := make([]atlasapi.CloudDatabaseUser, 0, p.Size)
	for _, u := range handlers.Paginate(all, p) {
		results = append(results, databaseUserToAPI(ctx, u))
	}
	pi := p.Info(ctx, len(all))
	return atlasapi.ListGroupDatabaseUsers200ApplicationVndAtlas20230101PlusJSONResponse{Links: pi.Links, Results: &results, TotalCount: pi.TotalCount}, nil
}

func (h *Handlers) CreateGroupDatabaseUser(ctx context.Context, req atlasapi.CreateGroupDatabaseUserRequestObject) (atlasapi.CreateGroupDatabaseUserResponseObject, error) {
	created, err := h.createDatabaseUser(ctx, req.GroupId, req.JSONBody)
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateGroupDatabaseUser201ApplicationVndAtlas20230101PlusJSONResponse(created), nil
}

func (h *Handlers) GetGroupDatabaseUser(ctx context.Context, req atlasapi.GetGroupDatabaseUserRequestObject) (atlasapi.GetGroupDatabaseUserResponseObject, error) {
	u, err := h.databaseUser(ctx, req.GroupId, req.DatabaseName, req.Username)
	if err != nil {
		return nil, err
	}
	return atlasapi.GetGroupDatabaseUser200ApplicationVndAtlas20230101PlusJSONResponse(u), nil
}

func (h *Handlers) UpdateGroupDatabaseUser(ctx context.Context, req atlasapi.UpdateGroupDatabaseUserRequestObject) (atlasapi.UpdateGroupDatabaseUserResponseObject, error) {
	change, err := handlers.RequireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	if err := checkBodyGroup(req.GroupId, change.GroupId); err != nil {
		return nil, err
	}
	updated, err := store.Write(h.store, func(tx *store.Tx) (store.DatabaseUser, error) {
		current, err := tx.DatabaseUser(req.GroupId, req.DatabaseName, req.Username)
		if err != nil {
			return store.DatabaseUser{}, err
		}
		return tx.UpdateDatabaseUser(current, applyDatabaseUserChange(current, change))
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.UpdateGroupDatabaseUser200ApplicationVndAtlas20230101PlusJSONResponse(databaseUserToAPI(ctx, updated)), nil
}

func (h *Handlers) DeleteGroupDatabaseUser(ctx context.Context, req atlasapi.DeleteGroupDatabaseUserRequestObject) (atlasapi.DeleteGroupDatabaseUserResponseObject, error) {
	err := h.store.Update(func(tx *store.Tx) error {
		return tx.DeleteDatabaseUser(req.GroupId, req.DatabaseName, req.Username)
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.DeleteGroupDatabaseUser204Response{}, nil
}

// createDatabaseUser serves the v2 and the legacy v1.0 create.
func (h *Handlers) createDatabaseUser(ctx context.Context, groupID string, body *atlasapi.CloudDatabaseUser) (atlasapi.CloudDatabaseUser, error) {
	u, err := handlers.RequireBody(body)
	if err != nil {
		return atlasapi.CloudDatabaseUser{}, err
	}
	if err := checkBodyGroup(groupID, u.GroupId); err != nil {
		return atlasapi.CloudDatabaseUser{}, err
	}
	record := applyDatabaseUserChange(store.DatabaseUser{
		ProjectID:    groupID,
		Username:     u.Username,
		DatabaseName: string(u.DatabaseName),
		X509Type:     store.AuthNone,
		AWSIAMType:   store.AuthNone,
		LDAPAuthType: store.AuthNone,
		OIDCAuthType: store.AuthNone,
	}, u)
	created, err := store.Write(h.store, func(tx *store.Tx) (store.DatabaseUser, error) { return tx.CreateDatabaseUser(record) })
	if err != nil {
		return atlasapi.CloudDatabaseUser{}, err
	}
	return databaseUserToAPI(ctx, created), nil
}

// databaseUser serves the v2 and the legacy v1.0 get.
func (h *Handlers) databaseUser(ctx context.Context, groupID, databaseName, username string) (atlasapi.CloudDatabaseUser, error) {
	u, err := store.Read(h.store, func(tx *store.Tx) (store.DatabaseUser, error) {
		return tx.DatabaseUser(groupID, databaseName, username)
	})
	if err != nil {
		return atlasapi.CloudDatabaseUser{}, err
	}
	return databaseUserToAPI(ctx, u), nil
}

// checkBodyGroup refuses a body whose groupId names another project than the path.
func checkBodyGroup(pathGroupID, bodyGroupID string) error {
	if bodyGroupID != pathGroupID {
		return apierror.InvalidAttribute.ForField("groupId", "the groupId in the body must be the project of the path, "+pathGroupID)
	}
	return nil
}

// applyDatabaseUserChange returns u with every field that the request sets. Identity fields
// (username, database, authentication types) are copied too, so that the store can refuse to
// change them.
func applyDatabaseUserChange(u store.DatabaseUser, change atlasapi.CloudDatabaseUser) store.DatabaseUser {
	u.Username = change.Username
	u.DatabaseName = string(change.DatabaseName)
	if change.X509Type != nil {
		u.X509Type = string(*change.X509Type)
	}
	if change.AwsIAMType != nil {
		u.AWSIAMType = string(*change.AwsIAMType)
	}
	if change.LdapAuthType != nil {
		u.LDAPAuthType = string(*change.LdapAuthType)
	}
	if change.OidcAuthType != nil {
		u.OIDCAuthType = string(*change.OidcAuthType)
	}
	if change.Password != nil {
		u.PasswordHash = store.HashPassword(*change.Password)
	}
	u.Description = handlers.ValueOr(change.Description, u.Description)
	if change.DeleteAfterDate != nil {
		u.DeleteAfterDate = change.DeleteAfterDate
	}
	if change.Labels != nil {
		u.Labels = make([]store.Tag, 0, len(*change.Labels))
		for _, l := range *change.Labels {
			u.Labels = append(u.Labels, store.Tag{Key: handlers.ValueOr(l.Key, ""), Value: handlers.ValueOr(l.Value, "")})
		}
	}
	if change.Roles != nil {
		u.Roles = make([]store.DatabaseRole, 0, len(*change.Roles))
		for _, r := range *change.Roles {
			u.Roles = append(u.Roles, store.DatabaseRole{RoleName: r.RoleName, DatabaseName: r.DatabaseName, CollectionName: handlers.ValueOr(r.CollectionName, "")})
		}
	}
	if change.Scopes != nil {
		u.Scopes = make([]store.Scope, 0, len(*change.Scopes))
		for _, s := range *change.Scopes {
			u.Scopes = append(u.Scopes, store.Scope{Name: s.Name, Type: string(s.Type)})
		}
	}
	return u
}

func databaseUserToAPI(ctx context.Context, u store.DatabaseUser) atlasapi.CloudDatabaseUser {
	out := atlasapi.CloudDatabaseUser{
		AwsIAMType:   new(atlasapi.CloudDatabaseUserAwsIAMType(u.AWSIAMType)),
		DatabaseName: atlasapi.CloudDatabaseUserDatabaseName(u.DatabaseName),
		GroupId:      u.ProjectID,
		LdapAuthType: new(atlasapi.CloudDatabaseUserLdapAuthType(u.LDAPAuthType)),
		Links:        handlers.Links(ctx, "groups", u.ProjectID, "databaseUsers", u.DatabaseName, u.Username),
		OidcAuthType: new(atlasapi.CloudDatabaseUserOidcAuthType(u.OIDCAuthType)),
		Username:     u.Username,
		X509Type:     new(atlasapi.CloudDatabaseUserX509Type(u.X509Type)),
		Labels:       &[]atlasapi.ComponentLabel{},
		Roles:        &[]atlasapi.DatabaseUserRole{},
		Scopes:       &[]atlasapi.UserScope{},
	}
	if u.Description != "" {
		out.Description = new(u.Description)
	}
	if u.DeleteAfterDate != nil {
		out.DeleteAfterDate = handlers.Timestamp(*u.DeleteAfterDate)
	}
	for _, l := range u.Labels {
		*out.Labels = append(*out.Labels, atlasapi.ComponentLabel{Key: new(l.Key), Value: new(l.Value)})
	}
	for _, r := range u.Roles {
		role := atlasapi.DatabaseUserRole{RoleName: r.RoleName, DatabaseName: r.DatabaseName}
		if r.CollectionName != "" {
			role.CollectionName = new(r.CollectionName)
		}
		*out.Roles = append(*out.Roles, role)
	}
	for _, s := range u.Scopes {
		*out.Scopes = append(*out.Scopes, atlasapi.UserScope{Name: s.Name, Type: atlasapi.UserScopeType(s.Type)})
	}
	return out
}
