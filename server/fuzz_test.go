package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/atlasstub/atlasstub/server/x509ca"
)

var fuzzed struct {
	once   sync.Once
	server *Server
	token  string
}

// fuzzServer is one strict stub shared by the fuzz inputs, signed in as the bootstrap service
// account.
func fuzzServer(t *testing.T) (*Server, string) {
	fuzzed.once.Do(func() {
		s, err := New(Config{Strict: true, KeyType: x509ca.ECDSAP256, KeyPoolSize: 2, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodPost, "/api/oauth/token", strings.NewReader("grant_type=client_credentials"))
		req.SetBasicAuth(s.Bootstrap().ServiceAccount.ClientId, s.Bootstrap().ServiceAccount.ClientSecret)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		_, rest, _ := strings.Cut(rec.Body.String(), `"access_token":"`)
		fuzzed.token, _, _ = strings.Cut(rest, `"`)
		fuzzed.server = s
	})
	return fuzzed.server, fuzzed.token
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
		s, token := fuzzServer(t)
		b := s.Bootstrap()
		path = strings.NewReplacer("{groupId}", b.ProjectId, "{orgId}", b.OrgId).Replace(path)
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n\t#") || strings.HasPrefix(path, "/_stub/reset") || strings.HasPrefix(path, "/_stub/clock") {
			return // not a request line a client can send; or one that resets the shared stub
		}
		req, err := http.NewRequest(fuzzMethods[int(method)%len(fuzzMethods)], "http://stub"+path, strings.NewReader(string(body)))
		if err != nil {
			return
		}
		req.RemoteAddr = "127.0.0.1:40000"
		req.Header.Set("Accept", accept)
		req.Header.Set("Content-Type", contentType)
		if signedIn {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s (Accept %q, Content-Type %q, body %q) answered %d: %s", req.Method, path, accept, contentType, body, rec.Code, rec.Body)
		}
	})
}
