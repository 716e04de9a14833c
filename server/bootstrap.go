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
	if err := checkCredentials(b); err != nil {
		return b, fmt.Errorf("seed: %w", err)
	}
	return b, nil
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
// field that breaks it (a *credentialsError).
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
		return &credentialsError{Field: strings.Join(se.JSONPointer(), "."), Value: fmt.Sprint(se.Value), Reason: se.Reason}
	}
	return err
}

// credentialsError names the field of a credentials document that breaks its schema.
type credentialsError struct {
	Field, Value, Reason string
}

func (e *credentialsError) Error() string {
	return fmt.Sprintf("%s %q: %s", e.Field, e.Value, e.Reason)
}

// Bootstrap credentials: an ORG_OWNER API key and service account, the secret valid a year.
const (
	bootstrapKeyDescription     = "atlasstub bootstrap key"
	bootstrapAccountName        = "atlasstub bootstrap"
	bootstrapAccountDescription = "Bootstrap service account of atlasstub"
	bootstrapSecretHours        = store.DefaultMaxSecretValidityHours
)

// createBootstrapState creates the bootstrap organization, project, API key and service account,
// records their credentials, and stores the key that signs access tokens.
func createBootstrapState(tx *store.Tx, b Bootstrap, signingKey []byte) error {
	if err := tx.SetBootstrap(storedBootstrap(b)); err != nil {
		return err
	}
	if _, err := tx.SetTokenSigningKey(signingKey); err != nil {
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
}

// storedBootstrap is what the store keeps of the bootstrap credentials: all but the base URL,
// which is where the stub listens now.
func storedBootstrap(b Bootstrap) store.BootstrapCredentials {
	return store.BootstrapCredentials{
		OrgID: b.OrgId, ProjectID: b.ProjectId,
		APIKeyID: b.ApiKey.Id, APIPublicKey: b.ApiKey.PublicKey, APIPrivateKey: b.ApiKey.PrivateKey,
		ClientID: b.ServiceAccount.ClientId, ClientSecret: b.ServiceAccount.ClientSecret,
	}
}

// bootstrapOf is the credentials document of stored bootstrap credentials, without a base URL.
func bootstrapOf(c store.BootstrapCredentials) Bootstrap {
	var b Bootstrap
	b.OrgId, b.ProjectId = c.OrgID, c.ProjectID
	b.ApiKey.Id, b.ApiKey.PublicKey, b.ApiKey.PrivateKey = c.APIKeyID, c.APIPublicKey, c.APIPrivateKey
	b.ServiceAccount.ClientId, b.ServiceAccount.ClientSecret = c.ClientID, c.ClientSecret
	return b
}

// checkSeedAgrees checks that a seed given to a stub that resumes a state names the state's own
// bootstrap: a seed fixes the credentials of a new state, and cannot change those of a kept one.
func checkSeedAgrees(seed, stored Bootstrap) error {
	for _, field := range []struct{ name, seed, stored string }{
		{"orgId", seed.OrgId, stored.OrgId},
		{"projectId", seed.ProjectId, stored.ProjectId},
		{"apiKey.id", seed.ApiKey.Id, stored.ApiKey.Id},
		{"apiKey.publicKey", seed.ApiKey.PublicKey, stored.ApiKey.PublicKey},
		{"apiKey.privateKey", seed.ApiKey.PrivateKey, stored.ApiKey.PrivateKey},
		{"serviceAccount.clientId", seed.ServiceAccount.ClientId, stored.ServiceAccount.ClientId},
		{"serviceAccount.clientSecret", seed.ServiceAccount.ClientSecret, stored.ServiceAccount.ClientSecret},
	} {
		if field.seed != "" && field.seed != field.stored {
			return fmt.Errorf("seed: %s differs from the kept state's; a seed fixes the credentials of a new state only: "+
				"leave the seed out to resume the kept state, or start with an empty one", field.name)
		}
	}
	return nil
}

// Reset drops all state and recreates the bootstrap state with the same credentials, with the
// clock back at real time and a new token signing key, in one transaction; the rate limits'
// windows and the fault rules go too.
func (s *Server) Reset() error {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	signingKey, err := auth.NewSigningKey()
	if err != nil {
		return err
	}
	// The bootstrap records are created at real time: the clock goes back first, and comes back
	// where it was if the transaction fails.
	offset := s.clock.Offset()
	s.clock.SetOffset(0)
	err = s.store.Update(func(tx *store.Tx) error {
		if err := tx.ClearState(); err != nil {
			return err
		}
		return createBootstrapState(tx, s.Bootstrap(), signingKey)
	})
	if err != nil {
		s.clock.SetOffset(offset)
		return err
	}
	s.limits.Reset()
	s.faults.Clear()
	return s.tokens.SetKey(signingKey)
}

// SetBaseURL records the address clients reach the stub at, for the credentials document.
func (s *Server) SetBaseURL(url string) {
	s.mu.Lock()
	s.baseURL = url
	s.mu.Unlock()
}
