package suite

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Credentials are what the kit signs in with. Their JSON is the document that `atlasstub serve
// --credentials-out` writes, so a stub's credentials file is a credentials file of the kit; against
// another service, fill in its base URL, an organization, and an ORG_OWNER API key and service
// account of it.
type Credentials struct {
	// BaseURL is the target's, such as https://cloud.mongodb.com; the API's paths follow it.
	BaseURL string `json:"baseUrl"`
	// OrgID is the organization the kit works in; ProjectID names a project of it.
	OrgID     string `json:"orgId"`
	ProjectID string `json:"projectId"`
	// APIKey is an ORG_OWNER programmatic API key of the organization.
	APIKey APIKeyCredentials `json:"apiKey"`
	// ServiceAccount is an ORG_OWNER service account of the organization, as which the kit signs
	// in.
	ServiceAccount ServiceAccountCredentials `json:"serviceAccount"`
}

// APIKeyCredentials are a programmatic API key: its id, and the public and private keys that sign
// in over HTTP Digest.
type APIKeyCredentials struct {
	ID         string `json:"id"`
	PublicKey  string `json:"publicKey"`
	PrivateKey string `json:"privateKey"`
}

// ServiceAccountCredentials are a service account's client id and one of its secrets, which
// the token endpoint exchanges for a token.
type ServiceAccountCredentials struct {
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
}

// ReadCredentials reads a credentials file. Fields the file leaves out are empty; Missing names
// those the kit needs.
func ReadCredentials(path string) (Credentials, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Credentials{}, err
	}
	var c Credentials
	if err := json.Unmarshal(data, &c); err != nil {
		return Credentials{}, fmt.Errorf("credentials file %s: %w", path, err)
	}
	return c, nil
}

// Missing names, as the JSON spells them, the fields that the kit signs in with and c leaves
// empty: the base URL, the organization, the API key's public and private keys, and the service
// account's client id and secret.
func (c Credentials) Missing() []string {
	var missing []string
	for _, field := range []struct{ name, value string }{
		{"baseUrl", c.BaseURL},
		{"orgId", c.OrgID},
		{"apiKey.publicKey", c.APIKey.PublicKey},
		{"apiKey.privateKey", c.APIKey.PrivateKey},
		{"serviceAccount.clientId", c.ServiceAccount.ClientID},
		{"serviceAccount.clientSecret", c.ServiceAccount.ClientSecret},
	} {
		if strings.TrimSpace(field.value) == "" {
			missing = append(missing, field.name)
		}
	}
	return missing
}
