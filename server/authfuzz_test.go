package server_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/x509ca"
)

var authFuzzed struct {
	once     sync.Once
	url      string
	boot     server.Bootstrap
	startErr error
}

// authFuzzStub is one strict stub on a loopback port, shared by the fuzz inputs of this process.
// It is never stopped: it lives as long as the fuzzing process.
func authFuzzStub(t *testing.T) (string, server.Bootstrap) {
	authFuzzed.once.Do(func() {
		s, err := server.New(server.Config{Strict: true, KeyType: x509ca.ECDSAP256, KeyPoolSize: 1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			authFuzzed.startErr = err
			return
		}
		authFuzzed.url, authFuzzed.boot = httptest.NewServer(s).URL, s.Bootstrap()
	})
	if authFuzzed.startErr != nil {
		t.Fatal(authFuzzed.startErr)
	}
	return authFuzzed.url, authFuzzed.boot
}

// The shapes of Authorization header the fuzz target builds from its input.
const (
	rawHeader = iota
	digestParams
	basicEncoded
	bearerJWT
	authorizationShapes
)

// fuzzAuthorization builds an Authorization header of one shape from the fuzzer's parts.
func fuzzAuthorization(shape uint8, a, b, c string) string {
	b64 := base64.RawURLEncoding.EncodeToString
	switch shape % authorizationShapes {
	case digestParams:
		return "Digest " + a + b + c
	case basicEncoded:
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(a+":"+b)) + c
	case bearerJWT:
		return "Bearer " + b64([]byte(a)) + "." + b64([]byte(b)) + "." + b64([]byte(c))
	}
	return a + b + c
}

// FuzzAnyAuthorizationIsRefused sends requests to the Atlas paths with arbitrary Authorization
// headers: Digest parameters, Basic credentials, bearer tokens shaped like JWTs, or any text. None
// of them may sign in, none may make the stub fail, and every refusal is Atlas's 401 ApiError
// with a Digest challenge that the Atlas SDKs' Digest client can answer.
func FuzzAnyAuthorizationIsRefused(f *testing.F) {
	f.Add(uint8(digestParams), `username="abcdefgh", realm="MMS Public API", nonce="0123456789abcdef0123456789abcdef", uri="/api/atlas/v2/groups", `,
		`response="0123456789abcdef0123456789abcdef", algorithm=MD5, qop=auth, nc=00000001, cnonce="0123456789abcdef"`, "")
	f.Add(uint8(digestParams), `username="abcdefgh", realm="MMS Public API", nonce="n", uri="/api/atlas/v2/groups", response="r"`, `, algorithm=SHA-256`, `, qop="auth,auth-int"`)
	f.Add(uint8(digestParams), `username="a\"b", realm=`, `"MMS Public API`, `", nonce=`)
	f.Add(uint8(digestParams), `username=, realm=, nonce=, uri=, response=, nc=ffffffffffffffffffff`, `, username="x"`, `,,,,`)
	f.Add(uint8(basicEncoded), "mdb_sa_id_0123456789abcdef01234567", "mdb_sa_sk_secret", "")
	f.Add(uint8(basicEncoded), "", "", "====")
	f.Add(uint8(bearerJWT), `{"alg":"ES512","typ":"JWT"}`, `{"iss":"atlasstub","sub":"mdb_sa_id_0123456789abcdef01234567","jti":"x","sid":"y","exp":9999999999}`, "signature")
	f.Add(uint8(bearerJWT), `{"alg":"none"}`, `{"iss":"atlasstub","sub":"s","jti":"j","sid":"i","exp":9999999999}`, "")
	f.Add(uint8(bearerJWT), `{"alg":"HS256","typ":"JWT"}`, `{"exp":"soon"}`, "\x00")
	f.Add(uint8(bearerJWT), `{"alg":"ES512","kid":"../../etc/passwd"}`, `[]`, "")
	f.Add(uint8(rawHeader), "Bearer", "", "")
	f.Add(uint8(rawHeader), "Digest", " ", "")
	f.Add(uint8(rawHeader), "Negotiate ", "YIIB", "")
	f.Add(uint8(rawHeader), "bearer   ", "a.b.c", "")
	f.Add(uint8(rawHeader), "DIGEST username=x", "", "")

	f.Fuzz(func(t *testing.T, shape uint8, a, b, c string) {
		base, boot := authFuzzStub(t)
		paths := []string{"/api/atlas/v2/groups", "/api/atlas/v2/orgs/" + boot.OrgId, "/api/atlas/v2/groups/" + boot.ProjectId + "/databaseUsers?pageNum=2"}
		authorization := fuzzAuthorization(shape, a, b, c)
		path := paths[int(shape/authorizationShapes)%len(paths)]
		req, err := http.NewRequest(http.MethodGet, base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept", "application/vnd.atlas.2025-02-19+json")
		req.Header.Set("Authorization", authorization)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return // not a header a client can send (a newline, a control character)
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("Authorization %q answered %d, not 401: %s", authorization, res.StatusCode, body)
		}
		var apiError struct {
			Error     int    `json:"error"`
			ErrorCode string `json:"errorCode"`
		}
		if res.Header.Get("Content-Type") != "application/json" || json.Unmarshal(body, &apiError) != nil || apiError.Error != 401 || apiError.ErrorCode != "UNAUTHORIZED" {
			t.Fatalf("Authorization %q: the 401 is not Atlas's ApiError (%s): %s", authorization, res.Header.Get("Content-Type"), body)
		}
		if challenge := res.Header.Get("WWW-Authenticate"); !strings.HasPrefix(challenge, `Digest realm="MMS Public API", domain="", nonce="`) {
			t.Fatalf("Authorization %q: the 401 has no Digest challenge: %q", authorization, challenge)
		}
	})
}
