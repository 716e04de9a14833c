package auth

import (
	"net/netip"

	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/roles"
	"github.com/atlasstub/atlasstub/server/store"
)

// Kind names the kind of credential a principal authenticated with.
type Kind string

// The kinds of principals.
const (
	APIKey         Kind = "apiKey"
	ServiceAccount Kind = "serviceAccount"
)

// Principal is the caller of a request: an API key or a service account, with the roles and the
// access list it holds at the time of the request.
type Principal struct {
	Kind Kind
	// ID is the API key's id or the service account's client id.
	ID string
	// PublicKey is the API key's public key; empty for a service account.
	PublicKey  string
	OrgID      string
	Grants     store.Grants
	AccessList []store.AccessListEntry
	// SecretID is the secret a service account's token was minted with.
	SecretID string
}

// PublicID names the principal without a secret, as its own credentials do: the API key's public
// key or the service account's client id.
func (p Principal) PublicID() string {
	if p.Kind == APIKey {
		return p.PublicKey
	}
	return p.ID
}

// RolesInOrg returns the organization roles the principal holds in org: none outside its own
// organization; in it, its roles and ORG_MEMBER, since every credential of an organization is a
// member of it.
func (p Principal) RolesInOrg(orgID string) []string {
	if orgID != p.OrgID {
		return nil
	}
	return append([]string{roles.OrgMember}, p.Grants.Org...)
}

// RolesInProject returns the project roles the principal holds in a project: none outside its
// organization; in it, its own roles there and what its organization roles give.
func (p Principal) RolesInProject(project store.Project) []string {
	if project.OrgID != p.OrgID {
		return nil
	}
	return roles.InProject(p.Grants.Org, p.Grants.Projects[project.ID])
}

// CanUseProject reports whether the principal holds one of the required roles in the project.
func (p Principal) CanUseProject(project store.Project, required []string) bool {
	return roles.Allows(p.RolesInProject(project), required)
}

// CheckAccessList decides whether a request from addr may use the principal: with entries on its
// access list, addr must be on it (IP_ADDRESS_NOT_ON_ACCESS_LIST); without, the organization must
// not require one (ORG_REQUIRES_ACCESS_LIST).
func (p Principal) CheckAccessList(addr netip.Addr, orgRequiresList bool) error {
	if len(p.AccessList) == 0 {
		if orgRequiresList {
			return apierror.OrgRequiresAccessList.WithDetail(apierror.OrgRequiresAccessList.Template, addr.String())
		}
		return nil
	}
	for _, e := range p.AccessList {
		if e.Allows(addr) {
			return nil
		}
	}
	return apierror.IPNotOnAccessList.New(addr.String())
}
