// Package projects serves projects, which the API also calls groups.
package projects

import (
	"context"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/authz"
	"github.com/atlasstub/atlasstub/server/handlers"
	"github.com/atlasstub/atlasstub/server/roles"
	"github.com/atlasstub/atlasstub/server/store"
)

// Handlers serve the project operations.
type Handlers struct{ store *store.Store }

// New returns the project handlers over s.
func New(s *store.Store) *Handlers { return &Handlers{store: s} }

func (h *Handlers) ListGroups(ctx context.Context, req atlasapi.ListGroupsRequestObject) (atlasapi.ListGroupsResponseObject, error) {
	all, err := store.Read(h.store, func(tx *store.Tx) ([]store.Project, error) { return tx.Projects("") })
	if err != nil {
		return nil, err
	}
	page := projectPage(ctx, authz.ProjectsCallerCanUse(ctx, all, authz.RequiredRoles(ctx)), handlers.PageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	return atlasapi.ListGroups200ApplicationVndAtlas20230101PlusJSONResponse(page), nil
}

// CreateGroup creates a project in the organization the body names, where the caller needs the
// operation's roles; the caller becomes an owner of the project. The response is 201 with the
// project's URL in Location, as live Atlas answers. The read-only fields the request may carry
// are ignored, and so is projectOwnerId: the stub has no Atlas users to make owners.
func (h *Handlers) CreateGroup(ctx context.Context, req atlasapi.CreateGroupRequestObject) (atlasapi.CreateGroupResponseObject, error) {
	body, err := handlers.RequireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	if body.RegionUsageRestrictions != nil && *body.RegionUsageRestrictions == atlasapi.GOVREGIONSONLY {
		return nil, apierror.InvalidAttribute.ForField("regionUsageRestrictions", "GOV_REGIONS_ONLY applies to Atlas for Government only")
	}
	var created store.Project
	err = h.store.Update(func(tx *store.Tx) (err error) {
		if err := authz.AuthorizeInOrg(ctx, tx, body.OrgId); err != nil {
			return err
		}
		created, err = tx.CreateProject(store.Project{
			OrgID:                     body.OrgId,
			Name:                      body.Name,
			Tags:                      tagsFromAPI(body.Tags),
			WithDefaultAlertsSettings: handlers.ValueOr(body.WithDefaultAlertsSettings, true),
		})
		if err != nil {
			return err
		}
		return authz.GrantCreatorOwnership(ctx, tx, created)
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateGroup201ApplicationVndAtlas20230101PlusJSONResponse{
		Body:    projectToAPI(ctx, created),
		Headers: atlasapi.CreateGroup201ResponseHeaders{Location: handlers.URL(ctx, "groups", created.ID)},
	}, nil
}

func (h *Handlers) GetGroup(ctx context.Context, req atlasapi.GetGroupRequestObject) (atlasapi.GetGroupResponseObject, error) {
	p, err := store.Read(h.store, func(tx *store.Tx) (store.Project, error) { return tx.Project(req.GroupId) })
	if err != nil {
		return nil, err
	}
	return atlasapi.GetGroup200ApplicationVndAtlas20230101PlusJSONResponse(projectToAPI(ctx, p)), nil
}

func (h *Handlers) GetGroupByName(ctx context.Context, req atlasapi.GetGroupByNameRequestObject) (atlasapi.GetGroupByNameResponseObject, error) {
	named, err := store.Read(h.store, func(tx *store.Tx) ([]store.Project, error) { return tx.ProjectsNamed(req.GroupName) })
	if err != nil {
		return nil, err
	}
	if len(named) == 0 {
		return nil, apierror.GroupNameNotFound.New(req.GroupName)
	}
	visible := authz.ProjectsCallerCanUse(ctx, named, authz.RequiredRoles(ctx))
	if len(visible) == 0 {
		return nil, apierror.UserCannotAccessGroup.New()
	}
	return atlasapi.GetGroupByName200ApplicationVndAtlas20230101PlusJSONResponse(projectToAPI(ctx, visible[0])), nil
}

func (h *Handlers) UpdateGroup(ctx context.Context, req atlasapi.UpdateGroupRequestObject) (atlasapi.UpdateGroupResponseObject, error) {
	change, err := handlers.RequireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	updated, err := store.Write(h.store, func(tx *store.Tx) (store.Project, error) {
		p, err := tx.Project(req.GroupId)
		if err != nil {
			return store.Project{}, err
		}
		p.Name = handlers.ValueOr(change.Name, p.Name)
		if change.Tags != nil {
			p.Tags = tagsFromAPI(change.Tags)
		}
		return tx.UpdateProject(p)
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.UpdateGroup200ApplicationVndAtlas20230101PlusJSONResponse(projectToAPI(ctx, updated)), nil
}

func (h *Handlers) DeleteGroup(ctx context.Context, req atlasapi.DeleteGroupRequestObject) (atlasapi.DeleteGroupResponseObject, error) {
	if err := h.store.Update(func(tx *store.Tx) error { return tx.DeleteProject(req.GroupId) }); err != nil {
		return nil, err
	}
	// Atlas accepts the deletion and answers an empty object.
	return atlasapi.DeleteGroup202ApplicationVndAtlas20230101PlusJSONResponse{}, nil
}

// GetOrgGroups lists the projects of an organization that the caller can read.
func (h *Handlers) GetOrgGroups(ctx context.Context, req atlasapi.GetOrgGroupsRequestObject) (atlasapi.GetOrgGroupsResponseObject, error) {
	inOrg, err := store.Read(h.store, func(tx *store.Tx) ([]store.Project, error) {
		if _, err := tx.Org(req.OrgId); err != nil {
			return nil, err
		}
		return tx.Projects(req.OrgId)
	})
	if err != nil {
		return nil, err
	}
	inOrg = handlers.WithNamePrefix(authz.ProjectsCallerCanUse(ctx, inOrg, []string{roles.GroupReadOnly}), req.Params.Name, func(p store.Project) string { return p.Name })
	page := projectPage(ctx, inOrg, handlers.PageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	return atlasapi.GetOrgGroups200ApplicationVndAtlas20230101PlusJSONResponse(page), nil
}

func projectPage(ctx context.Context, all []store.Project, p handlers.Page) atlasapi.PaginatedAtlasGroupView {
	results := make([]atlasapi.Group, 0, p.Size)
	for _, project := range handlers.Paginate(all, p) {
		results = append(results, projectToAPI(ctx, project))
	}
	pi := p.Info(ctx, len(all))
	return atlasapi.PaginatedAtlasGroupView{Links: pi.Links, Results: &results, TotalCount: pi.TotalCount}
}

// projectRelated are the resources of a project that live Atlas links from it, beside itself.
var projectRelated = []string{"containers", "clusters", "databaseUsers", "peers", "processes", "whitelist"}

func projectToAPI(ctx context.Context, p store.Project) atlasapi.Group {
	return atlasapi.Group{
		ClusterCount:              new(int64(0)),
		Created:                   handlers.Timestamp(p.CreatedAt),
		Id:                        new(p.ID),
		Links:                     handlers.LinksWithRelated(ctx, projectRelated, "groups", p.ID),
		Name:                      p.Name,
		OrgId:                     p.OrgID,
		Tags:                      tagsToAPI(p.Tags),
		WithDefaultAlertsSettings: new(p.WithDefaultAlertsSettings),
	}
}

func tagsFromAPI(tags *[]atlasapi.ResourceTag) []store.Tag {
	if tags == nil {
		return nil
	}
	out := make([]store.Tag, 0, len(*tags))
	for _, t := range *tags {
		out = append(out, store.Tag{Key: t.Key, Value: t.Value})
	}
	return out
}

func tagsToAPI(tags []store.Tag) *[]atlasapi.ResourceTag {
	out := make([]atlasapi.ResourceTag, 0, len(tags))
	for _, t := range tags {
		out = append(out, atlasapi.ResourceTag{Key: t.Key, Value: t.Value})
	}
	return &out
}
