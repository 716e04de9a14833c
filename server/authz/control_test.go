package authz

import (
	"net/netip"
	"strings"
	"testing"
)

// FuzzKnownHost checks the reading of Host headers for what must hold whatever the header: a
// port or the letters' case never changes the answer, and a name that is neither localhost nor
// an address nor configured is refused.
func FuzzKnownHost(f *testing.F) {
	for _, seed := range []string{"localhost", "127.0.0.1", "[::1]", "app.localhost", "atlasstub", "attacker.example", "", "[", "localhost.attacker.example", "LOCALHOST.", "[fe80::1%25eth0]"} {
		f.Add(seed)
	}
	guard := &ControlGuard{Hosts: []string{"atlasstub"}}
	f.Fuzz(func(t *testing.T, host string) {
		known := guard.knownHost(host)
		if !strings.ContainsAny(host, ":[]") && guard.knownHost(host+":8080") != known {
			t.Fatalf("knownHost(%q) = %t, but with a port %t", host, known, !known)
		}
		if isASCII(host) && guard.knownHost(strings.ToUpper(host)) != known {
			t.Fatalf("knownHost(%q) = %t, but in upper case %t", host, known, !known)
		}
		name := strings.TrimSuffix(strings.ToLower(host), ".")
		_, addrErr := netip.ParseAddr(name)
		if known && !strings.ContainsAny(host, ":[]") && name != "" && name != "localhost" && !strings.HasSuffix(name, ".localhost") && name != "atlasstub" && addrErr != nil {
			t.Fatalf("knownHost(%q) accepts a name that is not the stub's", host)
		}
	})
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
