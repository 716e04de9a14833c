package server_test

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mongodb-forks/digest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

// digestChallenge is a parsed WWW-Authenticate challenge.
type digestChallenge map[string]string

func challengeOf(t *testing.T, r response) digestChallenge {
	t.Helper()
	header := r.Header.Get("WWW-Authenticate")
	require.True(t, strings.HasPrefix(header, "Digest "), "challenge %q", header)
	c := digestChallenge{}
	for _, part := range strings.Split(strings.TrimPrefix(header, "Digest "), ", ") {
		k, v, _ := strings.Cut(part, "=")
		c[k] = strings.Trim(v, `"`)
	}
	return c
}

// digestAuthorization answers a challenge as RFC 7616 describes, with the given algorithm and
// nonce count.
func digestAuthorization(algorithm, user, password, method, uri, nonce string, nc int) string {
	h := func(s string) string {
		var f hash.Hash = md5.New()
		if algorithm == "SHA-256" {
			f = sha256.New()
		}
		f.Write([]byte(s))
		return hex.EncodeToString(f.Sum(nil))
	}
	count, cnonce := fmt.Sprintf("%08x", nc), "0123456789abcdef"
	ha1, ha2 := h(user+":MMS Public API:"+password), h(method+":"+uri)
	resp := h(strings.Join([]string{ha1, nonce, count, cnonce, "auth", ha2}, ":"))
	return fmt.Sprintf(`Digest username="%s", realm="MMS Public API", nonce="%s", uri="%s", response="%s", algorithm=%s, qop=auth, nc=%s, cnonce="%s"`,
		user, nonce, uri, resp, algorithm, count, cnonce)
}

func TestDigestWithTheAtlasSDKTransport(t *testing.T) {
	stub := stubtest.New(t)
	client := stub.DigestClient()
	res, err := client.Get(stub.URL + "/api/atlas/v2/groups/" + stub.Credentials.ProjectId + "?pretty=true")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusNotAcceptable, res.StatusCode, "authenticated, then versioning refuses a request without Accept")

	req, err := http.NewRequest(http.MethodPost, stub.URL+"/api/atlas/v2/groups", strings.NewReader(fmt.Sprintf(`{"name":"digest","orgId":%q}`, stub.Credentials.OrgId)))
	require.NoError(t, err)
	req.Header.Set("Accept", latestAccept)
	req.Header.Set("Content-Type", "application/json")
	r := send(t, client, req)
	requireStatus(t, http.StatusCreated, r)

	wrong := &http.Client{Transport: digest.NewTransport(stub.Credentials.ApiKey.PublicKey, "00000000-0000-4000-8000-000000000000")}
	req, _ = http.NewRequest(http.MethodGet, stub.URL+"/api/atlas/v2/groups", nil)
	req.Header.Set("Accept", latestAccept)
	e := requireUnauthenticated(t, send(t, wrong, req))
	assert.Equal(t, "You are not authorized for this resource.", e["detail"])
}

func TestDigestChallengesAndTheirAnswers(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub).anonymous()
	key := stub.Credentials.ApiKey
	path := "/api/atlas/v2/groups?pretty=true"

	first := a.get(path)
	requireUnauthenticated(t, first)
	challenge := challengeOf(t, first)
	assert.Equal(t, "MMS Public API", challenge["realm"])
	assert.Equal(t, "MD5", challenge["algorithm"])
	assert.Equal(t, "auth", challenge["qop"])
	assert.Equal(t, "false", challenge["stale"])
	assert.Regexp(t, `^Digest realm="MMS Public API", domain="", nonce="[0-9a-f]+", algorithm=MD5, qop="auth", stale=false$`, first.Header.Get("WWW-Authenticate"))

	authorized := func(algorithm, password, nonce string, nc int) response {
		return a.get(path, "Authorization", digestAuthorization(algorithm, key.PublicKey, password, http.MethodGet, path, nonce, nc))
	}
	requireStatus(t, http.StatusOK, authorized("MD5", key.PrivateKey, challenge["nonce"], 1))
	requireStatus(t, http.StatusOK, authorized("MD5", key.PrivateKey, challenge["nonce"], 2))
	requireUnauthenticated(t, authorized("MD5", key.PrivateKey, challenge["nonce"], 2)) // replayed count

	sha := challengeOf(t, a.get(path))["nonce"]
	requireStatus(t, http.StatusOK, authorized("SHA-256", key.PrivateKey, sha, 1))

	wrongPassword := challengeOf(t, a.get(path))["nonce"]
	requireUnauthenticated(t, authorized("MD5", "not-the-key", wrongPassword, 1))

	unknownNonce := authorized("MD5", key.PrivateKey, "feedfacefeedfacefeedfacefeedface", 1)
	requireUnauthenticated(t, unknownNonce)

	old := challengeOf(t, a.get(path))["nonce"]
	stub.Advance(6 * time.Minute)
	stale := authorized("MD5", key.PrivateKey, old, 1)
	requireUnauthenticated(t, stale)
	assert.Equal(t, "true", challengeOf(t, stale)["stale"], "an expired nonce asks for a retry")

	fresh := challengeOf(t, stale)["nonce"]
	otherURI := a.get(path, "Authorization", digestAuthorization("MD5", key.PublicKey, key.PrivateKey, http.MethodGet, "/api/atlas/v2/orgs", fresh, 1))
	requireUnauthenticated(t, otherURI)
}

func TestOtherCredentialsAreRefused(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub).anonymous()
	for _, authorization := range []string{
		"Basic " + "bWRiX3NhX2lkOnNlY3JldA==",
		"Bearer not-a-token",
		"Negotiate YIIB",
		`Digest username="x"`,
	} {
		r := a.get("/api/atlas/v2/groups", "Authorization", authorization)
		requireUnauthenticated(t, r)
		assert.NotEmpty(t, challengeOf(t, r)["nonce"])
	}
}

// TestDigestOnPathsWithATrailingSlash signs requests whose path ends in a slash, as the Cloud
// Manager documentation writes them, with the Digest client of the Atlas SDKs. The client signs
// the request URI as it sends it; the stub must check the signature against that URI, not the
// path it routes.
func TestDigestOnPathsWithATrailingSlash(t *testing.T) {
	stub := stubtest.New(t)
	a := asKey(t, stub, bootstrapKey(stub), "127.0.0.1")

	requireStatus(t, http.StatusOK, a.get("/api/atlas/v2/groups/"))
	requireStatus(t, http.StatusOK, a.get("/api/atlas/v2/groups/"+stub.Credentials.ProjectId+"/?pretty=true"))

	// An escaped slash before the trailing one stays part of the entry's name.
	list := "/api/atlas/v2/orgs/" + stub.Credentials.OrgId + "/apiKeys/" + stub.Credentials.ApiKey.Id + "/accessList"
	requireStatus(t, http.StatusOK, a.post(list+"/", []map[string]any{{"cidrBlock": "127.0.0.0/8"}, {"cidrBlock": "10.0.0.0/8"}}))
	assert.Equal(t, "10.0.0.0/8", a.get(list + "/10.0.0.0%2F8/").object(t)["cidrBlock"])

	a.accept = "application/json"
	cm := "/api/public/v1.0/orgs/" + stub.Credentials.OrgId + "/serviceAccounts/" + stub.Credentials.ServiceAccount.ClientId + "/secrets/"
	created := a.post(cm, map[string]any{"secretExpiresAfterHours": 24})
	requireStatus(t, http.StatusCreated, created)
	assert.Regexp(t, `^mdb_sa_sk_`, created.object(t)["secret"])
}

// TestStaleIsSaidOnlyOfAnOtherwiseValidResponse: RFC 7616 §3.3 allows stale=true only when the
// response is right for an expired nonce, so that a client retries with the same password only
// when that password is right. An expired nonce stays stale however often it is sent again.
func TestStaleIsSaidOnlyOfAnOtherwiseValidResponse(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub).anonymous()
	key := stub.Credentials.ApiKey
	path := "/api/atlas/v2/groups"
	old := challengeOf(t, a.get(path))["nonce"]
	stub.Advance(6 * time.Minute)
	answer := func(password string, nc int) digestChallenge {
		r := a.get(path, "Authorization", digestAuthorization("MD5", key.PublicKey, password, http.MethodGet, path, old, nc))
		requireUnauthenticated(t, r)
		return challengeOf(t, r)
	}

	assert.Equal(t, "false", answer("00000000-0000-4000-8000-000000000000", 1)["stale"], "a wrong password is not a stale nonce")
	assert.Equal(t, "true", answer(key.PrivateKey, 1)["stale"])
	assert.Equal(t, "true", answer(key.PrivateKey, 2)["stale"], "sent again, the nonce is still stale")
	assert.Equal(t, "false", answer("00000000-0000-4000-8000-000000000000", 3)["stale"])
}
