package suite

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Scenario is a stateful flow of the Atlas subset, written once and run against any target.
type Scenario struct {
	Name string
	Doc  string
	run  func(ctx context.Context, r *runner) ScenarioResult
}

// ScenarioResult is what a scenario found: its steps, up to the first that failed, or why it
// did not run against the target.
type ScenarioResult struct {
	Name  string `json:"name"`
	Steps []Step `json:"steps"`
	// Seconds is how long the scenario took.
	Seconds float64 `json:"seconds"`
	// Skipped says why the scenario did not run, where the target cannot play it.
	Skipped string `json:"skipped,omitempty"`
}

// Step is one step of a scenario.
type Step struct {
	Name    string `json:"name"`
	Passed  bool   `json:"passed"`
	Message string `json:"message,omitempty"`
	Curl    string `json:"curl,omitempty"`
	// Failure is the failed step's exchange, as a check's failure shows it.
	Failure *Failure `json:"failure,omitempty"`
}

// Failed reports whether a step failed.
func (s ScenarioResult) Failed() bool {
	for _, step := range s.Steps {
		if !step.Passed {
			return true
		}
	}
	return false
}

// Scenarios are the flows the suite runs after its checks.
var Scenarios = []Scenario{
	{Name: "scenario_x509_certificates", Doc: "project -> MANAGED user -> certificate (PEM, PKCS#8, CN=<username>) -> listed by its serial; a user that is not MANAGED gets none", run: certificateScenario},
	{Name: "scenario_secret_rotation", Doc: "service account -> token -> API call -> second secret shortens the first to 7 days -> revoke the first -> its token dies -> revoke the second's token -> delete the account", run: rotationScenario},
	{Name: "scenario_api_key_access_list", Doc: "API key over Digest -> access list that leaves the caller out -> 403 -> entry removed -> allowed again -> key deleted -> 401", run: accessListScenario},
	{Name: "scenario_resilience", Doc: "a target that injects faults (/_stub/faults): 503 twice then 429 with Retry-After on a read, 503 at the token endpoint, latency -> the client under test (Config.Resilience, or the kit's own retries) gets every answer; skipped against a target without fault injection", run: resilienceScenario},
}

// steps records a scenario's steps and stops at the first failure.
type steps struct {
	result ScenarioResult
	failed bool
}

// do runs a step unless an earlier one failed. The step returns a response to show (for its curl
// command) and an error when it fails.
func (s *steps) do(name string, step func() (response, error)) {
	if s.failed {
		return
	}
	res, err := step()
	st := Step{Name: name, Passed: err == nil, Curl: res.curl}
	if err != nil {
		st.Message = err.Error()
		failure := failureOf(res, st.Message)
		st.Failure = &failure
		s.failed = true
	}
	s.result.Steps = append(s.result.Steps, st)
}

// expect sends a request as the service account and requires a status.
func (r *runner) expect(ctx context.Context, method, path string, body any, want int) (response, error) {
	res, err := r.c.send(ctx, jsonRequest(method, path, body))
	if err == nil && res.status != want {
		err = fmt.Errorf("%s %s: status %d, want %d: %s", method, path, res.status, want, snippet(res.body))
	}
	return res, err
}

func certificateScenario(ctx context.Context, r *runner) ScenarioResult {
	s := steps{result: ScenarioResult{Name: "scenario_x509_certificates"}}
	var groupID, username, serial string
	s.do("create a project", func() (response, error) {
		var err error
		groupID, _, err = r.f.newProject(ctx)
		return response{}, err
	})
	s.do("create a MANAGED X.509 user on $external", func() (response, error) {
		username = r.f.name()
		return r.expect(ctx, http.MethodPost, "/api/atlas/v2/groups/"+groupID+"/databaseUsers",
			map[string]any{"groupId": groupID, "databaseName": "$external", "username": username, "x509Type": "MANAGED"}, http.StatusCreated)
	})
	s.do("issue a certificate: PEM certificate then unencrypted PKCS#8 key, subject CN=<username>, three months", func() (response, error) {
		res, err := r.expect(ctx, http.MethodPost, "/api/atlas/v2/groups/"+groupID+"/databaseUsers/"+username+"/certs", map[string]any{"monthsUntilExpiration": 3}, http.StatusCreated)
		if err != nil {
			return res, err
		}
		cert, err := checkCertificatePEM(res.body, username)
		if err == nil {
			serial = cert.SerialNumber.String()
			if want := cert.NotBefore.AddDate(0, 3, 0); !cert.NotAfter.Equal(want) {
				err = fmt.Errorf("the certificate expires %s, want %s", cert.NotAfter, want)
			}
		}
		return res, err
	})
	s.do("list the user's certificates: the new serial is there", func() (response, error) {
		res, err := r.expect(ctx, http.MethodGet, "/api/atlas/v2/groups/"+groupID+"/databaseUsers/"+username+"/certs", nil, http.StatusOK)
		if err == nil && (!strings.Contains(string(res.body), `"_id":`+serial) || !strings.Contains(string(res.body), "CN="+username)) {
			err = fmt.Errorf("the list does not show serial %s with subject CN=%s: %s", serial, username, snippet(res.body))
		}
		return res, err
	})
	s.do("a user that is not MANAGED gets no certificate", func() (response, error) {
		customer := "CN=" + r.f.name()
		if res, err := r.expect(ctx, http.MethodPost, "/api/atlas/v2/groups/"+groupID+"/databaseUsers",
			map[string]any{"groupId": groupID, "databaseName": "$external", "username": customer, "x509Type": "CUSTOMER"}, http.StatusCreated); err != nil {
			return res, err
		}
		res, err := r.expect(ctx, http.MethodPost, "/api/atlas/v2/groups/"+groupID+"/databaseUsers/"+expandPath("{u}", params{"u": customer})+"/certs", map[string]any{}, http.StatusBadRequest)
		if err == nil && res.object()["errorCode"] != "USER_NOT_MANAGED_X509" {
			err = fmt.Errorf("errorCode %v, want USER_NOT_MANAGED_X509", res.object()["errorCode"])
		}
		return res, err
	})
	return s.result
}

// checkCertificatePEM checks an issued certificate's PEM: the certificate, then its PKCS#8 key.
func checkCertificatePEM(body []byte, username string) (*x509.Certificate, error) {
	certBlock, rest := pem.Decode(body)
	if certBlock == nil || certBlock.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("the body does not start with a PEM certificate")
	}
	keyBlock, _ := pem.Decode(rest)
	if keyBlock == nil || keyBlock.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("the certificate is not followed by an unencrypted PKCS#8 key")
	}
	cert, err := x509.ParseCertificate(certBlock.Bytes)
	if err != nil {
		return nil, err
	}
	key, err := x509.ParsePKCS8PrivateKey(keyBlock.Bytes)
	if err != nil {
		return nil, err
	}
	public, ok := key.(crypto.Signer)
	if !ok || !public.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(cert.PublicKey) {
		return nil, fmt.Errorf("the key does not belong to the certificate")
	}
	if cert.Subject.CommonName != strings.TrimPrefix(username, "CN=") {
		return nil, fmt.Errorf("subject %s, want CN=%s", cert.Subject, username)
	}
	return cert, nil
}

func rotationScenario(ctx context.Context, r *runner) ScenarioResult {
	s := steps{result: ScenarioResult{Name: "scenario_secret_rotation"}}
	orgPath := "/api/atlas/v2/orgs/" + r.c.creds.OrgID
	var clientID, first, firstID, second, firstToken, secondToken string
	var secondCreated time.Time
	s.do("create a service account with a 30-day secret", func() (response, error) {
		res, err := r.expect(ctx, http.MethodPost, orgPath+"/serviceAccounts",
			map[string]any{"name": r.f.name(), "description": "rotation scenario", "roles": []string{"ORG_MEMBER"}, "secretExpiresAfterHours": 720}, http.StatusCreated)
		if err != nil {
			return res, err
		}
		var created struct {
			ClientID string `json:"clientId"`
			Secrets  []struct{ ID, Secret string }
		}
		if err := decode(res, &created); err != nil || len(created.Secrets) != 1 || created.Secrets[0].Secret == "" {
			return res, fmt.Errorf("the new account does not show its one secret: %s", snippet(res.body))
		}
		clientID, firstID, first = created.ClientID, created.Secrets[0].ID, created.Secrets[0].Secret
		return res, nil
	})
	s.do("mint a token with the secret and call the API with it", func() (response, error) {
		var err error
		if firstToken, err = r.c.mintToken(ctx, clientID, first); err != nil {
			return response{}, err
		}
		return r.withToken(ctx, clientID, firstToken, orgPath, http.StatusOK)
	})
	s.do("create a second secret", func() (response, error) {
		res, err := r.expect(ctx, http.MethodPost, orgPath+"/serviceAccounts/"+clientID+"/secrets", map[string]any{"secretExpiresAfterHours": 720}, http.StatusCreated)
		var created struct {
			Secret    string
			CreatedAt time.Time
		}
		if err == nil {
			err = decode(res, &created)
		}
		second, secondCreated = created.Secret, created.CreatedAt
		return res, err
	})
	s.do("the first secret now expires within seven days of the second's creation, and neither shows in full", func() (response, error) {
		res, err := r.expect(ctx, http.MethodGet, orgPath+"/serviceAccounts/"+clientID, nil, http.StatusOK)
		if err != nil {
			return res, err
		}
		var sa struct {
			Secrets []struct {
				ID, Secret string
				ExpiresAt  time.Time
			}
		}
		if err := decode(res, &sa); err != nil || len(sa.Secrets) != 2 {
			return res, fmt.Errorf("want two secrets: %s", snippet(res.body))
		}
		for _, secret := range sa.Secrets {
			if secret.Secret != "" {
				return res, fmt.Errorf("secret %s shows in full after its creation", secret.ID)
			}
			if secret.ID == firstID && secret.ExpiresAt.After(secondCreated.Add(7*24*time.Hour)) {
				return res, fmt.Errorf("the first secret expires %s, later than seven days after %s", secret.ExpiresAt, secondCreated)
			}
		}
		return res, nil
	})
	s.do("a third secret is refused", func() (response, error) {
		res, err := r.c.send(ctx, jsonRequest(http.MethodPost, orgPath+"/serviceAccounts/"+clientID+"/secrets", map[string]any{"secretExpiresAfterHours": 24}))
		if err == nil && (res.status < 400 || res.status >= 500) {
			err = fmt.Errorf("a third secret was answered %d", res.status)
		}
		return res, err
	})
	s.do("mint a token with the second secret", func() (response, error) {
		var err error
		secondToken, err = r.c.mintToken(ctx, clientID, second)
		return response{}, err
	})
	s.do("revoke the first secret: its token dies, and it mints no more", func() (response, error) {
		if res, err := r.expect(ctx, http.MethodDelete, orgPath+"/serviceAccounts/"+clientID+"/secrets/"+firstID, nil, http.StatusNoContent); err != nil {
			return res, err
		}
		if res, err := r.withToken(ctx, clientID, firstToken, orgPath, http.StatusUnauthorized); err != nil {
			return res, err
		}
		if _, err := r.c.mintToken(ctx, clientID, first); err == nil {
			return response{}, fmt.Errorf("the revoked secret still mints tokens")
		}
		return r.withToken(ctx, clientID, secondToken, orgPath, http.StatusOK)
	})
	s.do("revoke the second secret's token", func() (response, error) {
		revoke := r.operation("revokeOAuthToken")
		res, err := r.sendWithAuthorization(ctx, call{op: revoke, form: oauthForm(revoke, secondToken)}, basic(clientID, second), kitClientCredentials(clientID))
		if err == nil && res.status != http.StatusOK {
			err = fmt.Errorf("revoke answered %d: %s", res.status, snippet(res.body))
		}
		if err != nil {
			return res, err
		}
		return r.withToken(ctx, clientID, secondToken, orgPath, http.StatusUnauthorized)
	})
	s.do("delete the account: its secret mints no more", func() (response, error) {
		res, err := r.expect(ctx, http.MethodDelete, orgPath+"/serviceAccounts/"+clientID, nil, http.StatusNoContent)
		if err == nil {
			if _, mintErr := r.c.mintToken(ctx, clientID, second); mintErr == nil {
				err = fmt.Errorf("a deleted account's secret still mints tokens")
			}
		}
		return res, err
	})
	return s.result
}

func accessListScenario(ctx context.Context, r *runner) ScenarioResult {
	s := steps{result: ScenarioResult{Name: "scenario_api_key_access_list"}}
	orgPath := "/api/atlas/v2/orgs/" + r.c.creds.OrgID
	var keyID string
	var key *http.Client
	asKey := func(want int) (response, error) {
		res, err := r.c.sendWith(ctx, key, request{method: http.MethodGet, path: orgPath, accept: acceptFor(orgPath)})
		if err == nil && res.status != want {
			err = fmt.Errorf("the key's request was answered %d, want %d: %s", res.status, want, snippet(res.body))
		}
		return res, err
	}
	s.do("create an organization API key and call the API with it over Digest", func() (response, error) {
		res, err := r.expect(ctx, http.MethodPost, orgPath+"/apiKeys", map[string]any{"desc": r.f.name(), "roles": []string{"ORG_MEMBER"}}, http.StatusOK)
		var created struct{ ID, PublicKey, PrivateKey string }
		if err == nil {
			err = decode(res, &created)
		}
		if err != nil {
			return res, err
		}
		keyID = created.ID
		key = r.c.digestClient(created.PublicKey, created.PrivateKey)
		return asKey(http.StatusOK)
	})
	s.do("an access list that leaves the caller out refuses the key with 403", func() (response, error) {
		if res, err := r.expect(ctx, http.MethodPost, orgPath+"/apiKeys/"+keyID+"/accessList", []map[string]any{{"ipAddress": "192.0.2.1"}}, http.StatusOK); err != nil {
			return res, err
		}
		res, err := asKey(http.StatusForbidden)
		if err == nil && res.object()["errorCode"] != "IP_ADDRESS_NOT_ON_ACCESS_LIST" {
			err = fmt.Errorf("errorCode %v, want IP_ADDRESS_NOT_ON_ACCESS_LIST", res.object()["errorCode"])
		}
		return res, err
	})
	s.do("without the entry the key works again", func() (response, error) {
		if res, err := r.expect(ctx, http.MethodDelete, orgPath+"/apiKeys/"+keyID+"/accessList/192.0.2.1", nil, http.StatusNoContent); err != nil {
			return res, err
		}
		return asKey(http.StatusOK)
	})
	s.do("a deleted key is refused with 401", func() (response, error) {
		if res, err := r.expect(ctx, http.MethodDelete, orgPath+"/apiKeys/"+keyID, nil, http.StatusNoContent); err != nil {
			return res, err
		}
		return asKey(http.StatusUnauthorized)
	})
	return s.result
}

// withToken reads path with a bearer token of clientID, a service account the kit made, and
// requires a status.
func (r *runner) withToken(ctx context.Context, clientID, token, path string, want int) (response, error) {
	res, err := r.c.send(ctx, request{method: http.MethodGet, path: path, accept: acceptFor(path), auth: rawAuthorization,
		header: http.Header{"Authorization": {"Bearer " + token}}, shownCredentials: kitToken(clientID)})
	if err == nil && res.status != want {
		err = fmt.Errorf("with the token, %s was answered %d, want %d: %s", path, res.status, want, snippet(res.body))
	}
	return res, err
}
