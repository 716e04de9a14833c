package store

import (
	"maps"
	"net/netip"
	"slices"
	"time"

	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/roles"
)

// Grants are the roles of a credential: in its organization, and in some of its projects.
type Grants struct {
	Org      []string
	Projects map[string][]string
}

// APIKey is a programmatic API key. The private key is never kept: only what Digest
// authentication needs (HA1 = H(publicKey:realm:privateKey) per algorithm) and its last group,
// to show it redacted.
type APIKey struct {
	ID             string
	OrgID          string
	Description    string
	PublicKey      string
	DigestHA1      map[string]string
	PrivateKeyTail string
	Grants         Grants
	AccessList     []AccessListEntry
	CreatedAt      time.Time
}

var (
	apiKeys            = newTable[APIKey]("apiKeys")
	apiKeysByPublicKey = newTable[string]("apiKeysByPublicKey")
)

// CreateAPIKey stores a new API key of an organization; its project roles must name projects of
// that organization and be project roles.
func (tx *Tx) CreateAPIKey(k APIKey) (APIKey, error) {
	if _, err := tx.Org(k.OrgID); err != nil {
		return APIKey{}, err
	}
	if err := tx.checkGrants(k.OrgID, k.Grants); err != nil {
		return APIKey{}, err
	}
	if _, taken, err := apiKeysByPublicKey.get(tx, k.PublicKey); err != nil || taken {
		if taken {
			return APIKey{}, apierror.PublicKeyTaken.New(k.PublicKey)
		}
		return APIKey{}, err
	}
	k.CreatedAt = tx.now
	if err := apiKeysByPublicKey.put(tx, k.PublicKey, k.ID); err != nil {
		return APIKey{}, err
	}
	return k, apiKeys.put(tx, k.ID, k)
}

// CheckAPIKeyRoles checks the roles that a request gives an API key in its organization
// (projectID empty) or in a project: a key keeps at least one role (MISSING_API_KEY_ROLES), and
// a project takes project roles only (INVALID_ROLE_FOR_GROUP).
func CheckAPIKeyRoles(projectID string, assigned []string) error {
	if len(assigned) == 0 {
		return apierror.MissingAPIKeyRoles.New()
	}
	if projectID == "" {
		return nil
	}
	return ProjectRolesOnly(projectID, assigned)
}

// APIKey returns the key id of organization orgID, or API_KEY_NOT_FOUND.
func (tx *Tx) APIKey(orgID, id string) (APIKey, error) {
	k, ok, err := apiKeys.get(tx, id)
	if err != nil {
		return APIKey{}, err
	}
	if !ok || k.OrgID != orgID {
		return APIKey{}, apierror.APIKeyNotFound.New(id)
	}
	return k, nil
}

// APIKeyByPublicKey returns the key a Digest username names.
func (tx *Tx) APIKeyByPublicKey(publicKey string) (APIKey, bool, error) {
	id, ok, err := apiKeysByPublicKey.get(tx, publicKey)
	if err != nil || !ok {
		return APIKey{}, false, err
	}
	return apiKeys.get(tx, id)
}

// APIKeys returns the keys of an organization, oldest first.
func (tx *Tx) APIKeys(orgID string) ([]APIKey, error) {
	if _, err := tx.Org(orgID); err != nil {
		return nil, err
	}
	all, err := apiKeys.list(tx, "")
	return slices.DeleteFunc(all, func(k APIKey) bool { return k.OrgID != orgID }), err
}

// ProjectAPIKeys returns the keys that hold roles in a project.
func (tx *Tx) ProjectAPIKeys(projectID string) ([]APIKey, error) {
	p, err := tx.Project(projectID)
	if err != nil {
		return nil, err
	}
	inOrg, err := tx.APIKeys(p.OrgID)
	return slices.DeleteFunc(inOrg, func(k APIKey) bool { return len(k.Grants.Projects[projectID]) == 0 }), err
}

// UpdateAPIKey stores a changed key.
func (tx *Tx) UpdateAPIKey(k APIKey) (APIKey, error) {
	if _, err := tx.APIKey(k.OrgID, k.ID); err != nil {
		return APIKey{}, err
	}
	if err := tx.checkGrants(k.OrgID, k.Grants); err != nil {
		return APIKey{}, err
	}
	return k, apiKeys.put(tx, k.ID, k)
}

// DeleteAPIKey removes a key from its organization and from every project.
func (tx *Tx) DeleteAPIKey(orgID, id string) error {
	k, err := tx.APIKey(orgID, id)
	if err != nil {
		return err
	}
	if err := apiKeysByPublicKey.delete(tx, k.PublicKey); err != nil {
		return err
	}
	return apiKeys.delete(tx, id)
}

// AddAPIKeyAccessListEntries adds entries to a key's access list.
func (tx *Tx) AddAPIKeyAccessListEntries(orgID, id string, entries []AccessListEntry) (APIKey, error) {
	k, err := tx.APIKey(orgID, id)
	if err != nil {
		return APIKey{}, err
	}
	if k.AccessList, err = addAccessListEntries(k.AccessList, entries); err != nil {
		return APIKey{}, err
	}
	return k, apiKeys.put(tx, k.ID, k)
}

// RemoveAPIKeyAccessListEntry removes an entry from a key's access list; protected, when valid,
// is the caller's address, whose entry the key cannot remove from its own list.
func (tx *Tx) RemoveAPIKeyAccessListEntry(orgID, id, entry string, protected netip.Addr) error {
	k, err := tx.APIKey(orgID, id)
	if err != nil {
		return err
	}
	if k.AccessList, err = removeAccessListEntry(k.AccessList, entry, protected); err != nil {
		return err
	}
	return apiKeys.put(tx, k.ID, k)
}

// RecordAPIKeyUse counts a request that the key's access list let in.
func (tx *Tx) RecordAPIKeyUse(id string, addr netip.Addr) error {
	k, ok, err := apiKeys.shared(tx, id)
	if err != nil || !ok || len(k.AccessList) == 0 {
		return err
	}
	k = clone(k)
	recordUse(k.AccessList, addr, tx.now)
	return apiKeys.put(tx, k.ID, k)
}

// checkGrants refuses organization roles that are not organization roles, and project roles that
// are not project roles or name a project outside the organization.
func (tx *Tx) checkGrants(orgID string, g Grants) error {
	for _, r := range g.Org {
		if !roles.IsOrg(r) {
			return apierror.InvalidRoleForOrg.New(r, orgID)
		}
	}
	for _, projectID := range slices.Sorted(maps.Keys(g.Projects)) {
		p, err := tx.Project(projectID)
		if err != nil {
			return err
		}
		if p.OrgID != orgID {
			return apierror.GroupNotFound.New(projectID)
		}
		for _, r := range g.Projects[projectID] {
			if !roles.IsProject(r) {
				return apierror.InvalidRoleForGroup.New(r, projectID)
			}
		}
	}
	return nil
}
