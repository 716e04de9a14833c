package server

import (
	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/auth"
	"github.com/atlasstub/atlasstub/server/handlers/apikeys"
	"github.com/atlasstub/atlasstub/server/handlers/certs"
	"github.com/atlasstub/atlasstub/server/handlers/dbusers"
	"github.com/atlasstub/atlasstub/server/handlers/ipinfo"
	"github.com/atlasstub/atlasstub/server/handlers/oauth"
	"github.com/atlasstub/atlasstub/server/handlers/orgs"
	"github.com/atlasstub/atlasstub/server/handlers/projects"
	"github.com/atlasstub/atlasstub/server/handlers/serviceaccounts"
	"github.com/atlasstub/atlasstub/server/handlers/usersecurity"
	"github.com/atlasstub/atlasstub/server/store"
	"github.com/atlasstub/atlasstub/server/x509ca"
)

// Each resource's package calls its handlers Handlers; the aliases give the embedded fields
// names of their own.
type (
	orgHandlers            = orgs.Handlers
	projectHandlers        = projects.Handlers
	databaseUserHandlers   = dbusers.Handlers
	certificateHandlers    = certs.Handlers
	userSecurityHandlers   = usersecurity.Handlers
	apiKeyHandlers         = apikeys.Handlers
	serviceAccountHandlers = serviceaccounts.Handlers
	oauthHandlers          = oauth.Handlers
	ipInfoHandlers         = ipinfo.Handlers
)

// atlasHandlers serve the generated strict server of the Atlas subset: every resource's handlers
// together.
type atlasHandlers struct {
	*orgHandlers
	*projectHandlers
	*databaseUserHandlers
	*certificateHandlers
	*userSecurityHandlers
	*apiKeyHandlers
	*serviceAccountHandlers
	*oauthHandlers
	*ipInfoHandlers
}

var _ atlasapi.StrictServerInterface = atlasHandlers{}

func newAtlasHandlers(s *store.Store, issuer *x509ca.Issuer, tokens *auth.Tokens) atlasHandlers {
	return atlasHandlers{
		orgHandlers:            orgs.New(s),
		projectHandlers:        projects.New(s),
		databaseUserHandlers:   dbusers.New(s),
		certificateHandlers:    certs.New(s, issuer),
		userSecurityHandlers:   usersecurity.New(s),
		apiKeyHandlers:         apikeys.New(s),
		serviceAccountHandlers: serviceaccounts.New(s),
		oauthHandlers:          oauth.New(s, tokens),
		ipInfoHandlers:         ipinfo.New(),
	}
}
