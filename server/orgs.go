package server

import (
	"context"
	"slices"
	"strings"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/roles"
	"github.com/atlasstub/atlasstub/server/store"
)

func (h *atlasHandlers) ListOrgs(ctx context.Context, req atlasapi.ListOrgsRequestObject) (atlasapi.ListOrgsResponseObject, error) {
	var all []store.Org
	err := h.view(func(tx *store.Tx) (err error) {
		all, err = tx.Orgs()
		return err
	})
	if err != nil {
		return nil, err
	}
	caller := callerOf(ctx)
	all = slices.DeleteFunc(all, func(o store.Org) bool { return len(caller.RolesInOrg(o.ID)) == 0 })
	all = withNamePrefix(all, req.Params.Name, func(o store.Org) string { return o.Name })
	p := pageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount)
	results := make([]atlasapi.AtlasOrganization, 0, p.size)
	for _, org := range paginate(all, p) {
		results = append(results, orgToAPI(ctx, org))
	}
	lp := infoFrom(ctx).pageOfList(p, len(all))
	return atlasapi.ListOrgs200ApplicationVndAtlas20230101PlusJSONResponse{Links: lp.links, Results: &results, TotalCount: lp.totalCount}, nil
}

func (h *atlasHandlers) GetOrg(ctx context.Context, req atlasapi.GetOrgRequestObject) (atlasapi.GetOrgResponseObject, error) {
	var org store.Org
	err := h.view(func(tx *store.Tx) (err error) {
		org, err = tx.Org(req.OrgId)
		return err
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.GetOrg200ApplicationVndAtlas20230101PlusJSONResponse(orgToAPI(ctx, org)), nil
}

func (h *atlasHandlers) GetOrgGroups(ctx context.Context, req atlasapi.GetOrgGroupsRequestObject) (atlasapi.GetOrgGroupsResponseObject, error) {
	var inOrg []store.Project
	err := h.view(func(tx *store.Tx) error {
		if _, err := tx.Org(req.OrgId); err != nil {
			return err
		}
		var err error
		inOrg, err = tx.Projects(req.OrgId)
		return err
	})
	if err != nil {
		return nil, err
	}
	inOrg = withNamePrefix(projectsCallerCanUse(ctx, inOrg, []string{roles.GroupReadOnly}), req.Params.Name, func(p store.Project) string { return p.Name })
	page := projectPage(ctx, inOrg, pageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	return atlasapi.GetOrgGroups200ApplicationVndAtlas20230101PlusJSONResponse(page), nil
}

func (h *atlasHandlers) GetOrgSettings(ctx context.Context, req atlasapi.GetOrgSettingsRequestObject) (atlasapi.GetOrgSettingsResponseObject, error) {
	var org store.Org
	err := h.view(func(tx *store.Tx) (err error) {
		org, err = tx.Org(req.OrgId)
		return err
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.GetOrgSettings200ApplicationVndAtlas20230101PlusJSONResponse(settingsToAPI(org.Settings)), nil
}

func (h *atlasHandlers) UpdateOrgSettings(ctx context.Context, req atlasapi.UpdateOrgSettingsRequestObject) (atlasapi.UpdateOrgSettingsResponseObject, error) {
	change, err := requireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	var org store.Org
	err = h.update(func(tx *store.Tx) error {
		current, err := tx.Org(req.OrgId)
		if err != nil {
			return err
		}
		org, err = tx.UpdateOrgSettings(req.OrgId, settingsFromAPI(current.Settings, change))
		return err
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.UpdateOrgSettings200ApplicationVndAtlas20230101PlusJSONResponse(settingsToAPI(org.Settings)), nil
}

func orgToAPI(ctx context.Context, org store.Org) atlasapi.AtlasOrganization {
	return atlasapi.AtlasOrganization{
		Id:                        ptr(org.ID),
		IsDeleted:                 ptr(false),
		Links:                     linksTo(ctx, "orgs", org.ID),
		Name:                      org.Name,
		SkipDefaultAlertsSettings: ptr(false),
	}
}

func settingsToAPI(s store.OrgSettings) atlasapi.OrganizationSettings {
	out := atlasapi.OrganizationSettings{
		ApiAccessListRequired:                  ptr(s.APIAccessListRequired),
		GenAIFeaturesEnabled:                   ptr(s.GenAIFeaturesEnabled),
		MaxServiceAccountSecretValidityInHours: ptr(int32(s.MaxSecretValidityHours)),
		MultiFactorAuthRequired:                ptr(s.MultiFactorAuthRequired),
		RestrictEmployeeAccess:                 ptr(s.RestrictEmployeeAccess),
		StreamsCrossGroupEnabled:               ptr(s.StreamsCrossGroupEnabled),
	}
	if s.SecurityContact != "" {
		out.SecurityContact = ptr(s.SecurityContact)
	}
	if t := s.SessionTimeouts; t != nil {
		out.CustomSessionTimeouts = &atlasapi.CustomSessionTimeouts{
			AbsoluteSessionTimeoutInSeconds: int32Ptr(t.AbsoluteSeconds),
			IdleSessionTimeoutInSeconds:     int32Ptr(t.IdleSeconds),
		}
	}
	return out
}

// settingsFromAPI applies the fields a PATCH sets to the current settings.
func settingsFromAPI(s store.OrgSettings, change atlasapi.OrganizationSettings) store.OrgSettings {
	s.APIAccessListRequired = valueOr(change.ApiAccessListRequired, s.APIAccessListRequired)
	s.GenAIFeaturesEnabled = valueOr(change.GenAIFeaturesEnabled, s.GenAIFeaturesEnabled)
	if change.MaxServiceAccountSecretValidityInHours != nil {
		s.MaxSecretValidityHours = int(*change.MaxServiceAccountSecretValidityInHours)
	}
	s.MultiFactorAuthRequired = valueOr(change.MultiFactorAuthRequired, s.MultiFactorAuthRequired)
	s.RestrictEmployeeAccess = valueOr(change.RestrictEmployeeAccess, s.RestrictEmployeeAccess)
	s.SecurityContact = valueOr(change.SecurityContact, s.SecurityContact)
	s.StreamsCrossGroupEnabled = valueOr(change.StreamsCrossGroupEnabled, s.StreamsCrossGroupEnabled)
	if t := change.CustomSessionTimeouts; t != nil {
		s.SessionTimeouts = &store.SessionTimeouts{
			AbsoluteSeconds: intPtr(t.AbsoluteSessionTimeoutInSeconds),
			IdleSeconds:     intPtr(t.IdleSessionTimeoutInSeconds),
		}
	}
	return s
}

// withNamePrefix keeps the items whose name starts with prefix, ignoring case, as Atlas's name
// filters do; a nil prefix keeps everything.
func withNamePrefix[T any](items []T, prefix *string, name func(T) string) []T {
	if prefix == nil || *prefix == "" {
		return items
	}
	want := strings.ToLower(*prefix)
	var out []T
	for _, item := range items {
		if strings.HasPrefix(strings.ToLower(name(item)), want) {
			out = append(out, item)
		}
	}
	return out
}

func int32Ptr(v *int) *int32 {
	if v == nil {
		return nil
	}
	return ptr(int32(*v))
}

func intPtr(v *int32) *int {
	if v == nil {
		return nil
	}
	return ptr(int(*v))
}
