package server

import (
	"context"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/store"
)

func (h *atlasHandlers) GetGroupUserSecurity(ctx context.Context, req atlasapi.GetGroupUserSecurityRequestObject) (atlasapi.GetGroupUserSecurityResponseObject, error) {
	security, err := h.userSecurity(ctx, req.GroupId)
	if err != nil {
		return nil, err
	}
	return atlasapi.GetGroupUserSecurity200ApplicationVndAtlas20230101PlusJSONResponse(security), nil
}

func (h *atlasHandlers) UpdateGroupUserSecurity(ctx context.Context, req atlasapi.UpdateGroupUserSecurityRequestObject) (atlasapi.UpdateGroupUserSecurityResponseObject, error) {
	security, err := h.updateUserSecurity(ctx, req.GroupId, req.JSONBody)
	if err != nil {
		return nil, err
	}
	return atlasapi.UpdateGroupUserSecurity202ApplicationVndAtlas20230101PlusJSONResponse(security), nil
}

func (h *atlasHandlers) DisableGroupUserSecurityCustomerX509(ctx context.Context, req atlasapi.DisableGroupUserSecurityCustomerX509RequestObject) (atlasapi.DisableGroupUserSecurityCustomerX509ResponseObject, error) {
	security, err := h.disableCustomerX509(ctx, req.GroupId)
	if err != nil {
		return nil, err
	}
	return atlasapi.DisableGroupUserSecurityCustomerX509202ApplicationVndAtlas20230101PlusJSONResponse(security), nil
}

func (h *atlasHandlers) userSecurity(ctx context.Context, groupID string) (atlasapi.UserSecurity, error) {
	p, err := h.project(groupID)
	if err != nil {
		return atlasapi.UserSecurity{}, err
	}
	return userSecurityToAPI(ctx, p), nil
}

// updateUserSecurity sets the parts of the settings that the request names.
func (h *atlasHandlers) updateUserSecurity(ctx context.Context, groupID string, body *atlasapi.UserSecurity) (atlasapi.UserSecurity, error) {
	change, err := requireBody(body)
	if err != nil {
		return atlasapi.UserSecurity{}, err
	}
	var p store.Project
	err = h.update(func(tx *store.Tx) error {
		current, err := tx.Project(groupID)
		if err != nil {
			return err
		}
		security := current.Security
		if change.CustomerX509 != nil {
			security.CustomerCAs = valueOr(change.CustomerX509.Cas, "")
		}
		if change.Ldap != nil {
			security.LDAP = ldapFromAPI(security.LDAP, *change.Ldap)
		}
		p, err = tx.SetUserSecurity(groupID, security)
		return err
	})
	if err != nil {
		return atlasapi.UserSecurity{}, err
	}
	return userSecurityToAPI(ctx, p), nil
}

func (h *atlasHandlers) disableCustomerX509(ctx context.Context, groupID string) (atlasapi.UserSecurity, error) {
	var p store.Project
	err := h.update(func(tx *store.Tx) error {
		current, err := tx.Project(groupID)
		if err != nil {
			return err
		}
		security := current.Security
		security.CustomerCAs = ""
		p, err = tx.SetUserSecurity(groupID, security)
		return err
	})
	if err != nil {
		return atlasapi.UserSecurity{}, err
	}
	return userSecurityToAPI(ctx, p), nil
}

func userSecurityToAPI(ctx context.Context, p store.Project) atlasapi.UserSecurity {
	l := p.Security.LDAP
	ldap := atlasapi.LDAPSecuritySettings{
		AuthenticationEnabled: ptr(l.AuthenticationEnabled),
		AuthorizationEnabled:  ptr(l.AuthorizationEnabled),
		AuthzQueryTemplate:    ptr(valueOrDefault(l.AuthzQueryTemplate, "{USER}?memberOf?base")),
		Port:                  ptr(int32(valueOrDefault(l.Port, 636))),
		BindUsername:          nonEmpty(l.BindUsername),
		CaCertificate:         nonEmpty(l.CACertificate),
		Hostname:              nonEmpty(l.Hostname),
	}
	if len(l.UserToDNMapping) > 0 {
		mappings := make([]atlasapi.UserToDNMapping, 0, len(l.UserToDNMapping))
		for _, m := range l.UserToDNMapping {
			mappings = append(mappings, atlasapi.UserToDNMapping{Match: m.Match, LdapQuery: nonEmpty(m.LDAPQuery), Substitution: nonEmpty(m.Substitution)})
		}
		ldap.UserToDNMapping = &mappings
	}
	out := atlasapi.UserSecurity{Ldap: &ldap, Links: linksTo(ctx, "groups", p.ID, "userSecurity")}
	if p.Security.CustomerCAs != "" {
		out.CustomerX509 = &atlasapi.DBUserTLSX509Settings{Cas: ptr(p.Security.CustomerCAs)}
	}
	return out
}

// ldapFromAPI applies the LDAP fields a request sets. The bind password is write-only and the
// stub has no LDAP host to use it with, so it is not kept.
func ldapFromAPI(l store.LDAPSettings, change atlasapi.LDAPSecuritySettings) store.LDAPSettings {
	l.AuthenticationEnabled = valueOr(change.AuthenticationEnabled, l.AuthenticationEnabled)
	l.AuthorizationEnabled = valueOr(change.AuthorizationEnabled, l.AuthorizationEnabled)
	l.AuthzQueryTemplate = valueOr(change.AuthzQueryTemplate, l.AuthzQueryTemplate)
	l.BindUsername = valueOr(change.BindUsername, l.BindUsername)
	l.CACertificate = valueOr(change.CaCertificate, l.CACertificate)
	l.Hostname = valueOr(change.Hostname, l.Hostname)
	if change.Port != nil {
		l.Port = int(*change.Port)
	}
	if change.UserToDNMapping != nil {
		l.UserToDNMapping = nil
		for _, m := range *change.UserToDNMapping {
			l.UserToDNMapping = append(l.UserToDNMapping, store.UserToDNMapping{Match: m.Match, LDAPQuery: valueOr(m.LdapQuery, ""), Substitution: valueOr(m.Substitution, "")})
		}
	}
	return l
}

func valueOrDefault[T comparable](v, fallback T) T {
	var zero T
	if v == zero {
		return fallback
	}
	return v
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
