package suite_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mongodb-forks/digest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/client/oauthtoken"
	"github.com/atlasstub/atlasstub/contract"
	"github.com/atlasstub/atlasstub/contract/suite"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// TestTheStubPassesTheSuite runs every check and scenario against the stub, once: everything
// passes, every operation is exercised with every status a client can provoke, in every version,
// every request the kit calls invalid really is, and the kit leaves the organization as it found
// it. The stub applies Atlas's rate limits: a run mints more tokens with the credentials' service
// account than the token endpoint allows a minute, and the kit waits out each Retry-After, here by
// advancing the stub's clock.
func TestTheStubPassesTheSuite(t *testing.T) {
	stub := stubtest.New(t)
	creds := kitCredentials(t, stub.Credentials)
	spec, err := contract.LoadSpec()
	require.NoError(t, err)
	before := organizationState(t, creds)
	negatives := &negativeRequests{spec: spec, next: http.DefaultTransport, perOperation: map[string]int{}}
	var waits []time.Duration
	wait := func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		stub.Advance(d)
		return nil
	}
	report, err := suite.Run(context.Background(), suite.Config{Credentials: creds, Seed: 42, Network: negatives, Wait: wait})
	require.NoError(t, err)

	t.Run("the resilience scenario ran, and the kit's own retries rode out its faults", func(t *testing.T) {
		var names []string
		for _, s := range report.Scenarios {
			names = append(names, s.Name)
			if s.Name == "scenario_resilience" {
				assert.Empty(t, s.Skipped)
				assert.Len(t, s.Steps, 3)
			}
		}
		assert.Contains(t, names, "scenario_resilience")
		assert.Empty(t, stub.Server.Faults().Rules(), "the scenario removes its rules")
	})
	t.Run("the kit waits out the token endpoint's limit", func(t *testing.T) {
		require.NotEmpty(t, waits, "the run stayed within ten tokens a minute; this test no longer shows the kit's pacing")
		for _, d := range waits {
			assert.True(t, d > 0 && d <= time.Minute, "a wait of %v", d)
		}
	})

	t.Run("every check passes with complete coverage", func(t *testing.T) {
		if report.Failed() || !report.Coverage.Complete() {
			require.NoError(t, report.WriteText(os.Stdout))
		}
		assert.False(t, report.Failed())
		assert.True(t, report.Coverage.Complete())
		assert.Empty(t, report.Uncounted(), "with nothing left out, every violation is counted")
	})
	t.Run("every request the kit calls invalid breaks the specification", func(t *testing.T) {
		for _, valid := range negatives.valid {
			t.Errorf("called invalid, but validates: %s", valid)
		}
		total := 0
		for _, n := range negatives.perOperation {
			total += n
		}
		t.Logf("%d negative requests over %d operations, all invalid", total, len(negatives.perOperation))
		assert.Greater(t, total, 500)
		assert.Positive(t, negatives.perOperation["createOAuthToken"])
		assert.Positive(t, negatives.perOperation["revokeOAuthToken"])
	})
	t.Run("nothing the kit created is left", func(t *testing.T) {
		assert.Empty(t, report.Cleanup, "the kit could not delete some of what it created")
		assert.Equal(t, before, organizationState(t, creds))
	})
}

// TestSkipDestructiveNeverChangesTheOrganization points a run with SkipDestructive at a target
// that applies every update of the organization's settings it gets, whatever its credentials or
// Accept header: the settings stay as they were, since no update the kit sends sets a setting.
// Unchanged settings alone would not show it, since an update that sets each setting to what it
// already is changes nothing either; so the target keeps every body, and none may name a setting.
func TestSkipDestructiveNeverChangesTheOrganization(t *testing.T) {
	spec, err := contract.LoadSpec()
	require.NoError(t, err)
	settings := spec.Doc.Components.Schemas["OrganizationSettings"].Value.Properties
	var token string
	var mu sync.Mutex
	var updates []string
	creds := brokenServer(t, defect{alter: func(r *http.Request) {
		if r.Method == http.MethodPatch && strings.HasSuffix(r.URL.Path, "/settings") {
			r.Header.Set("Authorization", "Bearer "+token)
			r.Header.Set("Accept", "application/vnd.atlas.2023-01-01+json")
			mu.Lock()
			updates = append(updates, string(peek(r)))
			mu.Unlock()
		}
	}})
	token = mint(t, creds)
	before := organizationState(t, creds)
	report, err := suite.Run(context.Background(), suite.Config{Credentials: creds, Seed: 1, Operations: []string{"updateOrgSettings"}, SkipDestructive: true})
	require.NoError(t, err)
	assert.True(t, report.Failed(), "the target lets in requests it must refuse")
	assert.Equal(t, before, organizationState(t, creds))
	require.NotEmpty(t, updates)
	for _, body := range updates {
		// What is not a JSON object (truncated, or another type) sets nothing.
		var object map[string]any
		if json.Unmarshal([]byte(body), &object) != nil {
			continue
		}
		var set []string
		for name := range object {
			if settings[name] != nil {
				set = append(set, name)
			}
		}
		sort.Strings(set)
		assert.Empty(t, set, "an update sets settings: %s", body)
	}
}

// mint returns a token of the credentials' service account.
func mint(t *testing.T, creds suite.Credentials) string {
	t.Helper()
	token, err := oauthtoken.Mint(context.Background(), http.DefaultClient, creds.BaseURL, creds.ServiceAccount.ClientID, creds.ServiceAccount.ClientSecret)
	require.NoError(t, err)
	return token
}

// TestAFixtureThatCannotBeCompletedIsDeleted: when the target refuses the last step of the
// fixture, the run stops, and what the fixture had created is deleted.
func TestAFixtureThatCannotBeCompletedIsDeleted(t *testing.T) {
	creds := brokenServer(t, defect{intercept: func(r *http.Request) (int, http.Header, []byte, bool) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/apiKeys") {
			return http.StatusServiceUnavailable, http.Header{"Content-Type": {"application/json"}}, []byte(`{"error":503}`), true
		}
		return 0, nil, nil, false
	}})
	before := organizationState(t, creds)
	_, err := suite.Run(context.Background(), suite.Config{Credentials: creds, Seed: 1, Operations: []string{"getOrg"}})
	assert.ErrorContains(t, err, "create the fixture")
	assert.Equal(t, before, organizationState(t, creds), "the project and service account of the fixture are deleted")
}

// negativeRequests sees every request of a run on its way to the network, and validates those
// that the kit marks invalid (contract.Invalid) as the Transport validates the others: each must
// fail, or the kit would blame the target for refusing a valid request.
type negativeRequests struct {
	spec *contract.Spec
	next http.RoundTripper

	mu           sync.Mutex
	perOperation map[string]int
	valid        []string
}

func (n *negativeRequests) RoundTrip(req *http.Request) (*http.Response, error) {
	if contract.IsInvalid(req.Context()) {
		var body []byte
		if req.Body != nil {
			var err error
			if body, err = io.ReadAll(req.Body); err != nil {
				return nil, err
			}
			req.Body.Close()
			req.Body = io.NopCloser(bytes.NewReader(body))
		}
		route, _, routeErr := n.spec.Route(req)
		err := n.spec.ValidateRequest(req, body)
		n.mu.Lock()
		if routeErr == nil {
			n.perOperation[route.Operation.OperationID]++
		}
		if err == nil {
			n.valid = append(n.valid, fmt.Sprintf("%s %s %s", req.Method, req.URL, body))
		}
		n.mu.Unlock()
	}
	return n.next.RoundTrip(req)
}

// organizationState lists what the organization holds that the kit could create or change: its
// projects, service accounts and API keys, the database users of the bootstrap project, and its
// settings.
func organizationState(t *testing.T, creds suite.Credentials) map[string][]string {
	t.Helper()
	org := "/api/atlas/v2/orgs/" + creds.OrgID
	client := &http.Client{Transport: digest.NewTransport(creds.APIKey.PublicKey, creds.APIKey.PrivateKey)}
	state := map[string][]string{}
	for kind, list := range map[string]struct{ path, field string }{
		"projects":         {org + "/groups", "id"},
		"service accounts": {org + "/serviceAccounts", "clientId"},
		"API keys":         {org + "/apiKeys", "id"},
		"database users":   {"/api/atlas/v2/groups/" + creds.ProjectID + "/databaseUsers", "username"},
	} {
		var page struct{ Results []map[string]any }
		require.NoError(t, json.Unmarshal(get(t, client, creds.BaseURL+list.path+"?itemsPerPage=500"), &page))
		state[kind] = []string{}
		for _, item := range page.Results {
			state[kind] = append(state[kind], item[list.field].(string)+" "+name(item))
		}
		sort.Strings(state[kind])
	}
	state["settings"] = []string{string(get(t, client, creds.BaseURL+org+"/settings"))}
	return state
}

// get reads a path of the Atlas API and requires a 200.
func get(t *testing.T, client *http.Client, url string) []byte {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "application/vnd.atlas.2025-02-19+json")
	res, err := client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode, "%s: %s", url, body)
	return body
}

// name is what identifies an item to a reader: its name, or an API key's description.
func name(item map[string]any) string {
	for _, field := range []string{"name", "desc"} {
		if v, ok := item[field].(string); ok {
			return v
		}
	}
	return ""
}
