package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/atlasstub/atlasstub/server/ids"
)

// TokenLifetime is how long an access token works: one hour, as Atlas's.
const TokenLifetime = time.Hour

const tokenIssuer = "atlasstub"

// Tokens mints and checks access tokens: JWTs signed ES512 (as Atlas's are) with a key that the
// store keeps, expiring on the stub's clock.
type Tokens struct {
	now func() time.Time
	// parser checks a token's signature and claims, and validator the claims of a token whose
	// signature is known; both are built once, since every bearer request needs one.
	parser    *jwt.Parser
	validator *jwt.Validator

	mu  sync.RWMutex
	key *ecdsa.PrivateKey
	// signed holds the claims of the tokens whose signature is known to be the key's: minted
	// here, or verified once. A client sends the same token for an hour, and checking an ES512
	// signature costs about a millisecond (a hundred under the race detector), more than the
	// rest of a request. Claims are still validated on every use.
	signed map[string]TokenClaims
}

// maxSigned bounds the tokens Tokens remembers; past it, it forgets them all and verifies
// signatures again.
const maxSigned = 4096

// TokenClaims are what a token says: which secret of which service account minted it.
type TokenClaims struct {
	jwt.RegisteredClaims
	SecretID string `json:"sid"`
}

// NewTokens returns a token minter on the clock now; it needs a key (SetKey) before use.
func NewTokens(now func() time.Time) *Tokens {
	// What a token must satisfy besides its signature.
	options := []jwt.ParserOption{
		jwt.WithValidMethods([]string{jwt.SigningMethodES512.Alg()}),
		jwt.WithIssuer(tokenIssuer),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(now),
	}
	return &Tokens{now: now, parser: jwt.NewParser(options...), validator: jwt.NewValidator(options...)}
}

// NewSigningKey creates a signing key, PKCS#8-encoded for the store.
func NewSigningKey() ([]byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if err != nil {
		return nil, err
	}
	return x509.MarshalPKCS8PrivateKey(key)
}

// ParseSigningKey reads a PKCS#8 signing key, which must be an ECDSA P-521 key (ES512).
func ParseSigningKey(pkcs8 []byte) (*ecdsa.PrivateKey, error) {
	parsed, err := x509.ParsePKCS8PrivateKey(pkcs8)
	if err != nil {
		return nil, fmt.Errorf("token signing key: %w", err)
	}
	key, ok := parsed.(*ecdsa.PrivateKey)
	if !ok || key.Curve != elliptic.P521() {
		return nil, errors.New("token signing key: not an ECDSA P-521 key, which ES512 needs")
	}
	return key, nil
}

// SetKey installs the PKCS#8 signing key; tokens signed with an earlier key stop working.
func (t *Tokens) SetKey(pkcs8 []byte) error {
	key, err := ParseSigningKey(pkcs8)
	if err != nil {
		return err
	}
	t.mu.Lock()
	t.key = key
	t.signed = nil
	t.mu.Unlock()
	return nil
}

// Mint signs a token for a service account's secret, valid for TokenLifetime.
func (t *Tokens) Mint(clientID, secretID string) (string, TokenClaims, error) {
	now := t.now()
	claims := TokenClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    tokenIssuer,
			Subject:   clientID,
			ID:        ids.ObjectID(now),
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(TokenLifetime)),
		},
		SecretID: secretID,
	}
	t.mu.RLock()
	key := t.key
	t.mu.RUnlock()
	signed, err := jwt.NewWithClaims(jwt.SigningMethodES512, claims).SignedString(key)
	if err != nil {
		return "", TokenClaims{}, err
	}
	t.remember(key, signed, claims)
	return signed, claims, nil
}

// Parse checks a token's signature, issuer and expiry on the stub's clock and returns its
// claims. Whether the token was revoked, or its secret or account deleted, is for the caller.
func (t *Tokens) Parse(token string) (TokenClaims, error) {
	t.mu.RLock()
	key := t.key
	claims, known := t.signed[token]
	t.mu.RUnlock()
	if known {
		if err := t.validator.Validate(claims); err != nil {
			return TokenClaims{}, fmt.Errorf("%w: %w", jwt.ErrTokenInvalidClaims, err)
		}
	} else {
		_, err := t.parser.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return &key.PublicKey, nil })
		if err != nil {
			return TokenClaims{}, err
		}
		t.remember(key, token, claims)
	}
	if claims.Subject == "" || claims.ID == "" || claims.SecretID == "" {
		return TokenClaims{}, errors.New("token without subject, id or secret")
	}
	return claims, nil
}

// remember records that key signed token, unless the key has changed since.
func (t *Tokens) remember(key *ecdsa.PrivateKey, token string, claims TokenClaims) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if key != t.key {
		return
	}
	if t.signed == nil || len(t.signed) >= maxSigned {
		t.signed = make(map[string]TokenClaims)
	}
	t.signed[token] = claims
}
