package store

import (
	"slices"
	"time"

	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/ids"
)

// Project is an Atlas project, which the API also calls a group.
type Project struct {
	ID                        string
	OrgID                     string
	Name                      string
	Tags                      []Tag
	CreatedAt                 time.Time
	WithDefaultAlertsSettings bool
	Security                  UserSecurity
}

// Tag is a key-value label.
type Tag struct {
	Key   string
	Value string
}

var projects = newTable[Project]("projects")

// CreateProject stores a new project in its organization. Names are unique within an
// organization. The id is generated unless p.ID is set (the bootstrap project's id may come from
// a seed).
func (tx *Tx) CreateProject(p Project) (Project, error) {
	if _, err := tx.Org(p.OrgID); err != nil {
		return Project{}, err
	}
	if err := tx.checkProjectNameFree(p.OrgID, p.Name, ""); err != nil {
		return Project{}, err
	}
	if p.ID == "" {
		p.ID = ids.ObjectID(tx.now)
	}
	p.CreatedAt = tx.now
	return p, projects.put(tx, p.ID, p)
}

// Project returns the project with id, or GROUP_NOT_FOUND.
func (tx *Tx) Project(id string) (Project, error) {
	p, ok, err := projects.get(tx, id)
	if err != nil {
		return Project{}, err
	}
	if !ok {
		return Project{}, apierror.GroupNotFound.New(id)
	}
	return p, nil
}

// requireProject is Project for a rule that only needs the project to be there: it copies
// nothing.
func (tx *Tx) requireProject(id string) error {
	_, ok, err := projects.shared(tx, id)
	if err == nil && !ok {
		err = apierror.GroupNotFound.New(id)
	}
	return err
}

// Projects returns the projects of the organization orgID, or of every organization when orgID
// is empty, oldest first.
func (tx *Tx) Projects(orgID string) ([]Project, error) {
	all, err := projects.list(tx, "")
	if err != nil || orgID == "" {
		return all, err
	}
	return slices.DeleteFunc(all, func(p Project) bool { return p.OrgID != orgID }), nil
}

// ProjectsNamed returns the projects called name, in any organization.
func (tx *Tx) ProjectsNamed(name string) ([]Project, error) {
	all, err := projects.list(tx, "")
	return slices.DeleteFunc(all, func(p Project) bool { return p.Name != name }), err
}

// UpdateProject stores a changed project; a new name must be free in the organization.
func (tx *Tx) UpdateProject(p Project) (Project, error) {
	current, err := tx.Project(p.ID)
	if err != nil {
		return Project{}, err
	}
	if p.Name != current.Name {
		if err := tx.checkProjectNameFree(current.OrgID, p.Name, p.ID); err != nil {
			return Project{}, err
		}
	}
	return p, projects.put(tx, p.ID, p)
}

// DeleteProject removes a project with everything that lives in it: database users, their
// certificates, the project's certificate authority, and the generic engine's resources.
func (tx *Tx) DeleteProject(id string) error {
	p, err := tx.Project(id)
	if err != nil {
		return err
	}
	if err := tx.dropProjectGrants(p); err != nil {
		return err
	}
	for _, del := range []func() error{
		func() error { return databaseUsers.deletePrefix(tx, prefix(id)) },
		func() error { return certificates.deletePrefix(tx, prefix(id)) },
		func() error { return authorities.delete(tx, id) },
		func() error { return tx.DeleteResourcesUnder(ResourcePath("groups", id)) },
		func() error { return projects.delete(tx, id) },
	} {
		if err := del(); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) checkProjectNameFree(orgID, name, exceptID string) error {
	inOrg, err := tx.Projects(orgID)
	if err != nil {
		return err
	}
	for _, other := range inOrg {
		if other.Name == name && other.ID != exceptID {
			return apierror.GroupExists.New(name)
		}
	}
	return nil
}

// dropProjectGrants removes a deleted project's roles from the API keys and service accounts of
// its organization.
func (tx *Tx) dropProjectGrants(p Project) error {
	keys, err := tx.APIKeys(p.OrgID)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if _, ok := k.Grants.Projects[p.ID]; ok {
			k.Grants = k.Grants.WithProject(p.ID, nil)
			if err := apiKeys.put(tx, k.ID, k); err != nil {
				return err
			}
		}
	}
	accounts, err := tx.ServiceAccounts(p.OrgID)
	if err != nil {
		return err
	}
	for _, sa := range accounts {
		if _, ok := sa.Grants.Projects[p.ID]; ok {
			sa.Grants = sa.Grants.WithProject(p.ID, nil)
			if err := serviceAccounts.put(tx, sa.ClientID, sa); err != nil {
				return err
			}
		}
	}
	return nil
}
