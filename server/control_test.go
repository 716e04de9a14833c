package server_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

func TestControlClock(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	var before struct {
		Now           time.Time
		OffsetSeconds int64
	}
	a.get("/_stub/clock").json(t, &before)
	assert.WithinDuration(t, time.Now(), before.Now, 5*time.Second)
	assert.Zero(t, before.OffsetSeconds)

	advanced := a.post("/_stub/clock/advance", map[string]any{"duration": "61m"})
	requireStatus(t, http.StatusOK, advanced)
	var after struct {
		Now           time.Time
		OffsetSeconds int64
	}
	advanced.json(t, &after)
	assert.Equal(t, int64(3660), after.OffsetSeconds)
	assert.WithinDuration(t, time.Now().Add(61*time.Minute), after.Now, 5*time.Second)

	for code, bad := range map[string]map[string]any{
		"INVALID_ATTRIBUTE": {"duration": "-1h"},
		"MISSING_ATTRIBUTE": {},
	} {
		requireAPIError(t, http.StatusBadRequest, code, a.post("/_stub/clock/advance", bad))
	}
	requireAPIError(t, http.StatusBadRequest, "INVALID_ATTRIBUTE", a.post("/_stub/clock/advance", map[string]any{"duration": "soon"}))
	requireAPIError(t, http.StatusBadRequest, "INVALID_ATTRIBUTE", a.post("/_stub/clock/advance", map[string]any{"duration": "1h", "extra": true}))
	assert.Equal(t, int64(3660), int64(a.get("/_stub/clock").object(t)["offsetSeconds"].(float64)), "refused requests leave the clock alone")
}

// TestControlClockStopsAtTheEndOfObjectIdTime advances the clock so far that its offset would
// wrap around and move it backwards: each such advance is refused and leaves the clock alone.
func TestControlClockStopsAtTheEndOfObjectIdTime(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	for range 2 {
		requireFieldViolation(t, "INVALID_ATTRIBUTE", "duration", a.post("/_stub/clock/advance", map[string]any{"duration": "2562047h"}))
	}
	assert.Equal(t, float64(0), a.get("/_stub/clock").object(t)["offsetSeconds"])

	requireStatus(t, http.StatusOK, a.post("/_stub/clock/advance", map[string]any{"duration": "600000h"})) // about 68 years
	requireFieldViolation(t, "INVALID_ATTRIBUTE", "duration", a.post("/_stub/clock/advance", map[string]any{"duration": "200000h"}))
	var clock struct {
		Now           time.Time
		OffsetSeconds int64
	}
	a.get("/_stub/clock").json(t, &clock)
	assert.Equal(t, int64(600000*3600), clock.OffsetSeconds)
	assert.True(t, clock.Now.Before(time.Date(2106, 2, 8, 0, 0, 0, 0, time.UTC)), "the clock shows %s", clock.Now)
}

func TestControlResetRestoresTheBootstrapState(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	requireStatus(t, http.StatusCreated, a.post("/api/atlas/v2/groups", map[string]any{"name": "temporary", "orgId": stub.Credentials.OrgId}))
	requireStatus(t, http.StatusOK, a.post("/_stub/clock/advance", map[string]any{"duration": "24h"}))

	requireStatus(t, http.StatusNoContent, a.post("/_stub/reset", nil))

	groups := a.get("/api/atlas/v2/groups").object(t)
	require.Len(t, groups["results"], 1)
	assert.Equal(t, stub.Credentials.ProjectId, groups["results"].([]any)[0].(map[string]any)["id"], "the bootstrap project keeps its id")
	assert.Equal(t, float64(0), a.get("/_stub/clock").object(t)["offsetSeconds"])

	creds := a.get("/_stub/credentials")
	requireStatus(t, http.StatusOK, creds)
	var got stubtestCredentials
	creds.json(t, &got)
	assert.Equal(t, stub.URL, got.BaseURL)
	assert.Equal(t, stub.Credentials.OrgId, got.OrgID)
	assert.Equal(t, stub.Credentials.ApiKey.PublicKey, got.APIKey.PublicKey)
	assert.Equal(t, stub.Credentials.ServiceAccount.ClientSecret, got.ServiceAccount.ClientSecret)
}

type stubtestCredentials struct {
	BaseURL string `json:"baseUrl"`
	OrgID   string `json:"orgId"`
	APIKey  struct {
		PublicKey string `json:"publicKey"`
	} `json:"apiKey"`
	ServiceAccount struct {
		ClientSecret string `json:"clientSecret"`
	} `json:"serviceAccount"`
}

// TestControlCredentialsAreTheBootstrapOnes shows what docs/behaviour.md says of
// /_stub/credentials: it returns the credentials the stub started with, also after the README's
// rotation revoked the bootstrap secret, which works again after a reset.
func TestControlCredentialsAreTheBootstrapOnes(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	sa := stub.Credentials.ServiceAccount
	account := "/api/atlas/v2/orgs/" + stub.Credentials.OrgId + "/serviceAccounts/" + sa.ClientId
	var before serviceAccount
	a.get(account).json(t, &before)
	require.Len(t, before.Secrets, 1)
	rotated := a.post(account+"/secrets", map[string]any{"secretExpiresAfterHours": 720})
	requireStatus(t, http.StatusCreated, rotated)
	var fresh secret
	rotated.json(t, &fresh)
	a = asClient(t, stub, sa.ClientId, fresh.Secret)
	requireStatus(t, http.StatusNoContent, a.delete(account+"/secrets/"+before.Secrets[0].ID))

	var shown stubtestCredentials
	a.get("/_stub/credentials").json(t, &shown)
	assert.Equal(t, sa.ClientSecret, shown.ServiceAccount.ClientSecret, "still the bootstrap secret")
	requireStatus(t, http.StatusUnauthorized, postToken(t, stub, sa.ClientId, sa.ClientSecret, "grant_type=client_credentials"))

	requireStatus(t, http.StatusNoContent, a.post("/_stub/reset", nil))
	requireStatus(t, http.StatusOK, postToken(t, stub, sa.ClientId, sa.ClientSecret, "grant_type=client_credentials"))
}
