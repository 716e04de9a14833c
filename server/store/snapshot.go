package store

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"time"

	"github.com/atlasstub/atlasstub/server/apierror"
)

// Snapshot is the whole state of the stub: what GET /_stub/state exports and PUT /_stub/state
// restores. Its records are the store's own, secrets hashed as the store keeps them.
type Snapshot struct {
	Bootstrap BootstrapCredentials
	// ClockOffset is how far the stub's clock is ahead of real time.
	ClockOffset time.Duration
	Records     Records
}

// Records are the records of the state, each kind in the order of its keys.
type Records struct {
	Orgs                   []Org                  `json:"orgs"`
	Projects               []Project              `json:"projects"`
	DatabaseUsers          []DatabaseUser         `json:"databaseUsers"`
	Certificates           []Certificate          `json:"certificates"`
	CertificateAuthorities []CertificateAuthority `json:"certificateAuthorities"`
	APIKeys                []APIKey               `json:"apiKeys"`
	ServiceAccounts        []ServiceAccount       `json:"serviceAccounts"`
	RevokedTokens          []RevokedToken         `json:"revokedTokens"`
	// Resources are the generic engine's records: every official operation's state beyond the
	// curated ones.
	Resources []Resource `json:"resources"`
	// TokenSigningKey is the PKCS#8 key that signs access tokens.
	TokenSigningKey []byte `json:"tokenSigningKey"`
}

// RevokedToken is a token revoked before it expires.
type RevokedToken struct {
	ID        string
	ExpiresAt time.Time
}

// Snapshot reads the whole state.
func (tx *Tx) Snapshot() (Snapshot, error) {
	var (
		s   Snapshot
		err error
	)
	if s.Bootstrap, _, err = tx.Bootstrap(); err != nil {
		return Snapshot{}, err
	}
	if s.ClockOffset, err = tx.ClockOffset(); err != nil {
		return Snapshot{}, err
	}
	r := &s.Records
	for _, read := range []func() error{
		func() (err error) { r.Orgs, err = listAll(tx, orgs); return err },
		func() (err error) { r.Projects, err = listAll(tx, projects); return err },
		func() (err error) { r.DatabaseUsers, err = listAll(tx, databaseUsers); return err },
		func() (err error) { r.Certificates, err = listAll(tx, certificates); return err },
		func() (err error) { r.CertificateAuthorities, err = listAll(tx, authorities); return err },
		func() (err error) { r.APIKeys, err = listAll(tx, apiKeys); return err },
		func() (err error) { r.ServiceAccounts, err = listAll(tx, serviceAccounts); return err },
		func() error {
			r.RevokedTokens = []RevokedToken{}
			return revokedTokens.scan(tx, "", func(id string, expiresAt time.Time) bool {
				r.RevokedTokens = append(r.RevokedTokens, RevokedToken{ID: id, ExpiresAt: expiresAt})
				return true
			})
		},
		func() (err error) { r.Resources, err = listAll(tx, resources); return err },
		func() (err error) { r.TokenSigningKey, _, err = tx.TokenSigningKey(); return err },
	} {
		if err := read(); err != nil {
			return Snapshot{}, err
		}
	}
	return s, nil
}

// listAll returns every record of a table, as an empty list rather than none.
func listAll[T any](tx *Tx, t table[T]) ([]T, error) {
	all, err := t.list(tx, "")
	if all == nil {
		all = []T{}
	}
	return all, err
}

// Restore replaces the whole state with s, after checking that its records hold together: each
// reference names a record that exists, no record is there twice, identifiers have their
// formats. A record that breaks one of these is INVALID_ATTRIBUTE naming it
// (records.<kind>.<index>) and why; the transaction then keeps nothing.
func (tx *Tx) Restore(s Snapshot) error {
	if err := tx.ClearState(); err != nil {
		return err
	}
	r := s.Records
	for i, org := range r.Orgs {
		if err := restore(tx, orgs, "orgs", i, org.ID, org, checkObjectID(org.ID)); err != nil {
			return err
		}
	}
	for i, p := range r.Projects {
		err := restore(tx, projects, "projects", i, p.ID, p, checkObjectID(p.ID), tx.exists(orgs.bucket, "organization", p.OrgID), tx.checkProjectNameFree(p.OrgID, p.Name, p.ID))
		if err != nil {
			return err
		}
	}
	for i, u := range r.DatabaseUsers {
		if err := restore(tx, databaseUsers, "databaseUsers", i, u.key(), u, tx.exists(projects.bucket, "project", u.ProjectID)); err != nil {
			return err
		}
	}
	serials := map[string]bool{}
	for i, c := range r.Certificates {
		_, holder := tx.ManagedCertificateHolder(c.ProjectID, c.Username)
		var taken error
		if serial := fmt.Sprint(c.ProjectID, "/", c.Serial); serials[serial] {
			taken = fmt.Errorf("an earlier certificate of project %s has the serial %d", c.ProjectID, c.Serial)
		} else {
			serials[serial] = true
		}
		if err := restore(tx, certificates, "certificates", i, c.key(), c, holder, checkPositive(c.Serial), taken); err != nil {
			return err
		}
	}
	for i, ca := range r.CertificateAuthorities {
		if err := restore(tx, authorities, "certificateAuthorities", i, ca.ProjectID, ca, tx.exists(projects.bucket, "project", ca.ProjectID)); err != nil {
			return err
		}
	}
	for i, k := range r.APIKeys {
		_, taken, err := apiKeysByPublicKey.get(tx, k.PublicKey)
		if err == nil && taken {
			err = fmt.Errorf("the public key %s is another key's", k.PublicKey)
		}
		err = restore(tx, apiKeys, "apiKeys", i, k.ID, k, checkObjectID(k.ID), checkPattern(publicKeyPattern, k.PublicKey),
			tx.exists(orgs.bucket, "organization", k.OrgID), err, tx.checkGrants(k.OrgID, k.Grants), checkAccessList(k.AccessList))
		if err != nil {
			return err
		}
		if err := apiKeysByPublicKey.put(tx, k.PublicKey, k.ID); err != nil {
			return err
		}
	}
	for i, sa := range r.ServiceAccounts {
		err := restore(tx, serviceAccounts, "serviceAccounts", i, sa.ClientID, sa, checkPattern(clientIDPattern, sa.ClientID),
			tx.exists(orgs.bucket, "organization", sa.OrgID), tx.checkGrants(sa.OrgID, sa.Grants), checkAccessList(sa.AccessList))
		if err != nil {
			return err
		}
	}
	for i, t := range r.RevokedTokens {
		if err := restore(tx, revokedTokens, "revokedTokens", i, t.ID, t.ExpiresAt, checkObjectID(t.ID)); err != nil {
			return err
		}
		byExpiry := revocation(t)
		if err := revocationsByExpiry.put(tx, byExpiry.key(), byExpiry); err != nil {
			return err
		}
	}
	for i, res := range r.Resources {
		if err := restore(tx, resources, "resources", i, resourceKey(res.Collection, res.ID), res, checkCollection(res.Collection)); err != nil {
			return err
		}
	}
	if len(r.TokenSigningKey) == 0 {
		return apierror.MissingAttribute.ForField("records.tokenSigningKey", "the key that signs access tokens is required")
	}
	if err := signingKeys.put(tx, tokenSigningKey, r.TokenSigningKey); err != nil {
		return err
	}
	if _, err := tx.Org(s.Bootstrap.OrgID); err != nil {
		return apierror.InvalidAttribute.ForField("bootstrap.orgId", fmt.Sprintf("the organization %s is not among the records", s.Bootstrap.OrgID))
	}
	if err := tx.SetBootstrap(s.Bootstrap); err != nil {
		return err
	}
	return tx.SetClockOffset(s.ClockOffset)
}

// restore stores one record under key unless a check failed or the key is taken, which is an
// INVALID_ATTRIBUTE naming the record.
func restore[T any](tx *Tx, t table[T], kind string, index int, key string, v T, checks ...error) error {
	field := fmt.Sprintf("records.%s.%d", kind, index)
	for _, err := range checks {
		if err != nil {
			return apierror.InvalidAttribute.ForField(field, reason(err))
		}
	}
	if _, taken := tx.raw.Get(t.bucket, key); taken {
		return apierror.InvalidAttribute.ForField(field, "an earlier record of "+kind+" has the same identifier")
	}
	return t.put(tx, key, v)
}

// reason is what a check's error says, without the code of an Atlas error.
func reason(err error) string {
	if e, ok := err.(*apierror.Error); ok {
		return e.Detail
	}
	return err.Error()
}

// exists checks that the record a reference names is among those restored before it.
func (tx *Tx) exists(bucket, what, id string) error {
	if _, ok := tx.raw.Get(bucket, id); !ok {
		return fmt.Errorf("no %s %s among the records before it", what, id)
	}
	return nil
}

var (
	objectIDPattern  = regexp.MustCompile(`^[a-f0-9]{24}$`)
	publicKeyPattern = regexp.MustCompile(`^[a-z]{8}$`)
	clientIDPattern  = regexp.MustCompile(`^mdb_sa_id_[a-fA-F0-9]{24}$`)
)

// checkCollection refuses a resource without the path of its collection, which would list it
// under no collection at all.
func checkCollection(collection string) error {
	if collection == "" || strings.HasPrefix(collection, "/") || strings.HasSuffix(collection, "/") {
		return fmt.Errorf("the collection %q is not a path relative to the API's root", collection)
	}
	return nil
}

func checkObjectID(id string) error { return checkPattern(objectIDPattern, id) }

func checkPattern(pattern *regexp.Regexp, value string) error {
	if !pattern.MatchString(value) {
		return fmt.Errorf("the identifier %q does not match %s", value, pattern)
	}
	return nil
}

func checkPositive(serial int64) error {
	if serial <= 0 {
		return fmt.Errorf("the serial %d is not positive", serial)
	}
	return nil
}

// checkAccessList checks that each entry is a range in canonical form, as the store keeps them.
func checkAccessList(entries []AccessListEntry) error {
	for _, e := range entries {
		prefix, err := netip.ParsePrefix(e.CIDR)
		if err != nil || prefix.Masked() != prefix {
			return fmt.Errorf("the access list entry %q is not a CIDR block in canonical form", e.CIDR)
		}
	}
	return nil
}
