package store

import (
	"net/netip"
	"strings"
	"time"

	"github.com/atlasstub/atlasstub/server/apierror"
)

// AccessListEntry is one address or range of an API key's or service account's API access list.
type AccessListEntry struct {
	// CIDR is the range the entry allows, in canonical form (an address is its /32 or /128).
	CIDR string
	// IPAddress is set when the entry was added as a single address.
	IPAddress       string
	CreatedAt       time.Time
	LastUsedAt      *time.Time
	LastUsedAddress string
	RequestCount    int
}

// MaxAccessListEntries is Atlas's limit of entries on one access list.
const MaxAccessListEntries = 200

// NewAccessListEntry parses one entry as a request gives it: an address or a CIDR block (whose
// slash may arrive escaped as %2F), not both.
func NewAccessListEntry(ipAddress, cidrBlock string, now time.Time) (AccessListEntry, error) {
	switch {
	case ipAddress != "" && cidrBlock != "":
		return AccessListEntry{}, apierror.BothAddressAndCIDR.New()
	case ipAddress != "":
		addr, err := netip.ParseAddr(ipAddress)
		if err != nil || addr.Zone() != "" {
			return AccessListEntry{}, apierror.InvalidAddress.New(ipAddress)
		}
		return AccessListEntry{CIDR: netip.PrefixFrom(addr, addr.BitLen()).String(), IPAddress: addr.String(), CreatedAt: now}, nil
	case cidrBlock != "":
		prefix, err := ParseCIDR(cidrBlock)
		if err != nil {
			return AccessListEntry{}, apierror.InvalidCIDR.New(cidrBlock)
		}
		return AccessListEntry{CIDR: prefix.String(), CreatedAt: now}, nil
	default:
		return AccessListEntry{}, apierror.MissingAttribute.New("ipAddress or cidrBlock")
	}
}

// ParseCIDR reads a CIDR block, whose slash may be escaped as %2F, and returns its network.
func ParseCIDR(s string) (netip.Prefix, error) {
	s = strings.NewReplacer("%2F", "/", "%2f", "/").Replace(s)
	prefix, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return prefix.Masked(), nil
}

// Allows reports whether the entry lets in addr.
func (e AccessListEntry) Allows(addr netip.Addr) bool {
	prefix, err := netip.ParsePrefix(e.CIDR)
	return err == nil && prefix.Contains(addr.Unmap())
}

// Matches reports whether the entry is the one a path names: by its address, or by its CIDR
// block, with the slash escaped or not.
func (e AccessListEntry) Matches(name string) bool {
	if e.IPAddress != "" && name == e.IPAddress {
		return true
	}
	if prefix, err := ParseCIDR(name); err == nil {
		return prefix.String() == e.CIDR
	}
	if addr, err := netip.ParseAddr(name); err == nil {
		return netip.PrefixFrom(addr, addr.BitLen()).String() == e.CIDR
	}
	return false
}

// addAccessListEntries adds entries to a list: the same range twice in one request is
// DUPLICATE_ADDRESSES_IN_INPUT, a range already on the list is 409, and a list holds at most
// MaxAccessListEntries.
func addAccessListEntries(list, added []AccessListEntry) ([]AccessListEntry, error) {
	seen := map[string]bool{}
	for _, e := range added {
		if seen[e.CIDR] {
			return nil, apierror.DuplicateAddressesInInput.New()
		}
		seen[e.CIDR] = true
		for _, existing := range list {
			if existing.CIDR == e.CIDR {
				return nil, apierror.AddressAlreadyOnAccessList.New(e.CIDR)
			}
		}
	}
	if len(list)+len(added) > MaxAccessListEntries {
		return nil, apierror.AccessListFull.New(MaxAccessListEntries)
	}
	return append(list, added...), nil
}

// removeAccessListEntry removes the entry name names. The caller cannot remove the entry that
// lets in its own address from its own list.
func removeAccessListEntry(list []AccessListEntry, name string, protected netip.Addr) ([]AccessListEntry, error) {
	for i, e := range list {
		if !e.Matches(name) {
			continue
		}
		if protected.IsValid() && e.Allows(protected) {
			return nil, apierror.CannotRemoveCallerFromAccessList.New(protected.String())
		}
		return append(list[:i:i], list[i+1:]...), nil
	}
	return nil, apierror.AccessListEntryNotFound.New(name)
}

// recordUse counts a request that entry index let in.
func recordUse(list []AccessListEntry, addr netip.Addr, now time.Time) {
	for i := range list {
		if list[i].Allows(addr) {
			list[i].LastUsedAt = &now
			list[i].LastUsedAddress = addr.String()
			list[i].RequestCount++
			return
		}
	}
}
