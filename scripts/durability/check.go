package durability

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"
)

// Exported is the stub's state as GET /_stub/state exports it, with the fields the checks read.
type Exported struct {
	ClockOffset string
	Bootstrap   Credentials
	Records     struct {
		Orgs          []struct{ ID string }                                          `json:"orgs"`
		Projects      []struct{ ID, OrgID, Name string }                             `json:"projects"`
		DatabaseUsers []struct{ ProjectID, Username, DatabaseName, X509Type string } `json:"databaseUsers"`
		Certificates  []struct {
			ProjectID, Username string
			Serial              int64
		} `json:"certificates"`
		CertificateAuthorities []struct {
			ProjectID      string
			CertificateDER []byte
		} `json:"certificateAuthorities"`
		APIKeys []struct {
			ID, OrgID, Description string
			Grants                 grants
			AccessList             []struct{ CIDR string }
		} `json:"apiKeys"`
		ServiceAccounts []struct {
			ClientID, OrgID, Name string
			Grants                grants
			Secrets               []struct{ ID string }
		} `json:"serviceAccounts"`
	} `json:"records"`
}

type grants struct {
	Org      []string
	Projects map[string][]string
}

// Export reads the stub's whole state.
func Export(ctx context.Context, c *Client) (Exported, error) {
	r, err := c.Do(ctx, http.MethodGet, "/_stub/state", nil)
	if err != nil {
		return Exported{}, err
	}
	if r.Status != http.StatusOK {
		return Exported{}, fmt.Errorf("GET /_stub/state answered %d: %s", r.Status, r.Body)
	}
	var e Exported
	return e, json.Unmarshal(r.Body, &e)
}

// Checker checks a stub's state against the ledgers of its writers, and settles each ledger's
// pending operation by what the state shows. It remembers each project's CA as it first saw
// it, since a CA never changes.
type Checker struct {
	cas map[string][]byte
	// Applied counts the operations cut off by the stub going away that a check found done
	// whole, Cut those it found not done, or whose outcome leaves no record (a revocation).
	Applied, Cut int
}

// NewChecker returns a checker that has seen no CA yet.
func NewChecker() *Checker { return &Checker{cas: map[string][]byte{}} }

// Check reads the state of the stub behind c and returns what is wrong with it: a record that
// does not hold together with the others, an acknowledged write that is missing, an operation
// that is half there, a CA that changed or does not verify a certificate it issued, the clock,
// a revoked token that works or a minted one that does not. ledgers[i] is writer i's.
func (k *Checker) Check(ctx context.Context, c *Client, ledgers []*Ledger) []string {
	state, err := Export(ctx, c)
	if err != nil {
		return []string{err.Error()}
	}
	problems := consistency(state)
	problems = append(problems, k.authorities(state)...)
	problems = append(problems, k.clock(state, ledgers)...)
	for i, l := range ledgers {
		pending := l.Pending
		applied, err := settle(l, viewOf(state, fmt.Sprintf("w%d-", i)))
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("writer %d: %v", i, err))
		case applied:
			k.Applied++
		case pending != nil:
			k.Cut++
		}
	}
	problems = append(problems, k.certificates(ledgers)...)
	problems = append(problems, throughTheAPI(ctx, c, ledgers)...)
	problems = append(problems, checkTokens(ctx, c, state, ledgers)...)
	return problems
}

// TokenWorks checks that a token minted before works, unless it expired on the stub's clock.
func TokenWorks(ctx context.Context, c *Client, org, token string) error {
	expires, err := expiry(token)
	if err != nil {
		return err
	}
	var clock struct{ Now time.Time }
	r, err := c.Do(ctx, http.MethodGet, "/_stub/clock", nil)
	if err != nil || json.Unmarshal(r.Body, &clock) != nil {
		return fmt.Errorf("read the stub's clock: %v", err)
	}
	if !expires.After(clock.Now.Add(time.Minute)) {
		return nil // it expires on the stub's clock
	}
	if r, err := c.WithToken(ctx, "/api/atlas/v2/orgs/"+org, token); err != nil || r.Status != http.StatusOK {
		return fmt.Errorf("a token minted before answered %d (%v)", r.Status, err)
	}
	return nil
}

// throughTheAPI reads one project of each writer through the Atlas API, its users and one
// user's certificates, as a client sees them: what the ledger holds.
func throughTheAPI(ctx context.Context, c *Client, ledgers []*Ledger) []string {
	var problems []string
	list := func(path string, into any) error {
		r, err := c.Do(ctx, http.MethodGet, path, nil)
		if err != nil {
			return err
		}
		if r.Status != http.StatusOK {
			return fmt.Errorf("GET %s answered %d: %s", path, r.Status, r.Body)
		}
		return json.Unmarshal(r.Body, into)
	}
	for i, l := range ledgers {
		names := slices.Sorted(maps.Keys(l.Projects))
		if len(names) == 0 {
			continue
		}
		p := l.Projects[names[0]]
		group := "/api/atlas/v2/groups/" + p.ID
		var project struct{ Name string }
		var users struct{ Results []struct{ Username string } }
		if err := list(group, &project); err != nil || project.Name != names[0] {
			problems = append(problems, fmt.Sprintf("writer %d: project %s reads as %q (%v)", i, names[0], project.Name, err))
			continue
		}
		if err := list(group+"/databaseUsers?itemsPerPage=500", &users); err != nil {
			problems = append(problems, fmt.Sprintf("writer %d: %v", i, err))
			continue
		}
		var usernames []string
		for _, u := range users.Results {
			usernames = append(usernames, u.Username)
		}
		known := slices.Sorted(maps.Keys(p.Users))
		if !slices.Equal(slices.Sorted(slices.Values(usernames)), known) {
			problems = append(problems, fmt.Sprintf("writer %d: project %s lists the users %v, not %v", i, names[0], usernames, known))
		}
		if len(known) == 0 {
			continue
		}
		var certs struct {
			Results []struct {
				ID int64 `json:"_id"`
			}
		}
		if err := list(group+"/databaseUsers/"+known[0]+"/certs?itemsPerPage=500", &certs); err != nil {
			problems = append(problems, fmt.Sprintf("writer %d: %v", i, err))
			continue
		}
		var serials []int64
		for _, cert := range certs.Results {
			serials = append(serials, cert.ID)
		}
		if issued := sorted(slices.Collect(maps.Keys(p.Users[known[0]].Certificates))); !slices.Equal(sorted(serials), issued) {
			problems = append(problems, fmt.Sprintf("writer %d: user %s lists the certificates %v, not %v", i, known[0], serials, issued))
		}
	}
	return problems
}

// consistency checks that the records hold together: one organization, every record's owner
// there, no name or serial twice, roles only in projects that exist.
func consistency(s Exported) []string {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	r := s.Records
	if len(r.Orgs) != 1 || r.Orgs[0].ID != s.Bootstrap.OrgID {
		fail("the organizations are %v, not the bootstrap one alone", r.Orgs)
	}
	projects := map[string]bool{}
	names := map[string]bool{}
	for _, p := range r.Projects {
		if p.OrgID != s.Bootstrap.OrgID {
			fail("project %s is in organization %s", p.ID, p.OrgID)
		}
		if names[p.Name] {
			fail("two projects are called %s", p.Name)
		}
		projects[p.ID], names[p.Name] = true, true
	}
	managed := map[string]bool{}
	for _, u := range r.DatabaseUsers {
		if !projects[u.ProjectID] {
			fail("user %s is in project %s, which is not there", u.Username, u.ProjectID)
		}
		if u.X509Type == "MANAGED" && u.DatabaseName == "$external" {
			managed[u.ProjectID+"/"+u.Username] = true
		}
	}
	serials := map[int64]bool{}
	for _, c := range r.Certificates {
		if !managed[c.ProjectID+"/"+c.Username] {
			fail("certificate %d is of user %s of project %s, which is not a MANAGED user there", c.Serial, c.Username, c.ProjectID)
		}
		if serials[c.Serial] {
			fail("two certificates have the serial %d", c.Serial)
		}
		serials[c.Serial] = true
	}
	authorities := map[string]bool{}
	for _, ca := range r.CertificateAuthorities {
		if !projects[ca.ProjectID] || authorities[ca.ProjectID] {
			fail("a CA of project %s, which is not there or has another", ca.ProjectID)
		}
		authorities[ca.ProjectID] = true
	}
	roles := func(owner string, g grants) {
		for p := range g.Projects {
			if !projects[p] {
				fail("%s holds roles in project %s, which is not there", owner, p)
			}
		}
	}
	for _, key := range r.APIKeys {
		roles("API key "+key.ID, key.Grants)
	}
	for _, sa := range r.ServiceAccounts {
		roles("service account "+sa.ClientID, sa.Grants)
		if len(sa.Secrets) > 2 {
			fail("service account %s has %d secrets", sa.ClientID, len(sa.Secrets))
		}
	}
	return problems
}

// authorities checks that no project's CA changed since the checker first saw it.
func (k *Checker) authorities(s Exported) []string {
	var problems []string
	for _, ca := range s.Records.CertificateAuthorities {
		if seen, ok := k.cas[ca.ProjectID]; ok && !slices.Equal(seen, ca.CertificateDER) {
			problems = append(problems, "the CA of project "+ca.ProjectID+" changed")
		}
		k.cas[ca.ProjectID] = ca.CertificateDER
	}
	return problems
}

// certificates checks that every certificate a writer was issued verifies against its
// project's CA: the one the checker saw, which did not change.
func (k *Checker) certificates(ledgers []*Ledger) []string {
	var problems []string
	for i, l := range ledgers {
		for name, p := range l.Projects {
			der, ok := k.cas[p.ID]
			if !ok && hasCertificates(p) {
				problems = append(problems, fmt.Sprintf("writer %d: project %s has certificates but no CA", i, name))
				continue
			}
			ca, err := x509.ParseCertificate(der)
			for username, u := range p.Users {
				for serial, body := range u.Certificates {
					if body == nil {
						continue // issued, but its answer never came
					}
					certificate, perr := parseCertificate(body)
					if err != nil || perr != nil || certificate.CheckSignatureFrom(ca) != nil {
						problems = append(problems, fmt.Sprintf("writer %d: certificate %d of %s in %s does not verify against the project's CA", i, serial, username, name))
					}
				}
			}
		}
	}
	return problems
}

func hasCertificates(p *Project) bool {
	for _, u := range p.Users {
		if len(u.Certificates) > 0 {
			return true
		}
	}
	return false
}

// clock checks that the clock's offset is the sum of the acknowledged advances, or that plus a
// pending one, which it then counts as done.
func (k *Checker) clock(s Exported, ledgers []*Ledger) []string {
	offset, err := time.ParseDuration(s.ClockOffset)
	if err != nil {
		return []string{"the clock offset " + s.ClockOffset + " does not parse"}
	}
	var acknowledged time.Duration
	var pending *Ledger
	for _, l := range ledgers {
		acknowledged += l.Advanced
		if l.Pending != nil && l.Pending.Kind == AdvanceClock {
			pending = l
		}
	}
	switch {
	case offset == acknowledged:
	case pending != nil && offset == acknowledged+advanceStep:
		pending.Advanced += advanceStep
		pending.Pending = nil
		k.Applied++
	default:
		return []string{fmt.Sprintf("the clock is %s ahead, the acknowledged advances %s", offset, acknowledged)}
	}
	return nil
}

// checkTokens checks that every revoked token is refused, and every minted one taken while it
// lasts on the stub's clock and its secret is there; it keeps a few of each for the next check.
func checkTokens(ctx context.Context, c *Client, s Exported, ledgers []*Ledger) []string {
	var problems []string
	offset, _ := time.ParseDuration(s.ClockOffset)
	stubNow := time.Now().Add(offset)
	probe := func(token string) (int, error) {
		r, err := c.WithToken(ctx, "/api/atlas/v2/orgs/"+s.Bootstrap.OrgID, token)
		return r.Status, err
	}
	for i, l := range ledgers {
		for _, token := range l.Revoked {
			if status, err := probe(token); err != nil || status != http.StatusUnauthorized {
				problems = append(problems, fmt.Sprintf("writer %d: a revoked token answered %d (%v)", i, status, err))
			}
		}
		var live []LiveToken
		for _, token := range l.Live {
			a, ok := l.Accounts[token.Account]
			if !ok || !a.Secrets[token.SecretID] || !token.Expires.After(stubNow.Add(time.Minute)) {
				continue // its secret is gone, or it expires: it no longer works
			}
			if status, err := probe(token.Token); err != nil || status != http.StatusOK {
				problems = append(problems, fmt.Sprintf("writer %d: a token minted before answered %d (%v)", i, status, err))
			}
			live = append(live, token)
		}
		l.Live = last(live, 5)
		l.Revoked = last(l.Revoked, 5)
	}
	return problems
}

func last[T any](tokens []T, n int) []T { return tokens[max(0, len(tokens)-n):] }

// view is the part of the state a writer changes, as comparable values.
type view struct {
	Projects map[string]projectView
	Accounts map[string]accountView
	Keys     map[string]keyView
}

type projectView struct {
	ID    string
	Users map[string][]int64 // the serials of each user's certificates, sorted
}

type accountView struct {
	ClientID string
	Secrets  []string // sorted
}

type keyView struct {
	ID    string
	CIDRs []string // sorted
}

// viewOf is the part of the state whose names start with prefix.
func viewOf(s Exported, prefix string) view {
	v := view{Projects: map[string]projectView{}, Accounts: map[string]accountView{}, Keys: map[string]keyView{}}
	names := map[string]string{}
	for _, p := range s.Records.Projects {
		if strings.HasPrefix(p.Name, prefix) {
			v.Projects[p.Name] = projectView{ID: p.ID, Users: map[string][]int64{}}
			names[p.ID] = p.Name
		}
	}
	for _, u := range s.Records.DatabaseUsers {
		if name, ok := names[u.ProjectID]; ok {
			v.Projects[name].Users[u.Username] = []int64{}
		}
	}
	for _, c := range s.Records.Certificates {
		if name, ok := names[c.ProjectID]; ok {
			users := v.Projects[name].Users
			users[c.Username] = sorted(append(users[c.Username], c.Serial))
		}
	}
	for _, sa := range s.Records.ServiceAccounts {
		if strings.HasPrefix(sa.Name, prefix) {
			a := accountView{ClientID: sa.ClientID, Secrets: []string{}}
			for _, secret := range sa.Secrets {
				a.Secrets = append(a.Secrets, secret.ID)
			}
			slices.Sort(a.Secrets)
			v.Accounts[sa.Name] = a
		}
	}
	for _, key := range s.Records.APIKeys {
		if strings.HasPrefix(key.Description, prefix) {
			k := keyView{ID: key.ID, CIDRs: []string{}}
			for _, e := range key.AccessList {
				k.CIDRs = append(k.CIDRs, e.CIDR)
			}
			slices.Sort(k.CIDRs)
			v.Keys[key.Description] = k
		}
	}
	return v
}

// view is what the ledger expects the state to show.
func (l *Ledger) view() view {
	v := view{Projects: map[string]projectView{}, Accounts: map[string]accountView{}, Keys: map[string]keyView{}}
	for name, p := range l.Projects {
		pv := projectView{ID: p.ID, Users: map[string][]int64{}}
		for username, u := range p.Users {
			pv.Users[username] = sorted(slices.Collect(maps.Keys(u.Certificates)))
		}
		v.Projects[name] = pv
	}
	for name, a := range l.Accounts {
		v.Accounts[name] = accountView{ClientID: a.ClientID, Secrets: append([]string{}, slices.Sorted(maps.Keys(a.Secrets))...)}
	}
	for name, k := range l.Keys {
		v.Keys[name] = keyView{ID: k.ID, CIDRs: append([]string{}, slices.Sorted(maps.Keys(k.CIDRs))...)}
	}
	return v
}

func sorted(serials []int64) []int64 {
	slices.Sort(serials)
	if serials == nil {
		return []int64{}
	}
	return serials
}

// settle compares what the state shows of a writer's records with its ledger: it must be what
// the ledger acknowledged, or that with the pending operation done whole (applied). The ledger
// then holds what the state shows, and nothing is pending.
func settle(l *Ledger, actual view) (applied bool, err error) {
	pending := l.Pending
	l.Pending = nil
	if reflect.DeepEqual(l.view(), actual) {
		return false, nil
	}
	if pending != nil {
		done := l.clone()
		if done.apply(*pending, actual) && reflect.DeepEqual(done.view(), actual) {
			*l = *done
			return true, nil
		}
	}
	want, _ := json.Marshal(l.view())
	got, _ := json.Marshal(actual)
	return false, fmt.Errorf("the state shows %s; acknowledged were %s, and %v was pending", got, want, pending)
}

// apply does an operation whose answer never came, taking what the answer would have told (a
// new identifier, a serial) from the state: false when the state has no such thing.
func (l *Ledger) apply(op Op, actual view) bool {
	switch op.Kind {
	case CreateProject:
		p, ok := actual.Projects[op.Name]
		l.Projects[op.Name] = &Project{ID: p.ID, Users: map[string]*User{}}
		return ok
	case DeleteProject:
		delete(l.Projects, op.Name)
	case CreateUser:
		l.Projects[op.Name].Users[op.User] = &User{Certificates: map[int64][]byte{}}
	case DeleteUser:
		delete(l.Projects[op.Name].Users, op.User)
	case IssueCert:
		u := l.Projects[op.Name].Users[op.User]
		issued := slices.DeleteFunc(slices.Clone(actual.Projects[op.Name].Users[op.User]), func(serial int64) bool {
			_, known := u.Certificates[serial]
			return known
		})
		if len(issued) != 1 {
			return false
		}
		u.Certificates[issued[0]] = nil // issued, its certificate unknown
	case CreateAccount:
		a, ok := actual.Accounts[op.Name]
		l.Accounts[op.Name] = &Account{ClientID: a.ClientID, Secrets: setOf(a.Secrets)}
		return ok && len(a.Secrets) == 1
	case DeleteAccount:
		delete(l.Accounts, op.Name)
	case AddSecret:
		a := l.Accounts[op.Name]
		added := slices.DeleteFunc(slices.Clone(actual.Accounts[op.Name].Secrets), func(id string) bool { return a.Secrets[id] })
		if len(added) != 1 {
			return false
		}
		a.Secrets[added[0]] = true
	case DeleteSecret:
		a := l.Accounts[op.Name]
		delete(a.Secrets, op.SecretID)
		if a.SecretID == op.SecretID {
			a.SecretID, a.Secret = "", ""
		}
	case CreateKey:
		k, ok := actual.Keys[op.Name]
		l.Keys[op.Name] = &Key{ID: k.ID, CIDRs: map[string]bool{}}
		return ok
	case DeleteKey:
		delete(l.Keys, op.Name)
	case AddCIDR:
		l.Keys[op.Name].CIDRs[op.CIDR] = true
	case DeleteCIDR:
		delete(l.Keys[op.Name].CIDRs, op.CIDR)
	}
	return true
}

func setOf(items []string) map[string]bool {
	set := map[string]bool{}
	for _, item := range items {
		set[item] = true
	}
	return set
}

// clone copies the ledger deeply, for apply to change.
func (l *Ledger) clone() *Ledger {
	data, err := json.Marshal(l)
	if err != nil {
		panic(err) // a ledger is plain data
	}
	var c Ledger
	if err := json.Unmarshal(data, &c); err != nil {
		panic(err)
	}
	return &c
}
