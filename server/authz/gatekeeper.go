// Package authz decides who is calling and what they may do: it authenticates the caller
// (Digest with an API key, a bearer token of a service account, HTTP Basic client credentials at
// the token endpoint), applies API access lists, and checks the roles that the operation's
// x-atlas-roles extension requires, in its project or organization.
package authz

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"

	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/auth"
	"github.com/atlasstub/atlasstub/server/pipeline"
	"github.com/atlasstub/atlasstub/server/store"
)

// Gatekeeper lets in exactly who Atlas would. Its Authenticate step authenticates the caller and
// applies the credential's API access list; its Authorize step checks the roles that the
// operation requires in the operation's project or organization.
type Gatekeeper struct {
	Store  *store.Store
	Nonces *auth.Nonces
	Tokens *auth.Tokens
	// TrustForwardedFor takes the caller's address from X-Forwarded-For instead of the TCP peer.
	TrustForwardedFor bool
}

// Authenticate is the authentication step.
func (g *Gatekeeper) Authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		info := pipeline.RequestOf(req.Context())
		info.Addr = callerAddress(req, g.TrustForwardedFor)
		switch security := securityOf(info); {
		case len(security) == 0:
			return next(c) // the control API
		case security[0]["ServiceAccountCredentials"] != nil:
			principal, err := g.clientCredentials(req)
			if err != nil {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Basic realm="`+auth.Realm+`"`)
				return err
			}
			info.Principal = &principal
			return next(c)
		}
		principal, err := g.authenticate(req)
		switch {
		case errors.Is(err, errNoCredentials), errors.Is(err, errBadCredentials), errors.Is(err, errStaleNonce):
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, auth.Challenge(g.Nonces.Issue(), errors.Is(err, errStaleNonce)))
			return apierror.Unauthenticated()
		case err != nil:
			return err
		}
		if err := g.checkAccessList(principal, info.Addr); err != nil {
			return err
		}
		info.Principal = &principal
		return next(c)
	}
}

// securityOf returns the security requirements of the request's operation, or of its document
// when the operation names none.
func securityOf(info *pipeline.Request) openapi3.SecurityRequirements {
	if op := info.Operation(); op != nil && op.Security != nil {
		return *op.Security
	}
	if info.Route != nil && info.Route.Spec != nil {
		return info.Route.Spec.Security
	}
	return nil
}

// CallerAddress is the caller's address, which API access lists and rate limits check.
func (g *Gatekeeper) CallerAddress(req *http.Request) netip.Addr {
	return callerAddress(req, g.TrustForwardedFor)
}

// callerAddress is the TCP peer's address, or with trustForwardedFor the first address of
// X-Forwarded-For.
func callerAddress(req *http.Request, trustForwardedFor bool) netip.Addr {
	if trustForwardedFor {
		first, _, _ := strings.Cut(req.Header.Get(echo.HeaderXForwardedFor), ",")
		if addr, err := netip.ParseAddr(strings.TrimSpace(first)); err == nil {
			return addr.Unmap()
		}
	}
	return peerAddress(req)
}

// peerAddress is the address of the TCP peer, or the zero address when RemoteAddr holds none.
func peerAddress(req *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(req.RemoteAddr)
	if err != nil {
		host = req.RemoteAddr
	}
	addr, _ := netip.ParseAddr(host)
	return addr.Unmap()
}

// authenticate finds the principal of a Digest or Bearer request.
func (g *Gatekeeper) authenticate(req *http.Request) (auth.Principal, error) {
	scheme, credentials := auth.SplitAuthorization(req.Header.Get(echo.HeaderAuthorization))
	var (
		principal auth.Principal
		err       error
	)
	switch scheme {
	case auth.DigestScheme:
		principal, err = g.digest(req, credentials)
	case auth.BearerScheme:
		principal, err = g.bearer(credentials)
	default:
		return auth.Principal{}, errNoCredentials
	}
	return principal, err
}

// Why authentication failed; each becomes Atlas's 401 (apierror.Unauthenticated) with a fresh
// Digest challenge.
var (
	errNoCredentials  = errors.New("no credentials")
	errBadCredentials = errors.New("wrong or unusable credentials")
	errStaleNonce     = errors.New("stale Digest nonce")
)

// digest checks the response before the nonce: a stale nonce is reported (stale=true, which
// invites the client to retry with the same password) only for a response that is otherwise
// right, as RFC 7616 §3.3 asks, and a wrong response uses up no nonce count.
func (g *Gatekeeper) digest(req *http.Request, params string) (auth.Principal, error) {
	creds, err := auth.ParseDigest(params)
	if err != nil || creds.Realm != auth.Realm || creds.URI != req.RequestURI {
		return auth.Principal{}, errBadCredentials
	}
	var key store.APIKey
	var found bool
	if err := g.Store.View(func(tx *store.Tx) (err error) {
		key, found, err = tx.APIKeyByPublicKey(creds.Username)
		return err
	}); err != nil {
		return auth.Principal{}, err
	}
	if !found || !creds.Verify(req.Method, key.DigestHA1[creds.Algorithm]) {
		return auth.Principal{}, errBadCredentials
	}
	switch g.Nonces.Use(creds.Nonce, creds.NC) {
	case auth.NonceStale:
		return auth.Principal{}, errStaleNonce
	case auth.NonceUnknown, auth.NonceReplayed:
		return auth.Principal{}, errBadCredentials
	}
	return auth.Principal{Kind: auth.APIKey, ID: key.ID, PublicKey: key.PublicKey, OrgID: key.OrgID, Grants: key.Grants, AccessList: key.AccessList}, nil
}

// bearer accepts a token that is signed by the stub, unexpired, not revoked, and whose service
// account and secret still exist.
func (g *Gatekeeper) bearer(token string) (auth.Principal, error) {
	claims, err := g.Tokens.Parse(token)
	if err != nil {
		return auth.Principal{}, errBadCredentials
	}
	var principal auth.Principal
	err = g.Store.View(func(tx *store.Tx) error {
		revoked, err := tx.TokenRevoked(claims.ID)
		if err != nil || revoked {
			return errOr(err, errBadCredentials)
		}
		sa, ok, err := tx.ServiceAccountByClientID(claims.Subject)
		if err != nil || !ok || !hasSecret(sa, claims.SecretID) {
			return errOr(err, errBadCredentials)
		}
		principal = serviceAccountPrincipal(sa, claims.SecretID)
		return nil
	})
	return principal, err
}

// clientCredentials authenticates the token and revoke endpoints: HTTP Basic with a service
// account's client id and one of its unexpired secrets. Access lists do not apply to minting.
func (g *Gatekeeper) clientCredentials(req *http.Request) (auth.Principal, error) {
	scheme, encoded := auth.SplitAuthorization(req.Header.Get(echo.HeaderAuthorization))
	if scheme != auth.BasicScheme {
		return auth.Principal{}, apierror.OAuthInvalidClient.New()
	}
	clientID, secret, err := auth.ParseBasic(encoded)
	if err != nil {
		return auth.Principal{}, apierror.OAuthInvalidClient.New()
	}
	var principal auth.Principal
	err = g.Store.Update(func(tx *store.Tx) error {
		sa, used, ok, err := tx.UseSecret(clientID, secret)
		if err != nil || !ok {
			return errOr(err, apierror.OAuthInvalidClient.New())
		}
		principal = serviceAccountPrincipal(sa, used.ID)
		return nil
	})
	return principal, err
}

// checkAccessList applies the principal's API access list and its organization's requirement,
// and counts the request on the entry that let it in.
func (g *Gatekeeper) checkAccessList(p auth.Principal, addr netip.Addr) error {
	return g.Store.Update(func(tx *store.Tx) error {
		org, err := tx.Org(p.OrgID)
		if err != nil {
			return err
		}
		if err := p.CheckAccessList(addr, org.Settings.APIAccessListRequired); err != nil {
			return err
		}
		if p.Kind == auth.APIKey {
			return tx.RecordAPIKeyUse(p.ID, addr)
		}
		return tx.RecordServiceAccountUse(p.ID, addr)
	})
}

func serviceAccountPrincipal(sa store.ServiceAccount, secretID string) auth.Principal {
	return auth.Principal{Kind: auth.ServiceAccount, ID: sa.ClientID, OrgID: sa.OrgID, Grants: sa.Grants, AccessList: sa.AccessList, SecretID: secretID}
}

func hasSecret(sa store.ServiceAccount, secretID string) bool {
	for _, s := range sa.Secrets {
		if s.ID == secretID {
			return true
		}
	}
	return false
}

func errOr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}
