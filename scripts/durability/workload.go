package durability

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Ledger is what one writer knows of the part of the state that it alone changes: what the
// stub acknowledged, and the one operation in flight when the stub went away, whose outcome is
// unknown. Its names carry the writer's number, so that writers never touch each other's
// records.
type Ledger struct {
	Projects map[string]*Project // by name
	Accounts map[string]*Account // by name
	Keys     map[string]*Key     // by description
	// Revoked are tokens whose revocation the stub acknowledged; Live, tokens minted and kept.
	Revoked []string
	Live    []LiveToken
	// Advanced is how far this writer moved the stub's clock, in acknowledged advances.
	Advanced time.Duration
	// Pending is the operation whose whole answer the writer never had.
	Pending *Op
}

// Project is a project of the ledger and its MANAGED X.509 users.
type Project struct {
	ID    string
	Users map[string]*User
}

// User holds the certificates issued to a user, by serial: the PEM certificate, or nil for one
// whose issuance the stub never acknowledged but which a restart showed was made.
type User struct {
	Certificates map[int64][]byte
}

// Account is a service account, its secrets by id, and the value of one of them, when the
// writer has it, to mint tokens with.
type Account struct {
	ClientID         string
	Secrets          map[string]bool
	SecretID, Secret string
}

// LiveToken is a token minted with a secret of an account, which works until it expires.
type LiveToken struct {
	Token, Account, SecretID string
	Expires                  time.Time
}

// Key is an API key and the CIDR blocks of its access list.
type Key struct {
	ID    string
	CIDRs map[string]bool
}

// NewLedger returns the ledger of a writer that has written nothing.
func NewLedger() *Ledger {
	return &Ledger{Projects: map[string]*Project{}, Accounts: map[string]*Account{}, Keys: map[string]*Key{}}
}

// Kind is a kind of operation.
type Kind string

// The operations of a writer: one request each, but for revoking a token, which mints it first.
const (
	CreateProject Kind = "createProject"
	DeleteProject Kind = "deleteProject"
	CreateUser    Kind = "createUser"
	DeleteUser    Kind = "deleteUser"
	IssueCert     Kind = "issueCertificate"
	CreateAccount Kind = "createServiceAccount"
	DeleteAccount Kind = "deleteServiceAccount"
	AddSecret     Kind = "addSecret"
	DeleteSecret  Kind = "deleteSecret"
	CreateKey     Kind = "createAPIKey"
	DeleteKey     Kind = "deleteAPIKey"
	AddCIDR       Kind = "addAccessListEntry"
	DeleteCIDR    Kind = "deleteAccessListEntry"
	MintToken     Kind = "mintToken"
	RevokeToken   Kind = "revokeToken"
	AdvanceClock  Kind = "advanceClock"
	Read          Kind = "read"
)

// Op is one operation of a writer on its records.
type Op struct {
	Kind Kind
	// Name is the project, service account or API key the operation acts on.
	Name string
	// User, SecretID, CIDR and Token are its other subject, for the kinds that have one.
	User, SecretID, CIDR, Token string
	// Path is what a read reads.
	Path string
}

func (op Op) String() string {
	parts := []string{string(op.Kind), op.Name, op.User, op.SecretID, op.CIDR, op.Path}
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), " ")
}

// advanceStep is how far an AdvanceClock moves the stub's clock.
const advanceStep = time.Second

// Writer changes its own records of a stub, one operation at a time, and keeps its ledger.
type Writer struct {
	// Number names the writer's records (w<Number>-...).
	Number int
	Ledger *Ledger
	// Reads is the share of operations that read instead of write, for a mixed load.
	Reads float64
	// Clock lets the writer advance the stub's clock now and then.
	Clock bool
	// Observe, when set, is told of every request with its answer's status and its time.
	Observe func(op Op, status int, took time.Duration)

	client *Client
	org    string
	random *rand.Rand
	next   int
}

// NewWriter returns writer number n of the stub that client talks to, with its ledger.
func NewWriter(n int, client *Client, org string, ledger *Ledger, seed uint64) *Writer {
	return &Writer{Number: n, Ledger: ledger, client: client, org: org, random: rand.New(rand.NewPCG(seed, uint64(n)))}
}

// SetClient points the writer at a restarted stub.
func (w *Writer) SetClient(c *Client) { w.client = c }

// Run performs operations until ctx ends or the stub stops answering. It returns nil then, with
// the operation cut off as the ledger's Pending, and an error when the stub answered an
// operation in a way it must not (a 4xx for records the writer knows, a 5xx).
func (w *Writer) Run(ctx context.Context) error {
	// An operation under way when ctx ends is finished: only a stub that goes away cuts one.
	requests := context.WithoutCancel(ctx)
	for ctx.Err() == nil {
		op := w.choose()
		err := w.do(requests, op)
		if errors.Is(err, syscall.ECONNREFUSED) {
			w.Ledger.Pending = nil // the stub was gone before the request reached it
			return nil
		}
		if errors.Is(err, ErrUnreachable) {
			if op.Kind != Read && op.Kind != MintToken { // a revocation sets its own
				w.Ledger.Pending = &op
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("writer %d: %s: %w", w.Number, op, err)
		}
	}
	return nil
}

// choose picks an operation that the ledger allows, at random, with weights that keep the
// records few and changing.
func (w *Writer) choose() Op {
	l := w.Ledger
	if w.random.Float64() < w.Reads {
		if op, ok := w.read(); ok {
			return op
		}
	}
	type choice struct {
		weight float64
		op     Op
		ok     bool
	}
	project, user := w.someUser()
	account, accountName := w.someAccount()
	key, keyName := w.someKey()
	choices := []choice{
		{1, Op{Kind: CreateProject, Name: w.name("p")}, len(l.Projects) < 3},
		{0.3, Op{Kind: DeleteProject, Name: project}, project != ""},
		{2, Op{Kind: CreateUser, Name: project, User: w.name("u")}, project != "" && len(l.Projects[project].Users) < 4},
		{0.6, Op{Kind: DeleteUser, Name: project, User: user}, user != ""},
		{4, Op{Kind: IssueCert, Name: project, User: user}, user != ""},
		{0.6, Op{Kind: CreateAccount, Name: w.name("sa")}, len(l.Accounts) < 2},
		{0.3, Op{Kind: DeleteAccount, Name: accountName}, account != nil},
		{0.8, Op{Kind: AddSecret, Name: accountName}, account != nil && len(account.Secrets) < 2},
		{0.6, Op{Kind: DeleteSecret, Name: accountName, SecretID: anyKey(w.random, account.secrets())}, account != nil && len(account.Secrets) > 1},
		{0.6, Op{Kind: CreateKey, Name: w.name("k")}, len(l.Keys) < 2},
		{0.3, Op{Kind: DeleteKey, Name: keyName}, key != nil},
		{1, Op{Kind: AddCIDR, Name: keyName, CIDR: w.cidr()}, key != nil && len(key.CIDRs) < 5},
		{0.6, Op{Kind: DeleteCIDR, Name: keyName, CIDR: anyKey(w.random, key.cidrs())}, key != nil && len(key.CIDRs) > 0},
		{0.5, Op{Kind: MintToken, Name: accountName}, account != nil && account.Secret != ""},
		{1, Op{Kind: AdvanceClock}, w.Clock},
	}
	choices = slices.DeleteFunc(choices, func(c choice) bool { return !c.ok })
	var total float64
	for _, c := range choices {
		total += c.weight
	}
	pick := w.random.Float64() * total
	for _, c := range choices {
		if pick -= c.weight; pick < 0 {
			return c.op
		}
	}
	return choices[len(choices)-1].op
}

// read picks a read of one of the writer's records.
func (w *Writer) read() (Op, bool) {
	project, user := w.someUser()
	_, accountName := w.someAccount()
	var paths []string
	if project != "" {
		group := "/api/atlas/v2/groups/" + w.Ledger.Projects[project].ID
		paths = append(paths, group, group+"/databaseUsers")
		if user != "" {
			paths = append(paths, group+"/databaseUsers/"+user+"/certs")
		}
	}
	if accountName != "" {
		paths = append(paths, "/api/atlas/v2/orgs/"+w.org+"/serviceAccounts/"+w.Ledger.Accounts[accountName].ClientID)
	}
	if len(paths) == 0 {
		return Op{}, false
	}
	return Op{Kind: Read, Path: paths[w.random.IntN(len(paths))]}, true
}

// someUser picks one of the writer's projects, and one of its users when it has one.
func (w *Writer) someUser() (project, user string) {
	project = anyKey(w.random, slices.Sorted(maps.Keys(w.Ledger.Projects)))
	if project == "" {
		return "", ""
	}
	return project, anyKey(w.random, slices.Sorted(maps.Keys(w.Ledger.Projects[project].Users)))
}

func (w *Writer) someAccount() (*Account, string) {
	name := anyKey(w.random, slices.Sorted(maps.Keys(w.Ledger.Accounts)))
	return w.Ledger.Accounts[name], name
}

func (w *Writer) someKey() (*Key, string) {
	name := anyKey(w.random, slices.Sorted(maps.Keys(w.Ledger.Keys)))
	return w.Ledger.Keys[name], name
}

// name is a new name of the writer's, such as w3-p17.
func (w *Writer) name(kind string) string {
	w.next++
	return fmt.Sprintf("w%d-%s%d", w.Number, kind, w.next)
}

// cidr is a new /128 block of the writer's, in the canonical form the stub keeps.
func (w *Writer) cidr() string {
	w.next++
	var a [16]byte
	a[0], a[1], a[3] = 0xfd, 0x00, byte(w.Number)
	a[12], a[13], a[14], a[15] = byte(w.next>>24), byte(w.next>>16), byte(w.next>>8), byte(w.next)
	return netip.PrefixFrom(netip.AddrFrom16(a), 128).String()
}

func (a *Account) secrets() []string {
	if a == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(a.Secrets))
}

func (k *Key) cidrs() []string {
	if k == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(k.CIDRs))
}

func anyKey(random *rand.Rand, keys []string) string {
	if len(keys) == 0 {
		return ""
	}
	return keys[random.IntN(len(keys))]
}

// do sends an operation and records its acknowledged outcome in the ledger.
func (w *Writer) do(ctx context.Context, op Op) error {
	l := w.Ledger
	org := "/api/atlas/v2/orgs/" + w.org
	switch op.Kind {
	case Read:
		_, err := w.call(ctx, op, http.MethodGet, op.Path, nil, http.StatusOK)
		return err
	case CreateProject:
		r, err := w.call(ctx, op, http.MethodPost, "/api/atlas/v2/groups", map[string]any{"name": op.Name, "orgId": w.org}, http.StatusCreated)
		if err != nil {
			return err
		}
		var p struct{ ID string }
		if err := json.Unmarshal(r.Body, &p); err != nil {
			return err
		}
		l.Projects[op.Name] = &Project{ID: p.ID, Users: map[string]*User{}}
	case DeleteProject:
		if _, err := w.call(ctx, op, http.MethodDelete, "/api/atlas/v2/groups/"+l.Projects[op.Name].ID, nil, http.StatusAccepted); err != nil {
			return err
		}
		delete(l.Projects, op.Name)
	case CreateUser:
		p := l.Projects[op.Name]
		_, err := w.call(ctx, op, http.MethodPost, "/api/atlas/v2/groups/"+p.ID+"/databaseUsers",
			map[string]any{"groupId": p.ID, "databaseName": "$external", "username": op.User, "x509Type": "MANAGED"}, http.StatusCreated)
		if err != nil {
			return err
		}
		p.Users[op.User] = &User{Certificates: map[int64][]byte{}}
	case DeleteUser:
		p := l.Projects[op.Name]
		if _, err := w.call(ctx, op, http.MethodDelete, "/api/atlas/v2/groups/"+p.ID+"/databaseUsers/$external/"+op.User, nil, http.StatusNoContent); err != nil {
			return err
		}
		delete(p.Users, op.User)
	case IssueCert:
		p := l.Projects[op.Name]
		r, err := w.call(ctx, op, http.MethodPost, "/api/atlas/v2/groups/"+p.ID+"/databaseUsers/"+op.User+"/certs", map[string]any{"monthsUntilExpiration": 1}, http.StatusCreated)
		if err != nil {
			return err
		}
		certificate, err := parseCertificate(r.Body)
		if err != nil {
			return err
		}
		p.Users[op.User].Certificates[certificate.SerialNumber.Int64()] = r.Body
	case CreateAccount:
		r, err := w.call(ctx, op, http.MethodPost, org+"/serviceAccounts",
			map[string]any{"name": op.Name, "description": "durability", "roles": []string{"ORG_MEMBER"}, "secretExpiresAfterHours": 720}, http.StatusCreated)
		if err != nil {
			return err
		}
		var sa struct {
			ClientID string `json:"clientId"`
			Secrets  []struct{ ID, Secret string }
		}
		if err := json.Unmarshal(r.Body, &sa); err != nil || len(sa.Secrets) != 1 {
			return fmt.Errorf("a new service account with one secret, not %s", r.Body)
		}
		l.Accounts[op.Name] = &Account{ClientID: sa.ClientID, Secrets: map[string]bool{sa.Secrets[0].ID: true}, SecretID: sa.Secrets[0].ID, Secret: sa.Secrets[0].Secret}
	case DeleteAccount:
		if _, err := w.call(ctx, op, http.MethodDelete, org+"/serviceAccounts/"+l.Accounts[op.Name].ClientID, nil, http.StatusNoContent); err != nil {
			return err
		}
		delete(l.Accounts, op.Name)
	case AddSecret:
		a := l.Accounts[op.Name]
		r, err := w.call(ctx, op, http.MethodPost, org+"/serviceAccounts/"+a.ClientID+"/secrets", map[string]any{"secretExpiresAfterHours": 720}, http.StatusCreated)
		if err != nil {
			return err
		}
		var s struct{ ID, Secret string }
		if err := json.Unmarshal(r.Body, &s); err != nil {
			return err
		}
		a.Secrets[s.ID], a.SecretID, a.Secret = true, s.ID, s.Secret
	case DeleteSecret:
		a := l.Accounts[op.Name]
		if _, err := w.call(ctx, op, http.MethodDelete, org+"/serviceAccounts/"+a.ClientID+"/secrets/"+op.SecretID, nil, http.StatusNoContent); err != nil {
			return err
		}
		delete(a.Secrets, op.SecretID)
		if a.SecretID == op.SecretID {
			a.SecretID, a.Secret = "", ""
		}
	case CreateKey:
		r, err := w.call(ctx, op, http.MethodPost, org+"/apiKeys", map[string]any{"desc": op.Name, "roles": []string{"ORG_MEMBER"}}, http.StatusOK)
		if err != nil {
			return err
		}
		var k struct{ ID string }
		if err := json.Unmarshal(r.Body, &k); err != nil {
			return err
		}
		l.Keys[op.Name] = &Key{ID: k.ID, CIDRs: map[string]bool{}}
	case DeleteKey:
		if _, err := w.call(ctx, op, http.MethodDelete, org+"/apiKeys/"+l.Keys[op.Name].ID, nil, http.StatusNoContent); err != nil {
			return err
		}
		delete(l.Keys, op.Name)
	case AddCIDR:
		k := l.Keys[op.Name]
		if _, err := w.call(ctx, op, http.MethodPost, org+"/apiKeys/"+k.ID+"/accessList", []map[string]any{{"cidrBlock": op.CIDR}}, http.StatusOK); err != nil {
			return err
		}
		k.CIDRs[op.CIDR] = true
	case DeleteCIDR:
		k := l.Keys[op.Name]
		if _, err := w.call(ctx, op, http.MethodDelete, org+"/apiKeys/"+k.ID+"/accessList/"+url.PathEscape(op.CIDR), nil, http.StatusNoContent); err != nil {
			return err
		}
		delete(k.CIDRs, op.CIDR)
	case MintToken:
		return w.mintAndMaybeRevoke(ctx, op)
	case AdvanceClock:
		if _, err := w.call(ctx, op, http.MethodPost, "/_stub/clock/advance", map[string]any{"duration": advanceStep.String()}, http.StatusOK); err != nil {
			return err
		}
		l.Advanced += advanceStep
	default:
		return fmt.Errorf("unknown operation %s", op.Kind)
	}
	return nil
}

// mintAndMaybeRevoke mints a token with an account's secret, and revokes every other one.
func (w *Writer) mintAndMaybeRevoke(ctx context.Context, op Op) error {
	a := w.Ledger.Accounts[op.Name]
	start := time.Now()
	r, err := w.client.OAuth(ctx, "/api/oauth/token", a.ClientID, a.Secret, "grant_type=client_credentials")
	w.observe(op, r.Status, err, start)
	if err != nil {
		return err
	}
	if r.Status != http.StatusOK {
		return fmt.Errorf("answered %d: %s", r.Status, r.Body)
	}
	var token struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(r.Body, &token); err != nil {
		return err
	}
	if w.random.IntN(2) == 0 {
		expires, err := expiry(token.AccessToken)
		if err != nil {
			return err
		}
		w.Ledger.Live = append(w.Ledger.Live, LiveToken{Token: token.AccessToken, Account: op.Name, SecretID: a.SecretID, Expires: expires})
		return nil
	}
	revoke := Op{Kind: RevokeToken, Name: op.Name, Token: token.AccessToken}
	w.Ledger.Pending = &revoke // until the answer comes
	start = time.Now()
	r, err = w.client.OAuth(ctx, "/api/oauth/revoke", a.ClientID, a.Secret, "token="+url.QueryEscape(token.AccessToken))
	w.observe(revoke, r.Status, err, start)
	if err != nil {
		return err
	}
	w.Ledger.Pending = nil
	if r.Status != http.StatusOK {
		return fmt.Errorf("revoking answered %d: %s", r.Status, r.Body)
	}
	w.Ledger.Revoked = append(w.Ledger.Revoked, token.AccessToken)
	return nil
}

// call sends one request of an operation and requires the status of its success.
func (w *Writer) call(ctx context.Context, op Op, method, path string, body any, want int) (Response, error) {
	start := time.Now()
	r, err := w.client.Do(ctx, method, path, body)
	w.observe(op, r.Status, err, start)
	if err != nil {
		return Response{}, err
	}
	if r.Status != want {
		return Response{}, fmt.Errorf("%s %s answered %d, not %d: %s", method, path, r.Status, want, r.Body)
	}
	return r, nil
}

func (w *Writer) observe(op Op, status int, err error, start time.Time) {
	if w.Observe != nil && err == nil {
		w.Observe(op, status, time.Since(start))
	}
}

// parseCertificate reads the certificate of a certificate response.
func parseCertificate(body []byte) (*x509.Certificate, error) {
	block, _ := pem.Decode(body)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("no PEM certificate in %q", body)
	}
	return x509.ParseCertificate(block.Bytes)
}

// expiry reads the expiry of a JWT from its claims.
func expiry(token string) (time.Time, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}, fmt.Errorf("the token %q is not a JWT", token)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return time.Time{}, err
	}
	var claims struct {
		Exp int64 `json:"exp"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return time.Time{}, err
	}
	return time.Unix(claims.Exp, 0), nil
}
