package server_test

import (
	"crypto"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/store"
	"github.com/atlasstub/atlasstub/server/stubtest"
	"github.com/atlasstub/atlasstub/server/x509ca"
)

// TestCertificateBurstIsServedInArrivalOrder sends more requests for a certificate than the key
// pool holds, one after another, to a stub whose key generators are held; then releases one key
// at a time. Each key answers the request that has waited longest, with a 201 and a
// certificate of its own, and no request generates a key of its own: the generators generate
// one key per request.
func TestCertificateBurstIsServedInArrivalOrder(t *testing.T) {
	held := &heldKeys{release: make(chan struct{})}
	t.Cleanup(func() { close(held.release) })
	pool, err := x509ca.NewKeyPoolFrom(x509ca.ECDSAP256, 0, store.New(store.NewMemory(), time.Now), held.generate, 2)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	stub := stubtest.New(t, func(c *server.Config) { c.Keys = pool })
	a := newAPI(t, stub)
	path := managedUser(t, a, "burst")
	first := make(chan response, 1)
	go func() { first <- a.post(path, map[string]any{}) }()
	for range 2 { // the project's CA key, then the certificate's
		held.release <- struct{}{}
	}
	requireStatus(t, http.StatusCreated, <-first)

	token := mintToken(t, stub, stub.Credentials.ServiceAccount.ClientId, stub.Credentials.ServiceAccount.ClientSecret)
	const burst = 6
	type answer struct {
		request int
		status  int
		body    []byte
	}
	answers := make(chan answer, burst)
	for i := range burst {
		go func() {
			status, body := postCertificate(stub.URL+path, token)
			answers <- answer{i, status, body}
		}()
		require.Eventually(t, func() bool { return pool.Waiting() == i+1 }, 10*time.Second, time.Millisecond, "request %d waits in line", i)
	}
	serials := map[string]bool{}
	for i := range burst {
		held.release <- struct{}{}
		got := <-answers
		assert.Equal(t, i, got.request, "the key answers the request that came first")
		require.Equal(t, http.StatusCreated, got.status, "%s", got.body)
		cert, _ := certificateAndKey(t, got.body)
		serials[cert.SerialNumber.String()] = true
	}
	assert.Len(t, serials, burst, "a certificate each")
	assert.LessOrEqual(t, held.calls.Load(), int32(2+burst+2), "the generators made a key per request, and at most one ahead each")
}

// heldKeys generates an ECDSA key each time the test releases one.
type heldKeys struct {
	calls   atomic.Int32
	release chan struct{}
}

func (h *heldKeys) generate() (crypto.Signer, error) {
	h.calls.Add(1)
	<-h.release
	return x509ca.ECDSAP256.Generate()
}

// postCertificate asks for a certificate with a bearer token, from any goroutine.
func postCertificate(url, token string) (int, []byte) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(`{}`))
	if err != nil {
		return 0, []byte(err.Error())
	}
	req.Header.Set("Accept", latestAccept)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, body
}
