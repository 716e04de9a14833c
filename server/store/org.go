package store

import (
	"time"

	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/ids"
)

// Org is an organization.
type Org struct {
	ID        string
	Name      string
	CreatedAt time.Time
	Settings  OrgSettings
}

// OrgSettings are an organization's settings.
type OrgSettings struct {
	APIAccessListRequired    bool
	GenAIFeaturesEnabled     bool
	MaxSecretValidityHours   int
	MultiFactorAuthRequired  bool
	RestrictEmployeeAccess   bool
	SecurityContact          string
	StreamsCrossGroupEnabled bool
	SessionTimeouts          *SessionTimeouts
}

// SessionTimeouts are the custom session timeouts of an organization; nil fields are unset.
type SessionTimeouts struct {
	AbsoluteSeconds *int
	IdleSeconds     *int
}

// DefaultMaxSecretValidityHours is the longest lifetime of a service-account secret (365 days)
// unless an organization sets a shorter one.
const DefaultMaxSecretValidityHours = 8760

var orgs = newTable[Org]("orgs")

// CreateOrg creates an organization with Atlas's default settings. The id is generated unless
// id is set (the bootstrap organization's id may come from a seed).
func (tx *Tx) CreateOrg(id, name string) (Org, error) {
	if id == "" {
		id = ids.ObjectID(tx.now)
	}
	org := Org{
		ID:        id,
		Name:      name,
		CreatedAt: tx.now,
		Settings: OrgSettings{
			GenAIFeaturesEnabled:   true,
			MaxSecretValidityHours: DefaultMaxSecretValidityHours,
		},
	}
	return org, orgs.put(tx, org.ID, org)
}

// Org returns the organization with id, or ORG_NOT_FOUND.
func (tx *Tx) Org(id string) (Org, error) {
	org, ok, err := orgs.get(tx, id)
	if err != nil {
		return Org{}, err
	}
	if !ok {
		return Org{}, apierror.OrgNotFound.New(id)
	}
	return org, nil
}

// Orgs returns every organization, oldest first.
func (tx *Tx) Orgs() ([]Org, error) { return orgs.list(tx, "") }

// UpdateOrgSettings replaces the settings of an organization.
func (tx *Tx) UpdateOrgSettings(id string, settings OrgSettings) (Org, error) {
	org, err := tx.Org(id)
	if err != nil {
		return Org{}, err
	}
	org.Settings = settings
	return org, orgs.put(tx, org.ID, org)
}

// RenameOrg changes the name of an organization.
func (tx *Tx) RenameOrg(id, name string) (Org, error) {
	org, err := tx.Org(id)
	if err != nil {
		return Org{}, err
	}
	org.Name = name
	return org, orgs.put(tx, org.ID, org)
}

// DeleteOrg removes an organization that holds no project, with its API keys, service accounts
// and the generic engine's resources: ORG_NOT_EMPTY otherwise, as Atlas answers.
func (tx *Tx) DeleteOrg(id string) error {
	projects, err := tx.Projects(id)
	if err != nil {
		return err
	}
	if _, err := tx.Org(id); err != nil {
		return err
	}
	if len(projects) > 0 {
		return apierror.OrgNotEmpty.New()
	}
	keys, err := tx.APIKeys(id)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := tx.DeleteAPIKey(id, k.ID); err != nil {
			return err
		}
	}
	accounts, err := tx.ServiceAccounts(id)
	if err != nil {
		return err
	}
	for _, sa := range accounts {
		if err := tx.DeleteServiceAccount(id, sa.ClientID); err != nil {
			return err
		}
	}
	if err := tx.DeleteResourcesUnder(ResourcePath("orgs", id)); err != nil {
		return err
	}
	return orgs.delete(tx, id)
}
