package store

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/netip"
	"slices"
	"time"

	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/roles"
)

// ServiceAccount is a service account of an organization, which may also hold roles in some of
// its projects. Secrets are kept as hashes only.
type ServiceAccount struct {
	ClientID    string
	OrgID       string
	Name        string
	Description string
	CreatedAt   time.Time
	Grants      Grants
	Secrets     []Secret
	AccessList  []AccessListEntry
}

// Secret is what the store keeps of a service-account secret.
type Secret struct {
	ID string
	// Hash is the hex SHA-256 of the secret.
	Hash string
	// Tail is the secret's last four characters, for its masked form.
	Tail       string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt *time.Time
}

// Limits of service accounts.
const (
	MaxServiceAccountsPerOrg = 200
	MaxSecretsPerAccount     = 2
	MinSecretHours           = 8
	// RotationGrace is how long an older secret lives at most once a newer one exists.
	RotationGrace = 7 * 24 * time.Hour
)

var serviceAccounts = newTable[ServiceAccount]("serviceAccounts")

// HashSecret returns what the store keeps of a secret.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// NewSecret describes a new secret that expires after hours, which must lie between
// MinSecretHours and maxHours.
func NewSecret(id, secret string, hours, maxHours int, now time.Time) (Secret, error) {
	if hours < MinSecretHours || hours > maxHours {
		return Secret{}, apierror.InvalidSecretExpiration.New(MinSecretHours, maxHours)
	}
	return Secret{
		ID:        id,
		Hash:      HashSecret(secret),
		Tail:      secret[len(secret)-4:],
		CreatedAt: now,
		ExpiresAt: now.Add(time.Duration(hours) * time.Hour),
	}, nil
}

// Expired reports whether the secret no longer mints tokens.
func (s Secret) Expired(now time.Time) bool { return !s.ExpiresAt.After(now) }

// Masked is the form in which the secret is shown after its creation.
func (s Secret) Masked() string { return "mdb_sa_sk_..." + s.Tail }

// CreateServiceAccount stores a new service account with its first secret.
func (tx *Tx) CreateServiceAccount(sa ServiceAccount) (ServiceAccount, error) {
	if _, err := tx.Org(sa.OrgID); err != nil {
		return ServiceAccount{}, err
	}
	if err := tx.checkGrants(sa.OrgID, sa.Grants); err != nil {
		return ServiceAccount{}, err
	}
	inOrg, err := tx.ServiceAccounts(sa.OrgID)
	if err != nil {
		return ServiceAccount{}, err
	}
	if len(inOrg) >= MaxServiceAccountsPerOrg {
		return ServiceAccount{}, apierror.ServiceAccountLimitExceeded.New(MaxServiceAccountsPerOrg)
	}
	sa.CreatedAt = tx.now
	return sa, serviceAccounts.put(tx, sa.ClientID, sa)
}

// ServiceAccount returns the account clientID of organization orgID, or
// SERVICE_ACCOUNT_NOT_FOUND.
func (tx *Tx) ServiceAccount(orgID, clientID string) (ServiceAccount, error) {
	sa, ok, err := serviceAccounts.get(tx, clientID)
	if err != nil {
		return ServiceAccount{}, err
	}
	if !ok || sa.OrgID != orgID {
		return ServiceAccount{}, apierror.ServiceAccountNotFound.New(clientID)
	}
	return sa, nil
}

// ProjectServiceAccount returns an account that is assigned to a project, or
// SERVICE_ACCOUNT_NOT_FOUND.
func (tx *Tx) ProjectServiceAccount(projectID, clientID string) (ServiceAccount, error) {
	p, err := tx.Project(projectID)
	if err != nil {
		return ServiceAccount{}, err
	}
	sa, err := tx.ServiceAccount(p.OrgID, clientID)
	if err != nil {
		return ServiceAccount{}, err
	}
	if len(sa.Grants.Projects[projectID]) == 0 {
		return ServiceAccount{}, apierror.ServiceAccountNotFound.New(clientID)
	}
	return sa, nil
}

// ServiceAccountByClientID returns the account a token or client credentials name, if any.
func (tx *Tx) ServiceAccountByClientID(clientID string) (ServiceAccount, bool, error) {
	return serviceAccounts.get(tx, clientID)
}

// ServiceAccounts returns the accounts of an organization, oldest first.
func (tx *Tx) ServiceAccounts(orgID string) ([]ServiceAccount, error) {
	if _, err := tx.Org(orgID); err != nil {
		return nil, err
	}
	all, err := serviceAccounts.list(tx, "")
	return slices.DeleteFunc(all, func(sa ServiceAccount) bool { return sa.OrgID != orgID }), err
}

// ProjectServiceAccounts returns the accounts assigned to a project.
func (tx *Tx) ProjectServiceAccounts(projectID string) ([]ServiceAccount, error) {
	p, err := tx.Project(projectID)
	if err != nil {
		return nil, err
	}
	inOrg, err := tx.ServiceAccounts(p.OrgID)
	return slices.DeleteFunc(inOrg, func(sa ServiceAccount) bool { return len(sa.Grants.Projects[projectID]) == 0 }), err
}

// UpdateServiceAccount stores a changed account.
func (tx *Tx) UpdateServiceAccount(sa ServiceAccount) (ServiceAccount, error) {
	if _, err := tx.ServiceAccount(sa.OrgID, sa.ClientID); err != nil {
		return ServiceAccount{}, err
	}
	if err := tx.checkGrants(sa.OrgID, sa.Grants); err != nil {
		return ServiceAccount{}, err
	}
	return sa, serviceAccounts.put(tx, sa.ClientID, sa)
}

// AssignServiceAccount gives an account of the project's organization the project roles,
// replacing the roles it had there.
func (tx *Tx) AssignServiceAccount(projectID, clientID string, projectRoles []string) (ServiceAccount, error) {
	p, err := tx.Project(projectID)
	if err != nil {
		return ServiceAccount{}, err
	}
	sa, err := tx.ServiceAccount(p.OrgID, clientID)
	if err != nil {
		return ServiceAccount{}, err
	}
	sa.Grants = sa.Grants.WithProject(projectID, projectRoles)
	return tx.UpdateServiceAccount(sa)
}

// UnassignServiceAccount removes an account from a project; it stays in the organization.
func (tx *Tx) UnassignServiceAccount(projectID, clientID string) error {
	sa, err := tx.ProjectServiceAccount(projectID, clientID)
	if err != nil {
		return err
	}
	sa.Grants = sa.Grants.WithProject(projectID, nil)
	return serviceAccounts.put(tx, sa.ClientID, sa)
}

// DeleteServiceAccount removes an account everywhere; its secrets and tokens stop working.
func (tx *Tx) DeleteServiceAccount(orgID, clientID string) error {
	if _, err := tx.ServiceAccount(orgID, clientID); err != nil {
		return err
	}
	return serviceAccounts.delete(tx, clientID)
}

// AddSecret adds a secret to an account. An account has at most MaxSecretsPerAccount secrets,
// and a new secret cuts the remaining life of the older ones to RotationGrace.
func (tx *Tx) AddSecret(orgID, clientID string, secret Secret) (ServiceAccount, error) {
	sa, err := tx.ServiceAccount(orgID, clientID)
	if err != nil {
		return ServiceAccount{}, err
	}
	if len(sa.Secrets) >= MaxSecretsPerAccount {
		return ServiceAccount{}, apierror.SecretLimitExceeded.New(MaxSecretsPerAccount)
	}
	cutoff := secret.CreatedAt.Add(RotationGrace)
	for i := range sa.Secrets {
		if sa.Secrets[i].ExpiresAt.After(cutoff) {
			sa.Secrets[i].ExpiresAt = cutoff
		}
	}
	sa.Secrets = append(sa.Secrets, secret)
	return sa, serviceAccounts.put(tx, sa.ClientID, sa)
}

// DeleteSecret revokes a secret; the tokens minted with it stop working.
func (tx *Tx) DeleteSecret(orgID, clientID, secretID string) error {
	sa, err := tx.ServiceAccount(orgID, clientID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(sa.Secrets, func(s Secret) bool { return s.ID == secretID })
	if i < 0 {
		return apierror.SecretNotFound.New(secretID)
	}
	sa.Secrets = slices.Delete(sa.Secrets, i, i+1)
	return serviceAccounts.put(tx, sa.ClientID, sa)
}

// UseSecret finds the unexpired secret of an account that matches secret, in constant time for
// each candidate, and records its use.
func (tx *Tx) UseSecret(clientID, secret string) (ServiceAccount, Secret, bool, error) {
	sa, ok, err := tx.ServiceAccountByClientID(clientID)
	if err != nil || !ok {
		return ServiceAccount{}, Secret{}, false, err
	}
	hash := []byte(HashSecret(secret))
	for i, s := range sa.Secrets {
		if subtle.ConstantTimeCompare(hash, []byte(s.Hash)) == 1 && !s.Expired(tx.now) {
			now := tx.now
			sa.Secrets[i].LastUsedAt = &now
			return sa, sa.Secrets[i], true, serviceAccounts.put(tx, sa.ClientID, sa)
		}
	}
	return ServiceAccount{}, Secret{}, false, nil
}

// AddServiceAccountAccessListEntries adds entries to an account's access list.
func (tx *Tx) AddServiceAccountAccessListEntries(orgID, clientID string, entries []AccessListEntry) (ServiceAccount, error) {
	sa, err := tx.ServiceAccount(orgID, clientID)
	if err != nil {
		return ServiceAccount{}, err
	}
	if sa.AccessList, err = addAccessListEntries(sa.AccessList, entries); err != nil {
		return ServiceAccount{}, err
	}
	return sa, serviceAccounts.put(tx, sa.ClientID, sa)
}

// RemoveServiceAccountAccessListEntry removes an entry from an account's access list; protected,
// when valid, is the caller's address, whose entry the account cannot remove from its own list.
func (tx *Tx) RemoveServiceAccountAccessListEntry(orgID, clientID, entry string, protected netip.Addr) error {
	sa, err := tx.ServiceAccount(orgID, clientID)
	if err != nil {
		return err
	}
	if sa.AccessList, err = removeAccessListEntry(sa.AccessList, entry, protected); err != nil {
		return err
	}
	return serviceAccounts.put(tx, sa.ClientID, sa)
}

// RecordServiceAccountUse counts a request that the account's access list let in.
func (tx *Tx) RecordServiceAccountUse(clientID string, addr netip.Addr) error {
	sa, ok, err := serviceAccounts.shared(tx, clientID)
	if err != nil || !ok || len(sa.AccessList) == 0 {
		return err
	}
	sa = clone(sa)
	recordUse(sa.AccessList, addr, tx.now)
	return serviceAccounts.put(tx, sa.ClientID, sa)
}

// withProject returns the grants with the project's roles replaced; no roles removes the project.
func (g Grants) WithProject(projectID string, projectRoles []string) Grants {
	projects := map[string][]string{}
	for id, r := range g.Projects {
		projects[id] = r
	}
	if len(projectRoles) == 0 {
		delete(projects, projectID)
	} else {
		projects[projectID] = projectRoles
	}
	return Grants{Org: g.Org, Projects: projects}
}

// ProjectRolesOnly refuses roles that are not project roles, for requests that assign them.
func ProjectRolesOnly(projectID string, assigned []string) error {
	for _, r := range assigned {
		if !roles.IsProject(r) {
			return apierror.InvalidRoleForGroup.New(r, projectID)
		}
	}
	return nil
}
