package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/atlasstub/atlasstub/gen/stubapi"
	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/auth"
	"github.com/atlasstub/atlasstub/server/ids"
	"github.com/atlasstub/atlasstub/server/roles"
	"github.com/atlasstub/atlasstub/server/store"
	"github.com/getkin/kin-openapi/openapi3"
)

// Bootstrap is what a client needs to start using the stub: the bootstrap organization and
// project, an ORG_OWNER API key and an ORG_OWNER service account. It is the control API's
// Credentials document, which --credentials-out writes and --seed reads.
type Bootstrap = stubapi.Credentials

// Names of the bootstrap organization and project.
const (
	BootstrapOrgName     = "atlasstub"
	BootstrapProjectName = "Project0"
)

// ReadBootstrap reads a seed document from path.
func ReadBootstrap(path string) (Bootstrap, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Bootstrap{}, err
	}
	var b Bootstrap
	if err := json.Unmarshal(data, &b); err != nil {
		return Bootstrap{}, fmt.Errorf("seed %s: %w", path, err)
	}
	return b, nil
}

// WriteBootstrap writes the document to path, readable by its owner only since it holds secrets.
func WriteBootstrap(b Bootstrap, path string) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o600)
}

// completeBootstrap fills the missing ids and credentials and checks the given ones against the
// formats of Atlas's, which the control API's Credentials schema gives them.
func completeBootstrap(b Bootstrap, now time.Time) (Bootstrap, error) {
	fill := func(v *string, generate func() string) {
		if *v == "" {
			*v = generate()
		}
	}
	fill(&b.OrgId, func() string { return ids.ObjectID(now) })
	fill(&b.ProjectId, func() string { return ids.ObjectID(now) })
	fill(&b.ApiKey.Id, func() string { return ids.ObjectID(now) })
	fill(&b.ApiKey.PublicKey, ids.PublicKey)
	fill(&b.ApiKey.PrivateKey, ids.PrivateKey)
	fill(&b.ServiceAccount.ClientId, func() string { return ids.ClientID(now) })
	fill(&b.ServiceAccount.ClientSecret, ids.ClientSecret)
	return b, checkCredentials(b)
}

// credentialsSchema is the control API's schema of the credentials document.
var credentialsSchema = sync.OnceValues(func() (*openapi3.Schema, error) {
	doc, err := openapi.LoadStub()
	if err != nil {
		return nil, err
	}
	return doc.Components.Schemas["Credentials"].Value, nil
})

// checkCredentials validates a credentials document against its schema, and names the first
// field that breaks it.
func checkCredentials(b Bootstrap) error {
	schema, err := credentialsSchema()
	if err != nil {
		return err
	}
	data, err := json.Marshal(b)
	if err != nil {
		return err
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		return err
	}
	err = schema.VisitJSON(doc)
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		return fmt.Errorf("seed: %s %q: %s", strings.Join(se.JSONPointer(), "."), fmt.Sprint(se.Value), se.Reason)
	}
	return err
}

// Bootstrap credentials: an ORG_OWNER API key and service account, the secret valid a year.
const (
	bootstrapKeyDescription     = "atlasstub bootstrap key"
	bootstrapAccountName        = "atlasstub bootstrap"
	bootstrapAccountDescription = "Bootstrap service account of atlasstub"
	bootstrapSecretHours        = store.DefaultMaxSecretValidityHours
)

// createBootstrapState creates the bootstrap organization, project, API key and service account,
// and the key that signs access tokens.
func (s *Server) createBootstrapState() error {
	b := s.bootstrap
	signingKey, err := auth.NewSigningKey()
	if err != nil {
		return err
	}
	err = s.store.Update(func(tx *store.Tx) error {
		if signingKey, err = tx.SetTokenSigningKey(signingKey); err != nil {
			return err
		}
		if _, err := tx.CreateOrg(b.OrgId, BootstrapOrgName); err != nil {
			return err
		}
		if _, err := tx.CreateProject(store.Project{ID: b.ProjectId, OrgID: b.OrgId, Name: BootstrapProjectName, WithDefaultAlertsSettings: true}); err != nil {
			return err
		}
		key := auth.NewAPIKey(b.ApiKey.Id, b.OrgId, b.ApiKey.PublicKey, b.ApiKey.PrivateKey)
		key.Description, key.Grants = bootstrapKeyDescription, store.Grants{Org: []string{roles.OrgOwner}}
		if _, err := tx.CreateAPIKey(key); err != nil {
			return err
		}
		secret, err := store.NewSecret(ids.ObjectID(tx.Now()), b.ServiceAccount.ClientSecret, bootstrapSecretHours, bootstrapSecretHours, tx.Now())
		if err != nil {
			return err
		}
		_, err = tx.CreateServiceAccount(store.ServiceAccount{
			ClientID: b.ServiceAccount.ClientId, OrgID: b.OrgId, Name: bootstrapAccountName, Description: bootstrapAccountDescription,
			Grants: store.Grants{Org: []string{roles.OrgOwner}}, Secrets: []store.Secret{secret},
		})
		return err
	})
	if err != nil {
		return err
	}
	return s.tokens.SetKey(signingKey)
}

// Reset drops all state, the rate limits' windows and the fault rules included, and recreates
// the bootstrap state, with the clock back at real time.
func (s *Server) Reset() error {
	s.clock.Reset()
	s.limits.Reset()
	s.faults.Clear()
	if err := s.store.Reset(); err != nil {
		return err
	}
	return s.createBootstrapState()
}

// SetBaseURL records the address clients reach the stub at, for the credentials document.
func (s *Server) SetBaseURL(url string) { s.bootstrap.BaseUrl = url }
