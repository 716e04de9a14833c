package server

import (
	"context"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/store"
)

func (h *atlasHandlers) ListGroups(ctx context.Context, req atlasapi.ListGroupsRequestObject) (atlasapi.ListGroupsResponseObject, error) {
	var all []store.Project
	err := h.view(func(tx *store.Tx) (err error) {
		all, err = tx.Projects("")
		return err
	})
	if err != nil {
		return nil, err
	}
	page := projectPage(ctx, projectsCallerCanUse(ctx, all, requiredRoles(infoFrom(ctx))), pageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	return atlasapi.ListGroups200ApplicationVndAtlas20230101PlusJSONResponse(page), nil
}

// CreateGroup creates a project in the organization the body names, where the caller needs the
// operation's roles; the caller becomes an owner of the project. The read-only fields the request
// may carry are ignored, and so is projectOwnerId: the stub has no Atlas users to make owners.
func (h *atlasHandlers) CreateGroup(ctx context.Context, req atlasapi.CreateGroupRequestObject) (atlasapi.CreateGroupResponseObject, error) {
	body, err := requireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	if body.RegionUsageRestrictions != nil && *body.RegionUsageRestrictions == atlasapi.GOVREGIONSONLY {
		return nil, apierror.InvalidAttribute.ForField("regionUsageRestrictions", "GOV_REGIONS_ONLY applies to Atlas for Government only")
	}
	var created store.Project
	err = h.update(func(tx *store.Tx) (err error) {
		if err := authorizeInOrg(ctx, tx, body.OrgId); err != nil {
			return err
		}
		created, err = tx.CreateProject(store.Project{
			OrgID:                     body.OrgId,
			Name:                      body.Name,
			Tags:                      tagsFromAPI(body.Tags),
			WithDefaultAlertsSettings: valueOr(body.WithDefaultAlertsSettings, true),
		})
		if err != nil {
			return err
		}
		return grantCreatorOwnership(ctx, tx, created)
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateGroup200ApplicationVndAtlas20230101PlusJSONResponse(projectToAPI(ctx, created)), nil
}

func (h *atlasHandlers) GetGroup(ctx context.Context, req atlasapi.GetGroupRequestObject) (atlasapi.GetGroupResponseObject, error) {
	p, err := h.project(req.GroupId)
	if err != nil {
		return nil, err
	}
	return atlasapi.GetGroup200ApplicationVndAtlas20230101PlusJSONResponse(projectToAPI(ctx, p)), nil
}

func (h *atlasHandlers) GetGroupByName(ctx context.Context, req atlasapi.GetGroupByNameRequestObject) (atlasapi.GetGroupByNameResponseObject, error) {
	var named []store.Project
	err := h.view(func(tx *store.Tx) (err error) {
		named, err = tx.ProjectsNamed(req.GroupName)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(named) == 0 {
		return nil, apierror.GroupNameNotFound.New(req.GroupName)
	}
	visible := projectsCallerCanUse(ctx, named, requiredRoles(infoFrom(ctx)))
	if len(visible) == 0 {
		return nil, apierror.UserCannotAccessGroup.New()
	}
	return atlasapi.GetGroupByName200ApplicationVndAtlas20230101PlusJSONResponse(projectToAPI(ctx, visible[0])), nil
}

func (h *atlasHandlers) UpdateGroup(ctx context.Context, req atlasapi.UpdateGroupRequestObject) (atlasapi.UpdateGroupResponseObject, error) {
	change, err := requireBody(req.JSONBody)
	if err != nil {
		return nil, err
	}
	var updated store.Project
	err = h.update(func(tx *store.Tx) error {
		p, err := tx.Project(req.GroupId)
		if err != nil {
			return err
		}
		p.Name = valueOr(change.Name, p.Name)
		if change.Tags != nil {
			p.Tags = tagsFromAPI(change.Tags)
		}
		updated, err = tx.UpdateProject(p)
		return err
	})
	if err != nil {
		return nil, err
	}
	return atlasapi.UpdateGroup200ApplicationVndAtlas20230101PlusJSONResponse(projectToAPI(ctx, updated)), nil
}

func (h *atlasHandlers) DeleteGroup(ctx context.Context, req atlasapi.DeleteGroupRequestObject) (atlasapi.DeleteGroupResponseObject, error) {
	if err := h.update(func(tx *store.Tx) error { return tx.DeleteProject(req.GroupId) }); err != nil {
		return nil, err
	}
	return atlasapi.DeleteGroup204Response{}, nil
}

func (h *atlasHandlers) project(id string) (store.Project, error) {
	var p store.Project
	err := h.view(func(tx *store.Tx) (err error) {
		p, err = tx.Project(id)
		return err
	})
	return p, err
}

func projectPage(ctx context.Context, all []store.Project, p page) atlasapi.PaginatedAtlasGroupView {
	results := make([]atlasapi.Group, 0, p.size)
	for _, project := range paginate(all, p) {
		results = append(results, projectToAPI(ctx, project))
	}
	lp := infoFrom(ctx).pageOfList(p, len(all))
	return atlasapi.PaginatedAtlasGroupView{Links: lp.links, Results: &results, TotalCount: lp.totalCount}
}

func projectToAPI(ctx context.Context, p store.Project) atlasapi.Group {
	return atlasapi.Group{
		ClusterCount:              ptr(int64(0)),
		Created:                   timestamp(p.CreatedAt),
		Id:                        ptr(p.ID),
		Links:                     linksTo(ctx, "groups", p.ID),
		Name:                      p.Name,
		OrgId:                     p.OrgID,
		Tags:                      tagsToAPI(p.Tags),
		WithDefaultAlertsSettings: ptr(p.WithDefaultAlertsSettings),
	}
}
