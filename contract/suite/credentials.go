package suite

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
