package store

import (
	"fmt"
	"slices"
	"time"

	"github.com/atlasstub/atlasstub/server/apierror"
)

// Certificate is what the store remembers of an Atlas-managed X.509 certificate: never its
// private key, which only the response that issues it carries.
type Certificate struct {
	ProjectID string
	Username  string
	Serial    int64
	Subject   string
	CreatedAt time.Time
	NotAfter  time.Time
}

// CertificateAuthority is a project's own CA, which signs the certificates of its MANAGED users.
type CertificateAuthority struct {
	ProjectID      string
	CertificateDER []byte
	PrivateKeyDER  []byte // PKCS#8
	CreatedAt      time.Time
}

// DefaultCertificateMonths is how long a managed certificate is valid when the request does not
// say; the specification's default, and its bounds (1 to 24 months), apply to what it says.
const DefaultCertificateMonths = 3

var (
	certificates = newTable[Certificate]("certificates")
	authorities  = newTable[CertificateAuthority]("authorities")
)

// ManagedCertificateHolder returns the user that a managed certificate may be issued for: it
// exists, and it is a MANAGED X.509 user on $external. Otherwise USERNAME_NOT_FOUND or
// USER_NOT_MANAGED_X509.
func (tx *Tx) ManagedCertificateHolder(projectID, username string) (DatabaseUser, error) {
	u, err := tx.DatabaseUserNamed(projectID, username)
	if err != nil {
		return DatabaseUser{}, err
	}
	if u.X509Type != X509Managed || u.DatabaseName != DatabaseExtern {
		return DatabaseUser{}, apierror.UserNotManagedX509.New()
	}
	return u, nil
}

// AddCertificate records an issued certificate of a MANAGED user.
func (tx *Tx) AddCertificate(c Certificate) error {
	if _, err := tx.ManagedCertificateHolder(c.ProjectID, c.Username); err != nil {
		return err
	}
	return certificates.put(tx, c.key(), c)
}

// key files a certificate under its user, the creation time leading so that a user's
// certificates list oldest first.
func (c Certificate) key() string {
	return key(c.ProjectID, c.Username, fmt.Sprintf("%020d-%020d", c.CreatedAt.UnixNano(), c.Serial))
}

// UnexpiredCertificates returns the certificates of a user that have not expired, oldest first,
// or USERNAME_NOT_FOUND.
func (tx *Tx) UnexpiredCertificates(projectID, username string) ([]Certificate, error) {
	if err := tx.requireDatabaseUser(projectID, username); err != nil {
		return nil, err
	}
	all, err := certificates.list(tx, prefix(projectID, username))
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(c Certificate) bool { return !c.NotAfter.After(tx.now) }), nil
}

// CertificateAuthority returns the CA of a project, if it has one yet.
func (tx *Tx) CertificateAuthority(projectID string) (CertificateAuthority, bool, error) {
	if err := tx.requireProject(projectID); err != nil {
		return CertificateAuthority{}, false, err
	}
	return authorities.get(tx, projectID)
}

// SetCertificateAuthority stores the CA of a project unless it already has one, and returns the
// CA that the project ends up with.
func (tx *Tx) SetCertificateAuthority(ca CertificateAuthority) (CertificateAuthority, error) {
	existing, ok, err := tx.CertificateAuthority(ca.ProjectID)
	if err != nil || ok {
		return existing, err
	}
	return ca, authorities.put(tx, ca.ProjectID, ca)
}
