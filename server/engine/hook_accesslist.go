package engine

import (
	"net/netip"
	"strings"
	"time"

	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/store"
)

// The project IP access list follows the rules of the API access lists (server/store,
// accesslist.go): an entry is an address, a CIDR block or an AWS security group, never two of
// them; an address is also shown as its /32 or /128 block, and a block as its network
// (10.1.2.3/8 is 10.0.0.0/8). An entry is named by its block, or by its security group, and a
// path may name it by its address or its block, escaped or not. Adding an entry that is there
// already changes it (its comment), as Atlas does; a deleteAfterDate makes it temporary: it is
// gone when the stub's clock passes the date.
func init() {
	hooks = append(hooks, &hook{
		family:      "project IP access list",
		collections: []string{"/api/atlas/v2/groups/{}/accessList"},
		admit:       admitAccessListEntry,
		key:         accessListKey,
		upsert:      true,
		derive:      expireTemporaryEntry,
	})
}

func admitAccessListEntry(cl *call, doc map[string]any) (string, error) {
	address, _ := doc["ipAddress"].(string)
	block, _ := doc["cidrBlock"].(string)
	group, _ := doc["awsSecurityGroup"].(string)
	var id string
	switch {
	case group != "" && (address != "" || block != ""):
		return "", apierror.BothAddressAndCIDR.New()
	case group != "":
		id = group
	default:
		entry, err := store.NewAccessListEntry(address, block, cl.now)
		if err != nil {
			return "", err
		}
		doc["cidrBlock"] = entry.CIDR
		if entry.IPAddress != "" {
			doc["ipAddress"] = entry.IPAddress
		}
		id = entry.CIDR
	}
	if cl.named[id] {
		return "", apierror.DuplicateAddressesInInput.New()
	}
	cl.named[id] = true
	return id, nil
}

// accessListKey names an entry as it is stored: an address by its /32 or /128 block, a block by
// its network.
func accessListKey(value string) string {
	if addr, err := netip.ParseAddr(value); err == nil {
		return netip.PrefixFrom(addr, addr.BitLen()).String()
	}
	if strings.Contains(strings.ToLower(value), "/") || strings.Contains(strings.ToLower(value), "%2f") {
		if prefix, err := store.ParseCIDR(value); err == nil {
			return prefix.String()
		}
	}
	return value
}

// expireTemporaryEntry makes an entry with a deleteAfterDate go when the clock passes it.
func expireTemporaryEntry(cl *call, r *store.Resource) {
	date, _ := r.Document["deleteAfterDate"].(string)
	if after, err := time.Parse(time.RFC3339, date); err == nil {
		r.Phase, r.PhaseEnds = phaseDeleting, after
	}
}
