package journal_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/atlasstub/atlasstub/server/journal"
)

const (
	privateKeyPEM  = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgSECRETSECRETSECRET\nhRANCAAQ4yUfRLUs0Lqy1iL9kVtT\n-----END PRIVATE KEY-----\n"
	certificatePEM = "-----BEGIN CERTIFICATE-----\nMIIBkTCB+6ADAgECAgEBMA0GCSqGSIb3DQEBCwUAMBQxEjAQBgNVBAMMCWxvY2Fs\naG9zdDAeFw0yNjAxMDEwMDAwMDBaFw0yNjA0MDEwMDAwMDBaMBQxEjAQBgNVBAMM\n-----END CERTIFICATE-----\n"
)

func TestHeadersKeepTheirSchemeAndPublicPartOnly(t *testing.T) {
	h := http.Header{}
	h.Set("Accept", "application/json")
	h.Add("Authorization", `Digest username="abcdefgh", realm="MMS Public API", nonce="n", uri="/api", response="d3adb33f", qop=auth`)
	h.Set("Cookie", "session=s3cr3t")
	masked := journal.MaskHeader(h)
	assert.Equal(t, `Digest username="abcdefgh", `+journal.Masked, masked.Get("Authorization"))
	assert.Equal(t, journal.Masked, masked.Get("Cookie"))
	assert.Equal(t, "application/json", masked.Get("Accept"))
	assert.Contains(t, h.Get("Authorization"), "d3adb33f", "the journal's own copy stays as sent")

	for sent, want := range map[string]string{
		"Bearer eyJhbGciOi.payload.signature":                                                "Bearer " + journal.Masked,
		"Basic " + base64.StdEncoding.EncodeToString([]byte("mdb_sa_id_1:mdb_sa_sk_secret")): "Basic mdb_sa_id_1:" + journal.Masked + " (base64 decoded)",
		"Basic not-base64!":        "Basic " + journal.Masked,
		"s3cr3t-without-a-scheme=": journal.Masked,
	} {
		h := http.Header{"Authorization": {sent}}
		assert.Equal(t, want, journal.MaskHeader(h).Get("Authorization"), sent)
	}
}

func TestJSONBodiesLoseTheirSecretsAndKeepTheirOrder(t *testing.T) {
	body := `{"id":"5f","privateKey":"0a1b-secret-uuid","secrets":[{"id":"s1","secret":"mdb_sa_sk_abc","expiresAt":"2027-01-01T00:00:00Z","secretExpiresAfterHours":8}],` +
		`"access_token":"eyJ.token.sig","client_secret":"cs","password":"hunter2","nested":{"apiPrivateKey":"k"},"certificate":"` + jsonEscape(certificatePEM) + `","key":"` + jsonEscape(privateKeyPEM) + `","n":1.50,"ok":true,"none":null,"html":"<&>"}`
	masked := journal.MaskBody("application/vnd.atlas.2023-01-01+json;charset=utf-8", []byte(body))
	for _, secret := range []string{"0a1b-secret-uuid", "mdb_sa_sk_abc", "eyJ.token.sig", `"cs"`, "hunter2", `"k"`, "SECRETSECRET", "hRANCAAQ4yUfRLUs0Lqy1iL9kVtT"} {
		assert.NotContains(t, masked, secret)
	}
	assert.True(t, json.Valid([]byte(masked)), masked)
	assert.True(t, strings.Index(masked, `"id"`) < strings.Index(masked, `"privateKey"`), "the body's own order")
	assert.Contains(t, masked, `"id": "s1"`, "ids of secrets are no secrets")
	assert.Contains(t, masked, `"expiresAt": "2027-01-01T00:00:00Z"`)
	assert.Contains(t, masked, `"secretExpiresAfterHours": 8`)
	assert.Contains(t, masked, `"n": 1.50`, "numbers as sent")
	assert.Contains(t, masked, `"html": "<&>"`, "no HTML escaping")
	assert.Contains(t, masked, `-----BEGIN PRIVATE KEY-----\n`+journal.Masked+`\n-----END PRIVATE KEY-----`)
	assert.Contains(t, masked, `-----BEGIN CERTIFICATE-----\nMIIBkTCB+6ADAgECAgEBMA0GCSqGSIb3… (128 base64 characters)\n-----END CERTIFICATE-----`)
}

func jsonEscape(s string) string {
	data, _ := json.Marshal(s)
	return string(data[1 : len(data)-1])
}

func TestPEMFilesAndFormsAndBrokenJSONLoseTheirSecrets(t *testing.T) {
	pemFile := journal.MaskBody("application/x-pem-file", []byte(certificatePEM+privateKeyPEM))
	assert.NotContains(t, pemFile, "SECRETSECRET")
	assert.Contains(t, pemFile, "-----BEGIN CERTIFICATE-----\nMIIBkTCB")
	assert.Contains(t, pemFile, "(128 base64 characters)")

	cut := journal.MaskBody("application/x-pem-file", []byte(certificatePEM+privateKeyPEM[:60]))
	assert.NotContains(t, cut, "MIGHAgEAMBMGByqGSM49", "a private key that the journal cut off is masked too")

	form := journal.MaskBody("application/x-www-form-urlencoded", []byte("grant_type=client_credentials&client_secret=mdb_sa_sk_x&client_id=mdb_sa_id_1"))
	assert.Equal(t, "grant_type=client_credentials&client_secret="+journal.Masked+"&client_id=mdb_sa_id_1", form)
	assert.Equal(t, "pretty=true&access_token="+journal.Masked, journal.MaskPairs("pretty=true&access_token=abc"))

	broken := journal.MaskBody("application/json", []byte(`{"username": "u", "password": "hunter2", "x": }`))
	assert.NotContains(t, broken, "hunter2")
	assert.Contains(t, broken, `"username": "u"`)
}

// FuzzMaskBody: masking never fails, keeps valid JSON valid, and never shows the value of a
// secret property.
func FuzzMaskBody(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":null}],"password":"p"}`), "hunter2-secret")
	f.Add([]byte(certificatePEM+privateKeyPEM), "x")
	f.Add([]byte(`[[[[[[]]]]]]`), "")
	f.Add([]byte(`{"a":"\u00e9\"\\"}`), "é")
	f.Fuzz(func(t *testing.T, body []byte, secret string) {
		for _, contentType := range []string{"application/json", "application/x-www-form-urlencoded", "text/plain"} {
			masked := journal.MaskBody(contentType, body)
			if contentType == "application/json" && json.Valid(body) && len(masked) > 0 {
				assert.True(t, json.Valid([]byte(masked)), "%q became %q", body, masked)
			}
		}
		if len(secret) < 8 || strings.ContainsAny(secret, `"\`) || !isText(secret) {
			return
		}
		withSecret, _ := json.Marshal(map[string]any{"clientSecret": secret, "other": 1})
		assert.NotContains(t, journal.MaskBody("application/json", withSecret), secret)
	})
}

func isText(s string) bool {
	for _, r := range s {
		if r < 0x20 || r > 0x7e {
			return false
		}
	}
	return true
}
