package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/atlasstub/atlasstub/server/apierror"
)

// DatabaseUser is a MongoDB database user of a project. Usernames are unique within a project.
type DatabaseUser struct {
	ProjectID    string
	Username     string
	DatabaseName string
	X509Type     string
	AWSIAMType   string
	LDAPAuthType string
	OIDCAuthType string
	// PasswordHash is the hex SHA-256 of a SCRAM user's password; the password itself is never kept.
	PasswordHash    string `json:",omitempty"`
	Description     string
	DeleteAfterDate *time.Time
	Labels          []Tag
	Roles           []DatabaseRole
	// Scopes limit the user to some clusters or data lakes; nil means all of them.
	Scopes    []Scope
	CreatedAt time.Time
}

// DatabaseRole grants a built-in or custom role on a database, optionally on one collection.
type DatabaseRole struct {
	RoleName       string
	DatabaseName   string
	CollectionName string
}

// Scope names one cluster, data lake or stream workspace.
type Scope struct {
	Name string
	Type string
}

// The authentication types and databases of database users.
const (
	AuthNone       = "NONE"
	X509Managed    = "MANAGED"
	X509Customer   = "CUSTOMER"
	DatabaseAdmin  = "admin"
	DatabaseExtern = "$external"
)

// MaxDatabaseUsersPerProject is Atlas's limit on database users in one project.
const MaxDatabaseUsersPerProject = 100

// MaxTemporaryUserLifetime is how far ahead a temporary user's deleteAfterDate may lie.
const MaxTemporaryUserLifetime = 7 * 24 * time.Hour

var databaseUsers = newTable[DatabaseUser]("databaseUsers")

// IsBuiltinRole reports whether name is a built-in database role, which no custom role may be
// called.
func IsBuiltinRole(name string) bool {
	_, ok := builtinRoles[name]
	return ok
}

// CustomRolesCollection is where the generic engine keeps a project's custom database roles, as
// the path of the official API names them (/groups/{groupId}/customDBRoles/roles).
func CustomRolesCollection(projectID string) string {
	return ResourcePath("groups", projectID) + "/customDBRoles/roles"
}

// customRoleExists reports, for the custom roles of a project, whether one is called name.
func (tx *Tx) customRoleExists(projectID string) func(name string) bool {
	return func(name string) bool {
		r, ok, err := tx.Resource(CustomRolesCollection(projectID), name)
		return err == nil && ok && r.Phase == ""
	}
}

// HashPassword returns what the store keeps of a SCRAM password.
func HashPassword(password string) string {
	sum := sha256.Sum256([]byte(password))
	return hex.EncodeToString(sum[:])
}

// CreateDatabaseUser stores a new database user after checking Atlas's rules.
func (tx *Tx) CreateDatabaseUser(u DatabaseUser) (DatabaseUser, error) {
	if err := tx.requireProject(u.ProjectID); err != nil {
		return DatabaseUser{}, err
	}
	if err := u.check(tx.now, tx.customRoleExists(u.ProjectID)); err != nil {
		return DatabaseUser{}, err
	}
	existing, err := tx.DatabaseUsers(u.ProjectID)
	if err != nil {
		return DatabaseUser{}, err
	}
	for _, other := range existing {
		if other.Username == u.Username {
			return DatabaseUser{}, apierror.UserAlreadyExists.New(u.Username)
		}
	}
	if len(existing) >= MaxDatabaseUsersPerProject {
		return DatabaseUser{}, apierror.GroupUsersLimitExceeded.New(MaxDatabaseUsersPerProject)
	}
	u.CreatedAt = tx.now
	return u, databaseUsers.put(tx, u.key(), u)
}

// DatabaseUser returns the user called username on databaseName, or USERNAME_NOT_FOUND.
func (tx *Tx) DatabaseUser(projectID, databaseName, username string) (DatabaseUser, error) {
	u, err := tx.DatabaseUserNamed(projectID, username)
	if err != nil {
		return DatabaseUser{}, err
	}
	if u.DatabaseName != databaseName {
		return DatabaseUser{}, apierror.UsernameNotFound.New(username)
	}
	return u, nil
}

// DatabaseUserNamed returns the user called username, whatever its database, or
// USERNAME_NOT_FOUND.
func (tx *Tx) DatabaseUserNamed(projectID, username string) (DatabaseUser, error) {
	if err := tx.requireProject(projectID); err != nil {
		return DatabaseUser{}, err
	}
	u, ok, err := databaseUsers.get(tx, key(projectID, username))
	if err != nil {
		return DatabaseUser{}, err
	}
	if !ok || u.deleted(tx.now) {
		return DatabaseUser{}, apierror.UsernameNotFound.New(username)
	}
	return u, nil
}

// requireDatabaseUser is DatabaseUserNamed for a rule that only needs the user to be there: it
// copies nothing.
func (tx *Tx) requireDatabaseUser(projectID, username string) error {
	if err := tx.requireProject(projectID); err != nil {
		return err
	}
	u, ok, err := databaseUsers.shared(tx, key(projectID, username))
	if err == nil && (!ok || u.deleted(tx.now)) {
		err = apierror.UsernameNotFound.New(username)
	}
	return err
}

// DatabaseUsers returns the users of a project, ordered by username.
func (tx *Tx) DatabaseUsers(projectID string) ([]DatabaseUser, error) {
	if err := tx.requireProject(projectID); err != nil {
		return nil, err
	}
	all, err := databaseUsers.list(tx, prefix(projectID))
	return slices.DeleteFunc(all, func(u DatabaseUser) bool { return u.deleted(tx.now) }), err
}

// key files a user under its project.
func (u DatabaseUser) key() string { return key(u.ProjectID, u.Username) }

// deleted reports whether a temporary user has passed its deleteAfterDate: Atlas deletes it
// then, so the stub treats it as gone from that moment.
func (u DatabaseUser) deleted(now time.Time) bool {
	return u.DeleteAfterDate != nil && !u.DeleteAfterDate.After(now)
}

// UpdateDatabaseUser replaces a user with its changed version. The username, the authentication
// database and the authentication type cannot change.
func (tx *Tx) UpdateDatabaseUser(current, changed DatabaseUser) (DatabaseUser, error) {
	switch {
	case changed.Username != current.Username:
		return DatabaseUser{}, apierror.UsernameCannotBeChanged.New()
	case changed.DatabaseName != current.DatabaseName:
		return DatabaseUser{}, apierror.DatabaseNameCannotBeChanged.New()
	case changed.authType() != current.authType():
		return DatabaseUser{}, apierror.AuthTypeCannotBeChanged.New()
	}
	if err := changed.check(tx.now, tx.customRoleExists(changed.ProjectID)); err != nil {
		return DatabaseUser{}, err
	}
	changed.ProjectID, changed.CreatedAt = current.ProjectID, current.CreatedAt
	return changed, databaseUsers.put(tx, changed.key(), changed)
}

// DeleteDatabaseUser removes a user and its certificates from the lists. The certificates stay
// cryptographically valid until they expire, as in Atlas, which cannot revoke them.
func (tx *Tx) DeleteDatabaseUser(projectID, databaseName, username string) error {
	if _, err := tx.DatabaseUser(projectID, databaseName, username); err != nil {
		return err
	}
	if err := certificates.deletePrefix(tx, prefix(projectID, username)); err != nil {
		return err
	}
	return databaseUsers.delete(tx, key(projectID, username))
}

// authType names the one way the user authenticates: SCRAM, or an external method.
func (u DatabaseUser) authType() string {
	for _, t := range []struct{ name, value string }{
		{"x509Type", u.X509Type}, {"awsIAMType", u.AWSIAMType},
		{"ldapAuthType", u.LDAPAuthType}, {"oidcAuthType", u.OIDCAuthType},
	} {
		if t.value != AuthNone {
			return t.name + "=" + t.value
		}
	}
	return "SCRAM"
}

// usesX509 reports whether the user authenticates with an X.509 certificate.
func (u DatabaseUser) usesX509() bool { return u.X509Type != AuthNone }

var (
	managedDN       = regexp.MustCompile(`^CN=[^,=+]+$`)
	distinguishedCN = regexp.MustCompile(`(^|,)\s*CN=[^,]+`)
)

// check enforces Atlas's rules on one user, independent of the other users.
func (u DatabaseUser) check(now time.Time, customRole func(name string) bool) error {
	// A control character (NUL, a newline, ...) would end up in the subject of certificates
	// and in MongoDB's user names, where no tool expects one.
	if strings.TrimSpace(u.Username) == "" || strings.ContainsFunc(u.Username, unicode.IsControl) {
		return apierror.InvalidUsername.New(u.Username)
	}
	var external []string
	for _, t := range []struct{ name, value string }{
		{"x509Type", u.X509Type}, {"awsIAMType", u.AWSIAMType},
		{"ldapAuthType", u.LDAPAuthType}, {"oidcAuthType", u.OIDCAuthType},
	} {
		if t.value != AuthNone {
			external = append(external, t.name)
		}
	}
	if u.usesX509() && u.LDAPAuthType != AuthNone {
		return apierror.X509UserCannotUseLDAP.New()
	}
	if len(external) > 1 {
		return apierror.MultipleAuthenticationMethod.New(external[0], external[1])
	}
	if u.usesX509() {
		switch {
		case u.PasswordHash != "":
			return apierror.X509UserCannotUseSCRAM.New()
		case u.DeleteAfterDate != nil:
			return apierror.X509UserCannotBeTemporary.New()
		case u.X509Type == X509Managed && strings.ContainsAny(u.Username, "=,+") && !managedDN.MatchString(u.Username):
			return apierror.ManagedX509NameInvalid.New(u.Username)
		case u.X509Type == X509Customer && !distinguishedCN.MatchString(u.Username):
			return apierror.InvalidLDAPName.New(u.Username)
		}
	}
	// OIDC workforce groups (IDP_GROUP) authenticate on admin like SCRAM users; every other
	// external method lives on $external.
	onExternal := len(external) == 1 && u.OIDCAuthType != "IDP_GROUP"
	switch {
	case onExternal && u.DatabaseName != DatabaseExtern:
		return apierror.DatabaseNameInvalidExternal.New()
	case !onExternal && u.DatabaseName != DatabaseAdmin:
		return apierror.DatabaseNameInvalidAdmin.New(describeSCRAM(external))
	case len(external) == 0 && u.PasswordHash == "":
		return apierror.MissingAttribute.New("password")
	}
	if u.DeleteAfterDate != nil {
		if !u.DeleteAfterDate.After(now) {
			return apierror.ExpirationDateInPast.New()
		}
		if u.DeleteAfterDate.Sub(now) > MaxTemporaryUserLifetime {
			return apierror.ExpirationDateExceedsMax.New(int(MaxTemporaryUserLifetime.Hours() / 24))
		}
	}
	return checkRoles(u.Username, u.Roles, customRole)
}

func describeSCRAM(external []string) string {
	if len(external) == 0 {
		return "SCRAM users"
	}
	return "OIDC workforce users"
}

// builtinRoles maps each built-in role to the database it must be granted on, or "" for any.
var builtinRoles = map[string]string{
	"atlasAdmin":           DatabaseAdmin,
	"backup":               DatabaseAdmin,
	"clusterMonitor":       DatabaseAdmin,
	"dbAdmin":              "",
	"dbAdminAnyDatabase":   DatabaseAdmin,
	"enableSharding":       DatabaseAdmin,
	"read":                 "",
	"readAnyDatabase":      DatabaseAdmin,
	"readWrite":            "",
	"readWriteAnyDatabase": DatabaseAdmin,
}

// checkRoles accepts built-in roles on the databases they exist on, and the project's custom
// roles on admin, where Atlas assigns them, once each. Any other role name does not exist.
func checkRoles(username string, roles []DatabaseRole, customRole func(name string) bool) error {
	seen := map[DatabaseRole]bool{}
	for _, r := range roles {
		onlyOn, ok := builtinRoles[r.RoleName]
		if !ok && customRole(r.RoleName) {
			onlyOn, ok = DatabaseAdmin, true
		}
		if !ok {
			return apierror.InvalidRole.New(r.RoleName, r.DatabaseName)
		}
		if onlyOn != "" && r.DatabaseName != onlyOn {
			return apierror.InvalidRoleDatabase.New(r.RoleName, onlyOn)
		}
		if seen[r] {
			return apierror.DuplicateDatabaseRoles.New(username, fmt.Sprintf("%s@%s", r.RoleName, r.DatabaseName))
		}
		seen[r] = true
	}
	return nil
}
