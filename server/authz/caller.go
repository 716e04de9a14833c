package authz

import (
	"context"
	"net/netip"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/auth"
	"github.com/atlasstub/atlasstub/server/pipeline"
	"github.com/atlasstub/atlasstub/server/roles"
	"github.com/atlasstub/atlasstub/server/store"
)

// What handlers ask about the caller of their request: operations whose scope is not in their
// path (listing, creating a project) apply the roles to what they list or create.

// Caller returns the authenticated principal of a request; the gatekeeper refuses requests
// without one before any Atlas handler runs.
func Caller(ctx context.Context) auth.Principal {
	if p := pipeline.RequestOf(ctx).Principal; p != nil {
		return *p
	}
	return auth.Principal{}
}

// RequiredRoles are the roles that allow the request's operation.
func RequiredRoles(ctx context.Context) []string {
	return openapi.Roles(pipeline.RequestOf(ctx).Operation())
}

// ProjectsCallerCanUse keeps the projects in which the caller holds one of the roles: what the
// list operations without a project in their path show.
func ProjectsCallerCanUse(ctx context.Context, all []store.Project, required []string) []store.Project {
	caller := Caller(ctx)
	var out []store.Project
	for _, p := range all {
		if caller.CanUseProject(p, required) {
			out = append(out, p)
		}
	}
	return out
}

// AuthorizeInOrg checks the operation's roles in an organization that the request names in its
// body rather than its path (creating a project).
func AuthorizeInOrg(ctx context.Context, tx *store.Tx, orgID string) error {
	return authorizeInOrg(tx, Caller(ctx), orgID, RequiredRoles(ctx))
}

// GrantCreatorOwnership makes the caller an owner of the project it just created, so that a
// credential with ORG_GROUP_CREATOR can use its own project.
func GrantCreatorOwnership(ctx context.Context, tx *store.Tx, project store.Project) error {
	caller := Caller(ctx)
	if caller.CanUseProject(project, []string{roles.GroupOwner}) {
		return nil
	}
	switch caller.Kind {
	case auth.APIKey:
		k, err := tx.APIKey(caller.OrgID, caller.ID)
		if err != nil {
			return err
		}
		k.Grants = k.Grants.WithProject(project.ID, []string{roles.GroupOwner})
		_, err = tx.UpdateAPIKey(k)
		return err
	case auth.ServiceAccount:
		_, err := tx.AssignServiceAccount(project.ID, caller.ID, []string{roles.GroupOwner})
		return err
	}
	return nil
}

// ProtectedAddress is the caller's address when the request changes the caller's own access
// list, whose entry for that address cannot be removed; otherwise the zero address.
func ProtectedAddress(ctx context.Context, credentialID string) (addr netip.Addr) {
	info := pipeline.RequestOf(ctx)
	if info.Principal != nil && info.Principal.ID == credentialID {
		return info.Addr
	}
	return addr
}
