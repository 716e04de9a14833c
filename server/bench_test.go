package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/faults"
	"github.com/atlasstub/atlasstub/server/limits"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// BenchmarkListCertificates lists a page of 100 certificates of one user over HTTP, with
// response validation (strict, as in tests) and without (the default of `atlasstub serve`).
func BenchmarkListCertificates(b *testing.B) {
	for _, strict := range []bool{true, false} {
		b.Run(fmt.Sprintf("strict=%t", strict), func(b *testing.B) {
			stub := stubtest.New(b, noRateLimits, func(c *server.Config) { c.Strict = strict })
			path := benchUser(b, stub, "lister")
			for range 100 {
				benchRequest(b, stub, http.MethodPost, path, `{}`, http.StatusCreated)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				benchRequest(b, stub, http.MethodGet, path+"?itemsPerPage=100", "", http.StatusOK)
			}
		})
	}
}

// noRateLimits turns Atlas's rate limits off, knowingly: a benchmark sends thousands of
// requests a minute, and with the limits on it would measure 429s. BenchmarkGetProject measures
// what the limits cost.
var noRateLimits = stubtest.WithRateLimits(limits.Off)

// BenchmarkGetProject reads one project over HTTP with a service account's bearer token: the
// cost of a small authenticated request, most of which used to be checking the token's
// signature. It runs without rate limits, with Atlas's (the default), and with Atlas's and ten
// fault rules that the request is tried against and that match other operations.
func BenchmarkGetProject(b *testing.B) {
	for _, tc := range []struct {
		name       string
		rateLimits limits.Mode
		rules      int
	}{
		{"limits=off", limits.Off, 0},
		{"limits=atlas", limits.Atlas, 0},
		{"limits=atlas,faults=10", limits.Atlas, 10},
	} {
		b.Run(tc.name, func(b *testing.B) {
			stub := stubtest.New(b, stubtest.WithRateLimits(tc.rateLimits))
			for i := range tc.rules {
				stub.Fail(b, faults.Match{OperationID: "deleteGroup", Path: fmt.Sprintf("/api/atlas/v2/groups/%024d", i)}, 503, "SERVICE_UNAVAILABLE")
			}
			tokens.Store(stub, stub.Token(b))
			path := "/api/atlas/v2/groups/" + stub.Credentials.ProjectId
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if i%1000 == 999 {
					// A project may read itself 1200 times a minute: a minute passes, untimed.
					b.StopTimer()
					stub.Advance(time.Minute)
					b.StartTimer()
				}
				benchRequest(b, stub, http.MethodGet, path, "", http.StatusOK)
			}
		})
	}
}

// tokens holds each benchmark stub's bearer token; benchmarks run far less than its hour.
var tokens sync.Map

func benchUser(b *testing.B, stub *stubtest.Stub, username string) string {
	gid := stub.Credentials.ProjectId
	tokens.Store(stub, stub.Token(b))
	benchRequest(b, stub, http.MethodPost, "/api/atlas/v2/groups/"+gid+"/databaseUsers",
		fmt.Sprintf(`{"groupId":%q,"databaseName":"$external","username":%q,"x509Type":"MANAGED"}`, gid, username), http.StatusCreated)
	return "/api/atlas/v2/groups/" + gid + "/databaseUsers/" + username + "/certs"
}

func benchRequest(b *testing.B, stub *stubtest.Stub, method, path, body string, want int) {
	req, err := http.NewRequest(method, stub.URL+path, strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Accept", latestAccept)
	token, _ := tokens.Load(stub)
	req.Header.Set("Authorization", "Bearer "+token.(string))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	answer, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != want {
		b.Fatalf("%s %s: status %d, want %d: %s", method, path, res.StatusCode, want, answer)
	}
}

// BenchmarkCuratedAndGeneric measures a curated operation and a generic one of the same shape side
// by side, over HTTP with a bearer token, strict (as in tests) and not (as `atlasstub serve`):
//
//   - read: one small resource by its path, getGroup (curated) and getGroupAccessListEntry
//     (generic, with the access list's hook); getGroupAlertConfig (generic-large: one of the
//     seventeen alternatives of an alert configuration); getGroupSettings (generic, a singleton);
//   - list: a page of 20, listGroupDatabaseUsers (curated), listGroupAccessListEntries (generic)
//     and listGroupAlertConfigs (generic-large);
//   - create-delete: createGroupDatabaseUser then deleteGroupDatabaseUser (curated), and
//     createGroupAlertConfig then deleteGroupAlertConfig (generic).
func BenchmarkCuratedAndGeneric(b *testing.B) {
	for _, strict := range []bool{true, false} {
		b.Run(fmt.Sprintf("strict=%t", strict), func(b *testing.B) {
			stub := stubtest.New(b, func(c *server.Config) { c.Strict = strict })
			tokens.Store(stub, stub.Token(b))
			project := "/api/atlas/v2/groups/" + stub.Credentials.ProjectId
			users, configs, entries := project+"/databaseUsers", project+"/alertConfigs", project+"/accessList"
			var config string
			for i := range 20 {
				benchRequest(b, stub, http.MethodPost, users, benchDatabaseUser(stub, fmt.Sprintf("listed-%d", i)), http.StatusCreated)
				config = benchCreateID(b, stub, configs, benchAlertConfig)
				benchRequest(b, stub, http.MethodPost, entries, fmt.Sprintf(`[{"ipAddress": "10.0.0.%d"}]`, i+1), http.StatusOK)
			}
			reads := []struct{ name, path string }{
				{"read/curated", project},
				{"read/generic", entries + "/10.0.0.1"},
				{"read/generic-large", configs + "/" + config},
				{"read/generic-singleton", project + "/settings"},
				{"list/curated", users + "?itemsPerPage=20"},
				{"list/generic", entries + "?itemsPerPage=20"},
				{"list/generic-large", configs + "?itemsPerPage=20"},
			}
			for _, c := range reads {
				b.Run(c.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						benchRequest(b, stub, http.MethodGet, c.path, "", http.StatusOK)
					}
				})
			}
			// A create and the delete of what it created, so that a project's 100 database users
			// are never reached.
			b.Run("create-delete/curated", func(b *testing.B) {
				b.ReportAllocs()
				n := 0
				for b.Loop() {
					n++
					username := fmt.Sprintf("created-%d", n)
					benchRequest(b, stub, http.MethodPost, users, benchDatabaseUser(stub, username), http.StatusCreated)
					benchRequest(b, stub, http.MethodDelete, users+"/admin/"+username, "", http.StatusNoContent)
				}
			})
			b.Run("create-delete/generic", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					id := benchCreateID(b, stub, configs, benchAlertConfig)
					benchRequest(b, stub, http.MethodDelete, configs+"/"+id, "", http.StatusNoContent)
				}
			})
		})
	}
}

const benchAlertConfig = `{"eventTypeName": "NO_PRIMARY", "enabled": true, "notifications": [{"typeName": "GROUP", "intervalMin": 5, "delayMin": 0, "emailEnabled": true}]}`

func benchDatabaseUser(stub *stubtest.Stub, username string) string {
	return fmt.Sprintf(`{"groupId":%q,"databaseName":"admin","username":%q,"password":"a-long-password","roles":[{"databaseName":"admin","roleName":"readAnyDatabase"}]}`,
		stub.Credentials.ProjectId, username)
}

// benchCreateID creates a resource and returns its id.
func benchCreateID(b *testing.B, stub *stubtest.Stub, path, body string) string {
	req, err := http.NewRequest(http.MethodPost, stub.URL+path, strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Accept", latestAccept)
	token, _ := tokens.Load(stub)
	req.Header.Set("Authorization", "Bearer "+token.(string))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	var created struct{ ID string }
	if err := json.NewDecoder(res.Body).Decode(&created); err != nil || created.ID == "" {
		b.Fatalf("POST %s: status %d, no id (%v)", path, res.StatusCode, err)
	}
	return created.ID
}
