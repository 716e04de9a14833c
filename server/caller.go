package server

import (
	"context"
	"net/netip"

	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/auth"
	"github.com/atlasstub/atlasstub/server/roles"
	"github.com/atlasstub/atlasstub/server/store"
)

// callerOf returns the authenticated principal of a request; the gatekeeper refuses requests
// without one before any Atlas handler runs.
func callerOf(ctx context.Context) auth.Principal {
	if p := infoFrom(ctx).principal; p != nil {
		return *p
	}
	return auth.Principal{}
}

// projectsCallerCanUse keeps the projects in which the caller holds one of the roles: what the
// list operations without a project in their path show.
func projectsCallerCanUse(ctx context.Context, all []store.Project, required []string) []store.Project {
	caller := callerOf(ctx)
	var out []store.Project
	for _, p := range all {
		if caller.CanUseProject(p, required) {
			out = append(out, p)
		}
	}
	return out
}

// authorizeInOrg checks the operation's roles in an organization that the request names in its
// body rather than its path (creating a project).
func authorizeInOrg(ctx context.Context, tx *store.Tx, orgID string) error {
	if _, err := tx.Org(orgID); err != nil {
		return err
	}
	caller, required := callerOf(ctx), requiredRoles(infoFrom(ctx))
	switch {
	case roles.Allows(caller.RolesInOrg(orgID), required):
		return nil
	case caller.OrgID != orgID:
		return apierror.UserCannotAccessOrg.New()
	}
	return denial(required, orgID)
}

// grantCreatorOwnership makes the caller an owner of the project it just created, so that a
// credential with ORG_GROUP_CREATOR can use its own project.
func grantCreatorOwnership(ctx context.Context, tx *store.Tx, project store.Project) error {
	caller := callerOf(ctx)
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

// protectedAddress is the caller's address when the request changes the caller's own access
// list, whose entry for that address cannot be removed; otherwise the zero address.
func protectedAddress(ctx context.Context, credentialID string) (addr netip.Addr) {
	info := infoFrom(ctx)
	if info.principal != nil && info.principal.ID == credentialID {
		return info.addr
	}
	return addr
}
