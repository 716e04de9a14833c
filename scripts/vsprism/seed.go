package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// seeded is what the load reads: a project, a MANAGED X.509 user with certificates, and a bearer
// token of the stub's bootstrap service account.
type seeded struct {
	project, username, token string
}

// seed signs in to the stub at base as its bootstrap service account and gives a user of its
// project certificates certificates.
func seed(base, accept string, certificates int) (seeded, error) {
	var creds struct {
		ProjectID      string `json:"projectId"`
		ServiceAccount struct {
			ClientID     string `json:"clientId"`
			ClientSecret string `json:"clientSecret"`
		} `json:"serviceAccount"`
	}
	if err := call(http.MethodGet, base+"/_stub/credentials", nil, nil, &creds); err != nil {
		return seeded{}, err
	}
	s := seeded{project: creds.ProjectID, username: "load-user"}

	form := strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode())
	req, err := http.NewRequest(http.MethodPost, base+"/api/oauth/token", form)
	if err != nil {
		return seeded{}, err
	}
	req.SetBasicAuth(creds.ServiceAccount.ClientID, creds.ServiceAccount.ClientSecret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var token struct {
		AccessToken string `json:"access_token"`
	}
	if err := do(req, &token); err != nil {
		return seeded{}, err
	}
	s.token = token.AccessToken

	headers := http.Header{"Authorization": {"Bearer " + s.token}, "Accept": {accept}, "Content-Type": {"application/json"}}
	users := base + "/api/atlas/v2/groups/" + s.project + "/databaseUsers"
	user := map[string]any{"groupId": s.project, "databaseName": "$external", "username": s.username, "x509Type": "MANAGED"}
	if err := call(http.MethodPost, users, headers, user, nil); err != nil {
		return seeded{}, err
	}
	for range certificates {
		if err := call(http.MethodPost, users+"/"+s.username+"/certs", headers, map[string]any{"monthsUntilExpiration": 3}, nil); err != nil {
			return seeded{}, err
		}
	}
	return s, nil
}

// call sends body as JSON, when there is one, and decodes the answer into out, when asked.
func call(method, target string, headers http.Header, body, out any) error {
	var reader io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		reader = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, target, reader)
	if err != nil {
		return err
	}
	for k, v := range headers {
		req.Header[k] = v
	}
	return do(req, out)
}

func do(req *http.Request, out any) error {
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", req.Method, req.URL.Path, res.StatusCode, data)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(data, out)
}
