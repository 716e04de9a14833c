package contract

import (
	"net/http"
)

// TB is the part of testing.TB that NewTestTransport uses.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// NewTestTransport returns a Transport over base (http.DefaultTransport when nil) that fails the
// test, when it ends, with every violation it found:
//
//	client := &http.Client{Transport: contract.NewTestTransport(t, nil)}
//	// ... use client, or hand it to an SDK ...
func NewTestTransport(t TB, base http.RoundTripper) *Transport {
	t.Helper()
	spec, err := LoadSpec()
	if err != nil {
		t.Fatalf("contract: %v", err)
	}
	tr := NewTransport(spec, base)
	t.Cleanup(func() {
		for _, v := range tr.Violations() {
			t.Errorf("contract violation: %s", v)
		}
	})
	return tr
}
