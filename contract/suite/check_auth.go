package suite

import (
	"context"
	"net/http"
	"strings"

	"github.com/atlasstub/atlasstub/contract"
)

var ignoredAuth = Check{
	Name: "ignored_auth",
	Doc: "Requests without credentials, with a token that the server did not mint, or with a wrong " +
		"API key over Digest are refused with 401 (and a Digest challenge); the OAuth endpoints refuse " +
		"missing or wrong client credentials with 401 invalid_client.",
	run: func(ctx context.Context, r *runner, op contract.Operation) outcome {
		if public(op) {
			return skip("the operation needs no credentials (security: [])")
		}
		var o outcome
		if op.OAuthErrors() {
			c, err := r.oauthCall(ctx, op)
			if err != nil {
				o.failErr(err)
				return o
			}
			for name, authorization := range map[string]string{
				"no client credentials": "",
				"a wrong client secret": basic(r.c.creds.ServiceAccount.ClientID, "mdb_sa_sk_not-the-secret"),
			} {
				res, err := r.sendWithAuthorization(ctx, c, authorization, fakeCredentials(authorization))
				if err != nil {
					o.failErr(err)
				} else if res.status != http.StatusUnauthorized || res.object()["error"] != "invalid_client" {
					o.fail(res, "a request with %s was answered %d: %s", name, res.status, snippet(res.body))
				}
			}
			return o
		}
		destructive := recipeOf(op).fresh != nil
		base, err := r.base(ctx, op, destructive)
		if err != nil {
			o.failErr(err)
			return o
		}
		wrongDigest := `Digest username="` + r.c.creds.APIKey.PublicKey + `", realm="MMS Public API", nonce="00000000000000000000000000000000", uri="` +
			base.path() + `", response="00000000000000000000000000000000", algorithm=MD5, qop=auth, nc=00000001, cnonce="0123456789abcdef"`
		for name, authorization := range map[string]string{
			"no credentials":          "",
			"a token it never minted": "Bearer eyJhbGciOiJFUzUxMiJ9.eyJzdWIiOiJub2JvZHkifQ.c2lnbmF0dXJl",
			"a wrong Digest answer":   wrongDigest,
		} {
			res, err := r.sendWithAuthorization(ctx, base, authorization, fakeCredentials(authorization))
			if err != nil {
				o.failErr(err)
				continue
			}
			if res.status != http.StatusUnauthorized {
				o.fail(res, "a request with %s was answered %d", name, res.status)
				continue
			}
			if !strings.HasPrefix(res.header.Get("WWW-Authenticate"), "Digest ") {
				o.fail(res, "the 401 to a request with %s has no Digest challenge", name)
			}
		}
		return o
	},
}

var accessListEnforcement = Check{
	Name: "access_list_enforcement",
	Doc: "A credential whose API access list leaves out the caller's address is refused with 403 " +
		"IP_ADDRESS_NOT_ON_ACCESS_LIST on every operation; minting a token with such a credential still works, " +
		"since access lists apply to using tokens.",
	run: func(ctx context.Context, r *runner, op contract.Operation) outcome {
		if public(op) {
			return skip("the operation needs no credentials (security: [])")
		}
		var o outcome
		if op.OAuthErrors() {
			if op.OperationID != "createOAuthToken" {
				return skip("revoking is not subject to access lists and has no check of its own here")
			}
			c, err := r.oauthCall(ctx, op)
			if err != nil {
				o.failErr(err)
				return o
			}
			res, err := r.sendWithAuthorization(ctx, c, basic(r.f.shared["clientId"], r.f.restrictedSecret), kitClientCredentials(r.f.shared["clientId"]))
			if err != nil {
				o.failErr(err)
			} else if res.status != http.StatusOK {
				o.fail(res, "a credential with an access list could not mint a token: %d %s", res.status, snippet(res.body))
			}
			return o
		}
		destructive := recipeOf(op).fresh != nil
		base, err := r.base(ctx, op, destructive)
		if err != nil {
			o.failErr(err)
			return o
		}
		res, err := r.sendWithAuthorization(ctx, base, "Bearer "+r.f.restrictedToken, kitToken(r.f.shared["clientId"]))
		if err != nil {
			o.failErr(err)
		} else if res.status != http.StatusForbidden || res.object()["errorCode"] != "IP_ADDRESS_NOT_ON_ACCESS_LIST" {
			o.fail(res, "a credential whose access list leaves out the caller was answered %d: %s", res.status, snippet(res.body))
		}
		return o
	},
}

// public reports whether an operation needs no credentials: it declares no security requirement
// at all (security: []), as the official specification's control-plane addresses do.
func public(op contract.Operation) bool { return op.Security != nil && len(*op.Security) == 0 }
