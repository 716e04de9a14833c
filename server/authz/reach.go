package authz

import (
	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/auth"
	"github.com/atlasstub/atlasstub/server/pipeline"
	"github.com/atlasstub/atlasstub/server/roles"
	"github.com/atlasstub/atlasstub/server/store"
)

// checkCredentialReach applies the rule of x-atlas-changes-credential. A project owner manages
// the service accounts and API keys of its project, but a credential may hold more than the
// project gives: an organization role beyond ORG_MEMBER, or roles in another project. Whoever
// can give such a credential a secret, an access list or roles can act with all of its rights,
// so on the project's paths only an ORG_OWNER may change it, or the credential itself, which
// gains nothing by it. Reading it, and removing it from the project, stay with the project.
func checkCredentialReach(tx *store.Tx, caller auth.Principal, info *pipeline.Request, project store.Project) error {
	param := openapi.ChangedCredential(info.Operation())
	id, ok := info.PathParams[param]
	if !ok || id == caller.ID || roles.Allows(caller.RolesInOrg(project.OrgID), []string{roles.OrgOwner}) {
		return nil
	}
	grants, err := credentialGrants(tx, param, project.OrgID, id)
	if err != nil {
		return err // the credential does not exist; the handler would say the same
	}
	if reachesBeyond(grants, project.ID) {
		return apierror.UserUnauthorized.New()
	}
	return nil
}

// credentialGrants returns the roles of the API key or service account that the path parameter
// names.
func credentialGrants(tx *store.Tx, param, orgID, id string) (store.Grants, error) {
	if param == "apiUserId" {
		k, err := tx.APIKey(orgID, id)
		return k.Grants, err
	}
	sa, err := tx.ServiceAccount(orgID, id)
	return sa.Grants, err
}

// reachesBeyond reports whether grants hold more than a member of the organization with roles
// in the one project.
func reachesBeyond(g store.Grants, projectID string) bool {
	for _, r := range g.Org {
		if r != roles.OrgMember {
			return true
		}
	}
	for id, projectRoles := range g.Projects {
		if id != projectID && len(projectRoles) > 0 {
			return true
		}
	}
	return false
}
