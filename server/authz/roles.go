package authz

import (
	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/auth"
	"github.com/atlasstub/atlasstub/server/pipeline"
	"github.com/atlasstub/atlasstub/server/roles"
	"github.com/atlasstub/atlasstub/server/store"
)

// Authorize is the authorization step. It runs after validation, so that a malformed identifier
// is a 400 rather than a missing resource.
func (g *Gatekeeper) Authorize(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		info := pipeline.RequestOf(c.Request().Context())
		if info.Principal == nil || len(openapi.Roles(info.Operation())) == 0 {
			return next(c)
		}
		if err := g.authorize(*info.Principal, info); err != nil {
			return err
		}
		return next(c)
	}
}

// authorize checks the operation's roles in its scope: the project of the groupId path
// parameter, else the organization of orgId. Operations without either (listing, creating a
// project) check the roles against what they list or create, in their handlers. On a project's
// paths, changing a credential that reaches beyond the project takes more (checkCredentialReach).
func (g *Gatekeeper) authorize(p auth.Principal, info *pipeline.Request) error {
	required := openapi.Roles(info.Operation())
	return g.Store.View(func(tx *store.Tx) error {
		if groupID, ok := info.PathParams["groupId"]; ok {
			project, err := tx.Project(groupID)
			if err != nil {
				return err
			}
			held := append(p.RolesInProject(project), p.RolesInOrg(project.OrgID)...)
			switch {
			case roles.Allows(held, required):
				return checkCredentialReach(tx, p, info, project)
			case project.OrgID != p.OrgID:
				return apierror.UserCannotAccessGroup.New()
			}
			return denial(required, project.OrgID)
		}
		if orgID, ok := info.PathParams["orgId"]; ok {
			return authorizeInOrg(tx, p, orgID, required)
		}
		return nil
	})
}

// authorizeInOrg checks that the principal holds one of the required roles in an organization.
func authorizeInOrg(tx *store.Tx, p auth.Principal, orgID string, required []string) error {
	if _, err := tx.Org(orgID); err != nil {
		return err
	}
	switch {
	case roles.Allows(p.RolesInOrg(orgID), required):
		return nil
	case orgID != p.OrgID:
		return apierror.UserCannotAccessOrg.New()
	}
	return denial(required, orgID)
}

// denial is the error for a caller of the right organization without the required role.
func denial(required []string, orgID string) error {
	for _, r := range required {
		if r == roles.OrgGroupCreator {
			return apierror.NotOrgGroupCreator.New(orgID)
		}
	}
	return apierror.UserUnauthorized.New()
}
