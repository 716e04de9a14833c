package compat

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/atlas-sdk/v20250312013/admin"
)

// unknownID is a well-formed 24-hexadecimal id that names nothing in the stub.
const unknownID = "0123456789abcdef01234567"

func organizationsThroughSDK(t *testing.T, s *sdkSession) {
	ctx, orgs := t.Context(), s.client.OrganizationsApi

	page, res, err := orgs.ListOrgs(ctx).Execute()
	s.log.ok(t, "listOrgs", res, err)
	require.Len(t, page.GetResults(), 1)
	assert.Equal(t, s.orgID, page.GetResults()[0].GetId())
	assert.Equal(t, 1, page.GetTotalCount())

	org, res, err := orgs.GetOrg(ctx, s.orgID).Execute()
	s.log.ok(t, "getOrg", res, err)
	assert.Equal(t, "atlasstub", org.GetName())

	groups, res, err := orgs.GetOrgGroups(ctx, s.orgID).Execute()
	s.log.ok(t, "getOrgGroups", res, err)
	assert.Contains(t, groupIDs(groups.GetResults()), s.projectID)

	settings, res, err := orgs.GetOrgSettings(ctx, s.orgID).Execute()
	s.log.ok(t, "getOrgSettings", res, err)
	assert.False(t, settings.GetApiAccessListRequired())

	change := admin.NewOrganizationSettings()
	change.SetSecurityContact("security@example.com")
	settings, res, err = orgs.UpdateOrgSettings(ctx, s.orgID, change).Execute()
	s.log.ok(t, "updateOrgSettings", res, err)
	assert.Equal(t, "security@example.com", settings.GetSecurityContact())

	_, res, err = orgs.GetOrg(ctx, unknownID).Execute()
	s.log.fails(t, "getOrg", res, err, http.StatusNotFound, "ORG_NOT_FOUND")

	tooLong := admin.NewOrganizationSettings()
	tooLong.SetMaxServiceAccountSecretValidityInHours(9000)
	_, res, err = orgs.UpdateOrgSettings(ctx, s.orgID, tooLong).Execute()
	s.log.fails(t, "updateOrgSettings", res, err, http.StatusBadRequest, "INVALID_ATTRIBUTE")
	apiErr, _ := admin.AsError(err)
	violations := apiErr.GetBadRequestDetail()
	require.NotEmpty(t, violations.GetFields(), "badRequestDetail reaches the SDK")
	assert.Equal(t, "maxServiceAccountSecretValidityInHours", violations.GetFields()[0].GetField())
}

func projectsThroughSDK(t *testing.T, s *sdkSession) {
	ctx, projects := t.Context(), s.client.ProjectsApi

	// NewGroup's required arguments include the read-only clusterCount and created, which the
	// SDK sends, with regionUsageRestrictions and withDefaultAlertsSettings preset.
	created, res, err := projects.CreateGroup(ctx, admin.NewGroup(0, time.Time{}, "sdk-project", s.orgID)).Execute()
	s.log.ok(t, "createGroup", res, err)
	id := created.GetId()
	assert.Equal(t, "sdk-project", created.GetName())
	assert.Equal(t, s.orgID, created.GetOrgId())
	assert.False(t, created.GetCreated().IsZero(), "created is a time")

	_, res, err = projects.CreateGroup(ctx, admin.NewGroup(0, time.Time{}, "sdk-project", s.orgID)).Execute()
	s.log.fails(t, "createGroup", res, err, http.StatusConflict, "GROUP_ALREADY_EXISTS")

	got, res, err := projects.GetGroup(ctx, id).Execute()
	s.log.ok(t, "getGroup", res, err)
	assert.Equal(t, created.GetCreated(), got.GetCreated())

	byName, res, err := projects.GetGroupByName(ctx, "sdk-project").Execute()
	s.log.ok(t, "getGroupByName", res, err)
	assert.Equal(t, id, byName.GetId())

	page, res, err := projects.ListGroups(ctx).Execute()
	s.log.ok(t, "listGroups", res, err)
	assert.Contains(t, groupIDs(page.GetResults()), id)

	// Pages of one: the bootstrap project, then the new one.
	first, res, err := projects.ListGroupsWithParams(ctx, &admin.ListGroupsApiParams{ItemsPerPage: ptr(1), PageNum: ptr(1)}).Execute()
	s.log.ok(t, "listGroups", res, err)
	assert.Equal(t, []string{s.projectID}, groupIDs(first.GetResults()))
	assert.Equal(t, 2, first.GetTotalCount())
	assert.Contains(t, linkRelations(first.GetLinks()), "next")
	second, res, err := projects.ListGroupsWithParams(ctx, &admin.ListGroupsApiParams{ItemsPerPage: ptr(1), PageNum: ptr(2)}).Execute()
	s.log.ok(t, "listGroups", res, err)
	assert.Equal(t, []string{id}, groupIDs(second.GetResults()))

	update := admin.NewGroupUpdate()
	update.SetName("sdk-project-renamed")
	update.SetTags([]admin.ResourceTag{*admin.NewResourceTag("team", "platform")})
	updated, res, err := projects.UpdateGroup(ctx, id, update).Execute()
	s.log.ok(t, "updateGroup", res, err)
	assert.Equal(t, "sdk-project-renamed", updated.GetName())
	assert.Equal(t, []admin.ResourceTag{*admin.NewResourceTag("team", "platform")}, updated.GetTags())

	res, err = projects.DeleteGroup(ctx, id).Execute()
	s.log.ok(t, "deleteGroup", res, err)
	_, res, err = projects.GetGroup(ctx, id).Execute()
	s.log.fails(t, "getGroup", res, err, http.StatusNotFound, "GROUP_NOT_FOUND")
}

func linkRelations(links []admin.Link) []string {
	relations := make([]string, 0, len(links))
	for _, l := range links {
		relations = append(relations, l.GetRel())
	}
	return relations
}

func groupIDs(groups []admin.Group) []string {
	ids := make([]string, 0, len(groups))
	for _, g := range groups {
		ids = append(ids, g.GetId())
	}
	return ids
}
