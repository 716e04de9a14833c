package server

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/atlasstub/atlasstub/gen/stubapi"
	"github.com/atlasstub/atlasstub/server/engine"
	"github.com/atlasstub/atlasstub/server/journal"
	"github.com/atlasstub/atlasstub/server/store"
)

// Journal returns the journal of the Atlas API's exchanges; nil when it is off.
func (s *Server) Journal() *journal.Journal { return s.journal }

// StateSummary returns the state as the inspector shows it: who and what is there, with every
// secret masked, and expiry judged on the stub's clock.
func (s *Server) StateSummary() (stubapi.StateSummary, error) {
	var snap store.Snapshot
	if err := s.store.View(func(tx *store.Tx) (err error) { snap, err = tx.Snapshot(); return err }); err != nil {
		return stubapi.StateSummary{}, err
	}
	now := s.clock.Now()
	r := snap.Records
	out := stubapi.StateSummary{Now: now.Truncate(time.Second), Orgs: []stubapi.OrgSummary{}}
	orgAt := map[string]*stubapi.OrgSummary{}
	for _, o := range r.Orgs {
		out.Orgs = append(out.Orgs, stubapi.OrgSummary{Id: o.ID, Name: o.Name, Projects: []stubapi.ProjectSummary{}, ApiKeys: []stubapi.APIKeySummary{}, ServiceAccounts: []stubapi.ServiceAccountSummary{}, Resources: []stubapi.ResourceGroup{}})
	}
	for i := range out.Orgs {
		orgAt[out.Orgs[i].Id] = &out.Orgs[i]
	}
	users := map[string][]stubapi.DatabaseUserSummary{} // by project
	certs := map[[2]string][]stubapi.CertificateSummary{}
	for _, c := range r.Certificates {
		key := [2]string{c.ProjectID, c.Username}
		certs[key] = append(certs[key], stubapi.CertificateSummary{Serial: c.Serial, Subject: c.Subject, CreatedAt: c.CreatedAt, NotAfter: c.NotAfter, Expired: !now.Before(c.NotAfter)})
	}
	for _, u := range r.DatabaseUsers {
		users[u.ProjectID] = append(users[u.ProjectID], stubapi.DatabaseUserSummary{
			Username: u.Username, DatabaseName: u.DatabaseName, Authentication: authentication(u),
			Certificates: nonNil(certs[[2]string{u.ProjectID, u.Username}]),
		})
	}
	projectAt := map[string]*stubapi.ProjectSummary{}
	for _, p := range r.Projects {
		org := orgAt[p.OrgID]
		if org == nil {
			continue
		}
		org.Projects = append(org.Projects, stubapi.ProjectSummary{Id: p.ID, Name: p.Name, CreatedAt: p.CreatedAt, DatabaseUsers: nonNil(users[p.ID]), Resources: []stubapi.ResourceGroup{}})
	}
	for i := range out.Orgs {
		for j := range out.Orgs[i].Projects {
			projectAt[out.Orgs[i].Projects[j].Id] = &out.Orgs[i].Projects[j]
		}
	}
	for _, k := range r.APIKeys {
		if org := orgAt[k.OrgID]; org != nil {
			org.ApiKeys = append(org.ApiKeys, stubapi.APIKeySummary{
				Id: k.ID, PublicKey: k.PublicKey, PrivateKey: "********-****-****-" + k.PrivateKeyTail,
				Description: k.Description, Roles: roleNames(k.Grants), AccessList: accessListOf(k.AccessList),
			})
		}
	}
	for _, sa := range r.ServiceAccounts {
		org := orgAt[sa.OrgID]
		if org == nil {
			continue
		}
		secrets := make([]stubapi.SecretSummary, 0, len(sa.Secrets))
		for _, secret := range sa.Secrets {
			secrets = append(secrets, stubapi.SecretSummary{Id: secret.ID, MaskedSecretValue: secret.Masked(), CreatedAt: secret.CreatedAt, ExpiresAt: secret.ExpiresAt, Expired: !now.Before(secret.ExpiresAt)})
		}
		org.ServiceAccounts = append(org.ServiceAccounts, stubapi.ServiceAccountSummary{ClientId: sa.ClientID, Name: sa.Name, Roles: roleNames(sa.Grants), Secrets: secrets, AccessList: accessListOf(sa.AccessList)})
	}
	out.Resources = []stubapi.ResourceGroup{}
	for _, res := range r.Resources {
		owner, id, rest := ownerOf(res.Collection)
		groups := &out.Resources
		switch {
		case owner == "groups" && projectAt[id] != nil:
			groups = &projectAt[id].Resources
		case owner == "orgs" && orgAt[id] != nil:
			groups = &orgAt[id].Resources
		default:
			rest = res.Collection
		}
		addResource(groups, rest, res)
	}
	return out, nil
}

// ownerOf splits a resource's collection into its owner (groups or orgs), the owner's id and
// the path below it.
func ownerOf(collection string) (owner, id, rest string) {
	parts := strings.SplitN(collection, "/", 3)
	if len(parts) < 3 {
		return "", "", collection
	}
	return parts[0], parts[1], parts[2]
}

// addResource adds a resource to the group of its collection, which it creates under the tag
// of the operation that reads the collection in the official specification.
func addResource(groups *[]stubapi.ResourceGroup, collection string, res store.Resource) {
	i := slices.IndexFunc(*groups, func(g stubapi.ResourceGroup) bool { return g.Collection == collection })
	if i < 0 {
		*groups = append(*groups, stubapi.ResourceGroup{Tag: tagOf(res.Collection), Collection: collection, Items: []stubapi.ResourceItem{}})
		i = len(*groups) - 1
	}
	item := stubapi.ResourceItem{Id: res.ID}
	if name, ok := res.Document["name"].(string); ok && name != res.ID {
		item.Name = &name
	}
	if res.Phase != "" {
		phase := strings.ToUpper(res.Phase) // as Atlas's stateName says it
		item.Phase = &phase
	}
	(*groups)[i].Items = append((*groups)[i].Items, item)
}

// tagOf is the tag of the operation that reads a collection, "Other" when none does.
func tagOf(collection string) string {
	routes, err := engine.Routes()
	if err != nil {
		return "Other"
	}
	req, err := http.NewRequest(http.MethodGet, "/api/atlas/v2/"+collection, nil)
	if err != nil {
		return "Other"
	}
	route, _, err := routes.FindRoute(req)
	if err != nil || len(route.Operation.Tags) == 0 {
		return "Other"
	}
	return route.Operation.Tags[0]
}

// authentication names how a database user signs in.
func authentication(u store.DatabaseUser) string {
	for _, kind := range []struct{ name, value string }{{"X.509", u.X509Type}, {"AWS IAM", u.AWSIAMType}, {"LDAP", u.LDAPAuthType}, {"OIDC", u.OIDCAuthType}} {
		if kind.value != "" && kind.value != "NONE" {
			return kind.name + " " + kind.value
		}
	}
	return "SCRAM"
}

// roleNames lists a credential's roles: its organization's, then each project's, named.
func roleNames(g store.Grants) []string {
	out := slices.Clone(g.Org)
	projects := make([]string, 0, len(g.Projects))
	for id := range g.Projects {
		projects = append(projects, id)
	}
	slices.Sort(projects)
	for _, id := range projects {
		for _, role := range g.Projects[id] {
			out = append(out, role+" in "+id)
		}
	}
	return nonNil(out)
}

func accessListOf(entries []store.AccessListEntry) []stubapi.AccessListSummary {
	out := make([]stubapi.AccessListSummary, 0, len(entries))
	for _, e := range entries {
		out = append(out, stubapi.AccessListSummary{CidrBlock: e.CIDR, LastUsedAt: e.LastUsedAt})
	}
	return out
}

// nonNil is s, or an empty list for none: the summary's lists are never null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
