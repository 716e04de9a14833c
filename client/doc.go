// Package client is a Go client of the MongoDB Atlas Administration API subset that
// openapi/atlas.yaml describes, over the bindings that oapi-codegen generates in gen/atlasapi.
//
//	c, err := client.New("https://cloud.mongodb.com", client.WithServiceAccount(clientID, clientSecret))
//	project, err := c.GetGroup(ctx, groupID, nil)
//	for user, err := range c.ListGroupDatabaseUsersAll(ctx, groupID, nil) { ... }
//
// Every operation of the specification is a method named after its operationId, taking the path
// parameters, the query parameters (nil for the defaults) and the body, and returning the decoded
// success body, nothing (for 204s), a *Certificate (for certificate PEM) or a *NewSecret (for a
// new service-account secret). The methods are generated from the specification by
// internal/opsgen, which `make generate` runs after regenerating gen/atlasapi; a test fails when
// they are out of date, or when an operation has no method.
// Every paginated GET also has an iterator, ListGroupsAll and the like, that walks every page.
//
// Choices, documented at length in docs/client.md:
//
//   - Authentication: WithServiceAccount (OAuth 2.0 client credentials; tokens are cached until a
//     minute before they expire, and minted again once when the server refuses one) or WithAPIKey
//     (HTTP Digest). The OAuth token and revoke endpoints authenticate with client credentials of
//     their own (CreateOAuthToken, RevokeOAuthToken).
//   - Versions: each operation asks for its own newest version from the specification's
//     x-atlas-versions, or for the date of WithVersionDate. Legacy v1.0, Cloud Manager and OAuth
//     paths speak application/json.
//   - Responses are decoded by what their media type is (JSON, whatever its charset), not by its
//     exact spelling; envelope=true responses are unwrapped.
//   - Errors: a status outside 2xx is an *APIError; IsErrorCode and IsStatus test for one.
//   - Retries: 429 and 5xx answers to idempotent requests are retried with exponential backoff and
//     jitter, honouring Retry-After; POST and PATCH only with RetryPolicy.RetryNonIdempotent.
package client
