package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/atlasstub/atlasstub/client/oauthtoken"
	"github.com/atlasstub/atlasstub/gen/stubapi"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/limits"
	"github.com/atlasstub/atlasstub/server/x509ca"
)

// fuzzStub is one strict stub shared by the fuzz inputs and targets of the process. It is never
// stopped: it lives as long as the fuzzing process. It applies no rate limits, knowingly: the
// fuzzer sends thousands of requests a minute, and what it checks (no 5xx, every credential
// refused) is not about limits; limits_test.go is.
type fuzzStub struct {
	server *Server
	// url is where the stub listens on a loopback port, for targets whose requests must be what
	// a real client sends.
	url string
	// token is a bearer token of the bootstrap service account.
	token string
}

var startFuzzStub = sync.OnceValues(func() (*fuzzStub, error) {
	s, err := New(Config{Strict: true, KeyType: x509ca.ECDSAP256, KeyPoolSize: 2, RateLimits: limits.Off, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return nil, err
	}
	baseURL := httptest.NewServer(s).URL
	sa := s.Bootstrap().ServiceAccount
	token, err := oauthtoken.Mint(context.Background(), http.DefaultClient, baseURL, sa.ClientId, sa.ClientSecret)
	if err != nil {
		return nil, err
	}
	return &fuzzStub{server: s, url: baseURL, token: token}, nil
})

// sharedFuzzStub returns the process's fuzz stub, and fails every input if it did not start.
func sharedFuzzStub(t *testing.T) *fuzzStub {
	t.Helper()
	stub, err := startFuzzStub()
	if err != nil {
		t.Fatalf("start the fuzz stub: %v", err)
	}
	return stub
}

var fuzzMethods = []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete, http.MethodPut, http.MethodHead, "OPTIONS"}

// FuzzNoRequestMakesTheStubFail sends arbitrary requests, signed in or not, and requires that the
// stub never answers a 5xx. The stub runs strict, so a response that breaks the specification
// would also show up as a 500.
func FuzzNoRequestMakesTheStubFail(f *testing.F) {
	f.Add(uint8(0), "/api/atlas/v2/groups", "application/vnd.atlas.2025-02-19+json", "", []byte(nil), true)
	f.Add(uint8(1), "/api/atlas/v2/groups", "application/vnd.atlas.2025-02-19+json", "application/json", []byte(`{"name":"p","orgId":"0123456789abcdef01234567"}`), true)
	f.Add(uint8(1), "/api/atlas/v2/groups/{groupId}/databaseUsers", "application/vnd.atlas.2023-01-01+json", "application/json", []byte(`{"groupId":"{groupId}","databaseName":"$external","username":"u","x509Type":"MANAGED"}`), true)
	f.Add(uint8(1), "/api/atlas/v2/groups/{groupId}/databaseUsers/u/certs", "application/vnd.atlas.2023-01-01+json", "application/json", []byte(`{"monthsUntilExpiration":2}`), true)
	f.Add(uint8(2), "/api/atlas/v2/orgs/{orgId}/settings?envelope=true&pretty=true", "application/vnd.atlas.2023-01-01+json", "application/json", []byte(`{"apiAccessListRequired":false}`), true)
	f.Add(uint8(1), "/api/atlas/v2/orgs/{orgId}/apiKeys/x/accessList", "application/vnd.atlas.2023-01-01+json", "application/json", []byte(`[{"ipAddress":"::1"}]`), true)
	f.Add(uint8(1), "/api/oauth/token", "application/json", "application/x-www-form-urlencoded", []byte("grant_type=password"), false)
	f.Add(uint8(3), "/api/atlas/v1.0/groups/{groupId}/userSecurity/customerX509", "*/*", "", []byte(nil), true)
	f.Add(uint8(0), "/_stub/groups/{groupId}/ca", "", "", []byte(nil), false)
	f.Add(uint8(0), "/api/atlas/v2/groups?pageNum=9223372036854775807", "application/vnd.atlas.2025-02-19+json", "", []byte(nil), true)
	f.Add(uint8(0), "/api/atlas/v2/groups/{groupId}/databaseUsers?pageNum=4611686018427387905&itemsPerPage=2", "application/vnd.atlas.2023-01-01+json", "", []byte(nil), true)
	f.Fuzz(func(t *testing.T, method uint8, path, accept, contentType string, body []byte, signedIn bool) {
		stub := sharedFuzzStub(t)
		b := stub.server.Bootstrap()
		path = strings.NewReplacer("{groupId}", b.ProjectId, "{orgId}", b.OrgId).Replace(path)
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n\t#") || strings.HasPrefix(path, "/_stub/reset") || strings.HasPrefix(path, "/_stub/clock") || strings.HasPrefix(path, "/_stub/faults") {
			return // not a request line a client can send; or one that resets the shared stub or makes it fail on purpose (FuzzFaultRules)
		}
		req, err := http.NewRequest(fuzzMethods[int(method)%len(fuzzMethods)], "http://127.0.0.1:8080"+path, strings.NewReader(string(body)))
		if err != nil {
			return
		}
		req.RemoteAddr = "127.0.0.1:40000"
		req.Header.Set("Accept", accept)
		req.Header.Set("Content-Type", contentType)
		if signedIn {
			req.Header.Set("Authorization", "Bearer "+stub.token)
		}
		rec := httptest.NewRecorder()
		stub.server.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s (Accept %q, Content-Type %q, body %q) answered %d: %s", req.Method, path, accept, contentType, body, rec.Code, rec.Body)
		}
	})
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
		stub := sharedFuzzStub(t)
		boot := stub.server.Bootstrap()
		paths := []string{"/api/atlas/v2/groups", "/api/atlas/v2/orgs/" + boot.OrgId, "/api/atlas/v2/groups/" + boot.ProjectId + "/databaseUsers?pageNum=2"}
		authorization := fuzzAuthorization(shape, a, b, c)
		path := paths[int(shape/authorizationShapes)%len(paths)]
		req, err := http.NewRequest(http.MethodGet, stub.url+path, nil)
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
		if res.Header.Get("Content-Type") != "application/json" || json.Unmarshal(body, &apiError) != nil || apiError.Error != 401 || apiError.ErrorCode != "UNEXPECTED_ERROR" {
			t.Fatalf("Authorization %q: the 401 is not Atlas's ApiError (%s): %s", authorization, res.Header.Get("Content-Type"), body)
		}
		if challenge := res.Header.Get("WWW-Authenticate"); !strings.HasPrefix(challenge, `Digest realm="MMS Public API", domain="", nonce="`) {
			t.Fatalf("Authorization %q: the 401 has no Digest challenge: %q", authorization, challenge)
		}
	})
}

// FuzzFaultRules posts arbitrary rules to the control API: none makes the stub fail, a refusal is
// a 400, and a rule it keeps reads back as it was answered. Each input's rules are removed
// before the next; the target sends nothing to the Atlas API, which the rules would meet.
func FuzzFaultRules(f *testing.F) {
	f.Add(`{"match":{"operationId":"getGroup"},"error":{"status":503,"errorCode":"SERVICE_UNAVAILABLE","retryAfterSeconds":2},"times":2}`)
	f.Add(`{"match":{"tag":"Projects","method":"GET","path":"/api/atlas/v2/groups/*"},"latency":"20ms..80ms","after":3,"probability":0.25,"seed":7}`)
	f.Add(`{"match":{"path":"/api/atlas/v2/groups/{groupId}"},"dropConnection":"after"}`)
	f.Add(`{"match":{"path":"/api/[a-"},"slowBody":"1h"}`)
	f.Add(`{"match":{"operationId":"getGroup"},"latency":"9223372036854775807ns..1ns"}`)
	f.Add(`{"match":{},"seed":-1,"probability":1e400}`)
	f.Fuzz(func(t *testing.T, body string) {
		stub := sharedFuzzStub(t)
		defer stub.server.Faults().Clear()
		req := controlRequest(http.MethodPost, "/_stub/faults", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		stub.server.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusBadRequest:
			return
		case http.StatusCreated:
		default:
			t.Fatalf("rule %s answered %d: %s", body, rec.Code, rec.Body)
		}
		var added struct{ ID string }
		if err := json.Unmarshal(rec.Body.Bytes(), &added); err != nil {
			t.Fatal(err)
		}
		read := httptest.NewRecorder()
		stub.server.ServeHTTP(read, controlRequest(http.MethodGet, "/_stub/faults/"+added.ID, nil))
		if read.Code != http.StatusOK || read.Body.String() != rec.Body.String() {
			t.Fatalf("rule %s was kept as %s but reads back %d %s", body, rec.Body, read.Code, read.Body)
		}
	})
}

// controlRequest is a request to the control API from the stub's own machine, at its own name,
// which the control API answers.
func controlRequest(method, path string, body io.Reader) *http.Request {
	req := httptest.NewRequest(method, "http://localhost"+path, body)
	req.RemoteAddr = "127.0.0.1:1234"
	return req
}

// stateFuzzServer is a stub of its own for FuzzStateDocument, whose inputs replace its state.
var stateFuzzServer = sync.OnceValues(func() (*Server, error) {
	return New(Config{KeyType: x509ca.ECDSAP256, KeyPoolSize: 1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
})

// FuzzStateDocument changes a state document at random and imports it: the stub either takes
// it or refuses it with a 400 that names a field, and never fails otherwise or panics.
func FuzzStateDocument(f *testing.F) {
	s, err := stateFuzzServer()
	if err != nil {
		f.Fatal(err)
	}
	if _, err := s.ProjectCA(s.Bootstrap().ProjectId); err != nil {
		f.Fatal(err)
	}
	valid, err := s.State()
	if err != nil {
		f.Fatal(err)
	}
	seed, err := json.Marshal(valid)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(strings.Replace(string(seed), `"formatVersion":1`, `"formatVersion":7`, 1)))
	f.Add([]byte(strings.Replace(string(seed), `"Name":"Project0"`, `"Name":"Project0","Extra":1`, 1)))
	f.Add([]byte(strings.Replace(string(seed), `"orgs":[`, `"orgs":[{"ID":"0123456789abcdef01234567"},`, 1)))
	f.Add([]byte(`{"formatVersion":1,"clockOffset":"1h","records":{}}`))
	f.Fuzz(func(t *testing.T, document []byte) {
		s, err := stateFuzzServer()
		if err != nil {
			t.Fatal(err)
		}
		var doc stubapi.State
		if json.Unmarshal(document, &doc) != nil {
			return // request validation answers 400 before the handler
		}
		err = s.SetState(doc)
		var apiErr *apierror.Error
		if err != nil && (!errors.As(err, &apiErr) || apiErr.Status != http.StatusBadRequest || apiErr.BadRequestDetail == nil) {
			t.Fatalf("importing %s failed with %v, not a 400 naming a field", document, err)
		}
	})
}
