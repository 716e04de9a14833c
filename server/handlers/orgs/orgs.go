// Package orgs serves organizations and their settings.
package orgs

import (
	"context"
	"slices"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/authz"
	"github.com/atlasstub/atlasstub/server/handlers"
	"github.com/atlasstub/atlasstub/server/store"
)

// Handlers serve the organization operations.
type Handlers struct{ store *store.Store }

// New returns the organization handlers over s.
func New(s *store.Store) *Handlers { return &Handlers{store: s} }

func (h *Handlers) ListOrgs(ctx context.Context, req atlasapi.ListOrgsRequestObject) (atlasapi.ListOrgsResponseObject, error) {
	all, err := store.Read(h.store, func(tx *store.Tx) ([]store.Org, error) { return tx.Orgs() })
	if err != nil {
		return nil, err
	}
	caller := authz.Caller(ctx)
	all = slices.DeleteFunc(all, func(o store.Org) bool { return len(caller.RolesInOrg(o.ID)) == 0 })
	all = handlers.WithNamePrefix(all, req.Params.Name, func(o store.Org) string { return o.Name })
	p := handlers.PageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount)
	results := make([]atlasapi.AtlasOrganization, 0, p.Size)
	for _, org := range handlers.Paginate(all, p) {
		results = append(results, orgToAPI(ctx, org))
	}
	pi := p.Info(ctx, len(all))
	return atlasapi.ListOrgs200ApplicationVndAtlas20230101PlusJSONResponse{Links: pi.Links, Results: &results, TotalCount: pi.TotalCount}, nil
}

func (h *Handlers) GetOrg(ctx context.Context, req atlasapi.GetOrgRequestObject) (atlasapi.GetOrgResponseObject, error) {
	org, err := store.Read(h.store, func(tx *store.Tx) (store.Org, error) { return tx.Org(req.OrgId) })
	if err != nil {
		return nil, err
	}
	return atlasapi.GetOrg200ApplicationVndAtlas20230101PlusJSONResponse(orgToAPI(ctx, org)), nil
}

func (h *Handlers) GetOrgSettings(ctx context.Context, req atlasapi.GetOrgSettingsRequestObject) (atlasapi.GetOrgSettingsResponseObject, error) {
	org, err := store.Read(h.store, func(tx *store.Tx) (store.Org, error) { return tx.Org(req.OrgId) })
	if err != nil {
		return nil, err
	}
	return atlasapi.GetOrgSettings200ApplicationVndAtlas20230101PlusJSONResponse(settingsToAPI(org.Settings)), nil
}

func (h *Handlers) UpdateOrgSettings(ctx context.Context, req atlasapi.UpdateOrgSettingsRequestObject) (atlasapi.UpdateOrgSettingsResponseObject, error) {
	change, err := handlers.RequireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	org, err := store.Write(h.store, func(tx *store.Tx) (store.Org, error) {
		current, err := tx.Org(req.OrgId)
		if err != nil {
			return store.Org{}, err
		}
		return tx.UpdateOrgSettings(req.OrgId, settingsFromAPI(current.Settings, change))
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.UpdateOrgSettings200ApplicationVndAtlas20230101PlusJSONResponse(settingsToAPI(org.Settings)), nil
}

// orgRelated are the resources of an organization that live Atlas links from it, beside itself.
var orgRelated = []string{"groups", "teams", "users"}

func orgToAPI(ctx context.Context, org store.Org) atlasapi.AtlasOrganization {
	return atlasapi.AtlasOrganization{
		Id:                        new(org.ID),
		IsDeleted:                 new(false),
		Links:                     handlers.LinksWithRelated(ctx, orgRelated, "orgs", org.ID),
		Name:                      org.Name,
		SkipDefaultAlertsSettings: new(false),
	}
}

func settingsToAPI(s store.OrgSettings) atlasapi.OrganizationSettings {
	out := atlasapi.OrganizationSettings{
		ApiAccessListRequired:                  new(s.APIAccessListRequired),
		GenAIFeaturesEnabled:                   new(s.GenAIFeaturesEnabled),
		MaxServiceAccountSecretValidityInHours: new(int32(s.MaxSecretValidityHours)),
		MultiFactorAuthRequired:                new(s.MultiFactorAuthRequired),
		RestrictEmployeeAccess:                 new(s.RestrictEmployeeAccess),
		StreamsCrossGroupEnabled:               new(s.StreamsCrossGroupEnabled),
	}
	if s.SecurityContact != "" {
		out.SecurityContact = new(s.SecurityContact)
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
	s.APIAccessListRequired = handlers.ValueOr(change.ApiAccessListRequired, s.APIAccessListRequired)
	s.GenAIFeaturesEnabled = handlers.ValueOr(change.GenAIFeaturesEnabled, s.GenAIFeaturesEnabled)
	if change.MaxServiceAccountSecretValidityInHours != nil {
		s.MaxSecretValidityHours = int(*change.MaxServiceAccountSecretValidityInHours)
	}
	s.MultiFactorAuthRequired = handlers.ValueOr(change.MultiFactorAuthRequired, s.MultiFactorAuthRequired)
	s.RestrictEmployeeAccess = handlers.ValueOr(change.RestrictEmployeeAccess, s.RestrictEmployeeAccess)
	s.SecurityContact = handlers.ValueOr(change.SecurityContact, s.SecurityContact)
	s.StreamsCrossGroupEnabled = handlers.ValueOr(change.StreamsCrossGroupEnabled, s.StreamsCrossGroupEnabled)
	if t := change.CustomSessionTimeouts; t != nil {
		s.SessionTimeouts = &store.SessionTimeouts{
			AbsoluteSeconds: intPtr(t.AbsoluteSessionTimeoutInSeconds),
			IdleSeconds:     intPtr(t.IdleSessionTimeoutInSeconds),
		}
	}
	return s
}

func int32Ptr(v *int) *int32 {
	if v == nil {
		return nil
	}
	return new(int32(*v))
}

func intPtr(v *int32) *int {
	if v == nil {
		return nil
	}
	return new(int(*v))
}
