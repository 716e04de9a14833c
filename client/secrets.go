package client

import (
	"fmt"
	"net/http"
	"time"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
)

// NewSecret is a service-account secret as its creation returns it: the only response that
// carries the secret itself. Later reads show only its masked form.
type NewSecret struct {
	// ID names the secret in the paths that delete it.
	ID string
	// Value is the client secret that mints access tokens, mdb_sa_sk_...
	Value     string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// decodeNewSecret reads the response of a secret creation.
func decodeNewSecret(resp *http.Response, err error) (*NewSecret, error) {
	created, err := decodeJSON[atlasapi.ServiceAccountSecret](resp, err)
	if err != nil {
		return nil, err
	}
	if created.Id == nil || created.Secret == nil || created.CreatedAt == nil || created.ExpiresAt == nil {
		return nil, fmt.Errorf("client: %s: the new secret lacks its id, value or dates", describe(resp))
	}
	return &NewSecret{ID: *created.Id, Value: *created.Secret, CreatedAt: *created.CreatedAt, ExpiresAt: *created.ExpiresAt}, nil
}
