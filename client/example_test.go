package client_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"log"
	"log/slog"
	"net/http/httptest"
	"slices"

	"github.com/atlasstub/atlasstub/client"
	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/x509ca"
)

// startStub runs an in-process stub, as server/stubtest does for tests (examples have no
// *testing.T). Against Atlas itself, the base URL is https://cloud.mongodb.com.
func startStub() (baseURL string, credentials server.Bootstrap, stop func()) {
	stub, err := server.New(server.Config{Strict: true, KeyType: x509ca.ECDSAP256, KeyPoolSize: 1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		log.Fatal(err)
	}
	httpServer := httptest.NewServer(stub)
	stub.SetBaseURL(httpServer.URL)
	return httpServer.URL, stub.Bootstrap(), func() {
		httpServer.Close()
		_ = stub.Close()
	}
}

// A MANAGED X.509 database user and a certificate for it, ready for a TLS connection.
func Example() {
	baseURL, creds, stop := startStub()
	defer stop()
	ctx := context.Background()

	c, err := client.New(baseURL, client.WithServiceAccount(creds.ServiceAccount.ClientId, creds.ServiceAccount.ClientSecret))
	if err != nil {
		log.Fatal(err)
	}
	x509Type := atlasapi.CloudDatabaseUserX509TypeMANAGED
	user, err := c.CreateGroupDatabaseUser(ctx, creds.ProjectId, nil, atlasapi.CloudDatabaseUser{
		GroupId:      creds.ProjectId,
		DatabaseName: atlasapi.External,
		Username:     "myX509User",
		X509Type:     &x509Type,
		Roles:        &[]atlasapi.DatabaseUserRole{{DatabaseName: "admin", RoleName: "readAnyDatabase"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	months := int32(3)
	cert, err := c.CreateGroupDatabaseUserCert(ctx, creds.ProjectId, user.Username, nil, atlasapi.UserCert{MonthsUntilExpiration: &months})
	if err != nil {
		log.Fatal(err)
	}
	tlsConfig := &tls.Config{Certificates: []tls.Certificate{cert.TLSCertificate()}}

	fmt.Println("subject:", cert.X509.Subject)
	fmt.Println("expires three months after issue:", cert.X509.NotBefore.AddDate(0, 3, 0).Equal(cert.X509.NotAfter))
	fmt.Println("TLS certificates:", len(tlsConfig.Certificates))
	// Output:
	// subject: CN=myX509User
	// expires three months after issue: true
	// TLS certificates: 1
}

// Rotating a service account's secret: create a new one (the old one then expires within seven
// days), check that it mints tokens, and revoke the old one.
func ExampleClient_CreateOrgServiceAccountSecret() {
	baseURL, creds, stop := startStub()
	defer stop()
	ctx := context.Background()
	orgID, clientID := creds.OrgId, creds.ServiceAccount.ClientId

	c, err := client.New(baseURL, client.WithAPIKey(creds.ApiKey.PublicKey, creds.ApiKey.PrivateKey))
	if err != nil {
		log.Fatal(err)
	}
	account, err := c.GetOrgServiceAccount(ctx, orgID, clientID, nil)
	if err != nil {
		log.Fatal(err)
	}
	oldSecretID := *(*account.Secrets)[0].Id

	secret, err := c.CreateOrgServiceAccountSecret(ctx, orgID, clientID, nil, atlasapi.ServiceAccountSecretRequest{SecretExpiresAfterHours: 720})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.CreateOAuthToken(ctx, clientID, secret.Value); err != nil {
		log.Fatal(err)
	}
	if err := c.DeleteOrgServiceAccountSecret(ctx, orgID, clientID, oldSecretID, nil); err != nil {
		log.Fatal(err)
	}
	_, err = c.CreateOAuthToken(ctx, clientID, creds.ServiceAccount.ClientSecret)

	fmt.Println("new secret lasts:", secret.ExpiresAt.Sub(secret.CreatedAt))
	fmt.Println("old secret refused:", client.IsErrorCode(err, "invalid_client"))
	// Output:
	// new secret lasts: 720h0m0s
	// old secret refused: true
}

// Iterating over every project, two to a page.
func ExampleClient_ListGroupsAll() {
	baseURL, creds, stop := startStub()
	defer stop()
	ctx := context.Background()

	c, err := client.New(baseURL, client.WithAPIKey(creds.ApiKey.PublicKey, creds.ApiKey.PrivateKey))
	if err != nil {
		log.Fatal(err)
	}
	for _, name := range []string{"staging", "production"} {
		if _, err := c.CreateGroup(ctx, nil, atlasapi.Group{Name: name, OrgId: creds.OrgId}); err != nil {
			log.Fatal(err)
		}
	}

	var names []string
	itemsPerPage := 2
	for group, err := range c.ListGroupsAll(ctx, &atlasapi.ListGroupsParams{ItemsPerPage: &itemsPerPage}) {
		if err != nil {
			log.Fatal(err)
		}
		names = append(names, group.Name)
	}
	slices.Sort(names) // the order of projects created within one second is not fixed
	fmt.Println(names)
	// Output:
	// [Project0 production staging]
}

// Telling errors apart by their Atlas errorCode.
func ExampleIsErrorCode() {
	baseURL, creds, stop := startStub()
	defer stop()

	c, err := client.New(baseURL, client.WithAPIKey(creds.ApiKey.PublicKey, creds.ApiKey.PrivateKey))
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.GetGroupDatabaseUser(context.Background(), creds.ProjectId, "admin", "nobody", nil)
	switch {
	case client.IsErrorCode(err, "USERNAME_NOT_FOUND"):
		fmt.Println("no such user")
	case err != nil:
		log.Fatal(err)
	}
	// Output:
	// no such user
}
