// Package usersecurity serves a project's database user security settings (customer X.509 and
// LDAP), on the v2 and the legacy v1.0 paths.
package usersecurity

import (
	"cmp"
	"context"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/handlers"
	"github.com/atlasstub/atlasstub/server/store"
)

// Handlers serve the user security operations.
type Handlers struct{ store *store.Store }

// New returns the handlers over their state.
func New(s *store.Store) *Handlers { return &Handlers{store: s} }

func (h *Handlers) GetGroupUserSecurity(ctx context.Context, req atlasapi.GetGroupUserSecurityRequestObject) (atlasapi.GetGroupUserSecurityResponseObject, error) {
	security, err := h.userSecurity(ctx, req.GroupId)
	if err != nil {
		return nil, err
	}
	return atlasapi.GetGroupUserSecurity200ApplicationVndAtlas20230101PlusJSONResponse(security), nil
}

func (h *Handlers) UpdateGroupUserSecurity(ctx context.Context, req atlasapi.UpdateGroupUserSecurityRequestObject) (atlasapi.UpdateGroupUserSecurityResponseObject, error) {
	security, err := h.updateUserSecurity(ctx, req.GroupId, req.JSONBody)
	if err != nil {
		return nil, err
	}
	return atlasapi.UpdateGroupUserSecurity202ApplicationVndAtlas20230101PlusJSONResponse(security), nil
}

func (h *Handlers) DisableGroupUserSecurityCustomerX509(ctx context.Context, req atlasapi.DisableGroupUserSecurityCustomerX509RequestObject) (atlasapi.DisableGroupUserSecurityCustomerX509ResponseObject, error) {
	security, err := h.disableCustomerX509(ctx, req.GroupId)
	if err != nil {
		return nil, err
	}
	return atlasapi.DisableGroupUserSecurityCustomerX509202ApplicationVndAtlas20230101PlusJSONResponse(security), nil
}

func (h *Handlers) userSecurity(ctx context.Context, groupID string) (atlasapi.UserSecurity, error) {
	p, err := store.Read(h.store, func(tx *store.Tx) (store.Project, error) { return tx.Project(groupID) })
	if err != nil {
		return atlasapi.UserSecurity{}, err
	}
	return userSecurityToAPI(ctx, p), nil
}

// updateUserSecurity sets the parts of the settings that the request names.
func (h *Handlers) updateUserSecurity(ctx context.Context, groupID string, body *atlasapi.UserSecurity) (atlasapi.UserSecurity, error) {
	change, err := handlers.RequireBody(body)
	if err != nil {
		return atlasapi.UserSecurity{}, err
	}
	p, err := store.Write(h.store, func(tx *store.Tx) (store.Project, error) {
		current, err := tx.Project(groupID)
		if err != nil {
			return store.Project{}, err
		}
		security := current.Security
		if change.CustomerX509 != nil {
			security.CustomerCAs = handlers.ValueOr(change.CustomerX509.Cas, "")
		}
		if change.Ldap != nil {
			security.LDAP = ldapFromAPI(security.LDAP, *change.Ldap)
		}
		return tx.SetUserSecurity(groupID, security)
	})
	if err != nil {
		return atlasapi.UserSecurity{}, err
	}
	return userSecurityToAPI(ctx, p), nil
}

func (h *Handlers) disableCustomerX509(ctx context.Context, groupID string) (atlasapi.UserSecurity, error) {
	p, err := store.Write(h.store, func(tx *store.Tx) (store.Project, error) {
		current, err := tx.Project(groupID)
		if err != nil {
			return store.Project{}, err
		}
		security := current.Security
		security.CustomerCAs = ""
		return tx.SetUserSecurity(groupID, security)
	})
	if err != nil {
		return atlasapi.UserSecurity{}, err
	}
	return userSecurityToAPI(ctx, p), nil
}

func userSecurityToAPI(ctx context.Context, p store.Project) atlasapi.UserSecurity {
	l := p.Security.LDAP
	ldap := atlasapi.LDAPSecuritySettings{
		AuthenticationEnabled: new(l.AuthenticationEnabled),
		AuthorizationEnabled:  new(l.AuthorizationEnabled),
		AuthzQueryTemplate:    new(cmp.Or(l.AuthzQueryTemplate, "{USER}?memberOf?base")),
		Port:                  new(int32(cmp.Or(l.Port, 636))),
		BindUsername:          handlers.NonEmpty(l.BindUsername),
		CaCertificate:         handlers.NonEmpty(l.CACertificate),
		Hostname:              handlers.NonEmpty(l.Hostname),
	}
	if len(l.UserToDNMapping) > 0 {
		mappings := make([]atlasapi.UserToDNMapping, 0, len(l.UserToDNMapping))
		for _, m := range l.UserToDNMapping {
			mappings = append(mappings, atlasapi.UserToDNMapping{Match: m.Match, LdapQuery: handlers.NonEmpty(m.LDAPQuery), Substitution: handlers.NonEmpty(m.Substitution)})
		}
		ldap.UserToDNMapping = &mappings
	}
	out := atlasapi.UserSecurity{Ldap: &ldap, Links: handlers.Links(ctx, "groups", p.ID, "userSecurity")}
	if p.Security.CustomerCAs != "" {
		out.CustomerX509 = &atlasapi.DBUserTLSX509Settings{Cas: new(p.Security.CustomerCAs)}
	}
	return out
}

// ldapFromAPI applies the LDAP fields a request sets. The bind password is write-only and the
// stub has no LDAP host to use it with, so it is not kept.
func ldapFromAPI(l store.LDAPSettings, change atlasapi.LDAPSecuritySettings) store.LDAPSettings {
	l.AuthenticationEnabled = handlers.ValueOr(change.AuthenticationEnabled, l.AuthenticationEnabled)
	l.AuthorizationEnabled = handlers.ValueOr(change.AuthorizationEnabled, l.AuthorizationEnabled)
	l.AuthzQueryTemplate = handlers.ValueOr(change.AuthzQueryTemplate, l.AuthzQueryTemplate)
	l.BindUsername = handlers.ValueOr(change.BindUsername, l.BindUsername)
	l.CACertificate = handlers.ValueOr(change.CaCertificate, l.CACertificate)
	l.Hostname = handlers.ValueOr(change.Hostname, l.Hostname)
	if change.Port != nil {
		l.Port = int(*change.Port)
	}
	if change.UserToDNMapping != nil {
		l.UserToDNMapping = nil
		for _, m := range *change.UserToDNMapping {
			l.UserToDNMapping = append(l.UserToDNMapping, store.UserToDNMapping{Match: m.Match, LDAPQuery: handlers.ValueOr(m.LdapQuery, ""), Substitution: handlers.ValueOr(m.Substitution, "")})
		}
	}
	return l
}
