// Package compat holds the compatibility tests of the stub: real clients, unchanged except for
// their base URL, drive an in-process stub and must work as they do against Atlas.
//
//   - the official Atlas Go SDK (go.mongodb.org/atlas-sdk/v20250312013), with a service account
//     over OAuth 2.0 and with an API key over HTTP Digest: every SDK method behind a v2 operation
//     of openapi/atlas.yaml, on its success path, and the SDK's error helpers on failures;
//   - the legacy Atlas Go client (go.mongodb.org/atlas v0.38.0) on the v1.0 paths;
//   - the curl recipes of the README and of Atlas's documentation, run with the real curl.
//
// The package has no code outside its tests; the clients are test-only dependencies.
// docs/compatibility.md lists the clients, how to point each at the stub, the differences these
// tests found and the known gaps.
package compat
