package store

import (
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRecordsAreIsolatedFromCallers: a record handed out is a copy, down to the values of its
// slices and maps, and a record put is kept apart from the value its caller still holds.
func TestRecordsAreIsolatedFromCallers(t *testing.T) {
	s := New(NewMemory(), time.Now)
	put := Resource{Collection: "groups/g/things", ID: "a", Document: map[string]any{
		"tags":   []any{"one", map[string]any{"two": 2.0}},
		"nested": map[string]any{"name": "n"},
	}}
	require.NoError(t, s.Update(func(tx *Tx) error { return tx.PutResource(put) }))
	put.Document["nested"].(map[string]any)["name"] = "changed by the caller that put it"

	read := func() Resource {
		r, err := Read(s, func(tx *Tx) (Resource, error) {
			r, ok, err := tx.Resource("groups/g/things", "a")
			require.True(t, ok)
			return r, err
		})
		require.NoError(t, err)
		return r
	}
	first := read()
	first.Document["nested"].(map[string]any)["name"] = "changed by a reader"
	first.Document["tags"].([]any)[1].(map[string]any)["two"] = 3.0
	first.Document["added"] = true

	assert.Equal(t, map[string]any{
		"tags":   []any{"one", map[string]any{"two": 2.0}},
		"nested": map[string]any{"name": "n"},
	}, read().Document)
}

func TestCloneCopiesEveryKindOfReference(t *testing.T) {
	type inner struct{ Values []int }
	type record struct {
		Bytes    []byte
		Pointer  *inner
		Array    [2]map[string]int
		Any      any
		Time     time.Time
		hidden   []int
		Nil      []string
		NilMap   map[string]int
		Grants   Grants
		Scalars  int
		Children []inner
	}
	original := record{
		Bytes: []byte("b"), Pointer: &inner{Values: []int{1}}, Array: [2]map[string]int{{"a": 1}},
		Any: []string{"x"}, Time: time.Unix(1, 0), hidden: []int{1},
		Grants:   Grants{Org: []string{"ORG_OWNER"}, Projects: map[string][]string{"p": {"GROUP_OWNER"}}},
		Children: []inner{{Values: []int{2}}},
	}
	c := clone(original)
	assert.Equal(t, original, c)
	c.Bytes[0] = 'c'
	c.Pointer.Values[0] = 9
	c.Array[0]["a"] = 9
	c.Any.([]string)[0] = "y"
	c.Grants.Projects["p"][0] = "GROUP_READ_ONLY"
	c.Children[0].Values[0] = 9
	assert.Equal(t, "b", string(original.Bytes))
	assert.Equal(t, 1, original.Pointer.Values[0])
	assert.Equal(t, 1, original.Array[0]["a"])
	assert.Equal(t, "x", original.Any.([]string)[0])
	assert.Equal(t, "GROUP_OWNER", original.Grants.Projects["p"][0])
	assert.Equal(t, 2, original.Children[0].Values[0])
	assert.Nil(t, c.Nil, "nil stays nil, as JSON would give it back")
	assert.Nil(t, c.NilMap)
}

type chain struct {
	Next   *chain
	Values []int
}

func TestCloneCopiesATypeThatContainsItself(t *testing.T) {
	original := chain{Values: []int{1}, Next: &chain{Values: []int{2}}}
	c := clone(original)
	assert.Equal(t, original, c)
	c.Next.Values[0] = 9
	assert.Equal(t, 2, original.Next.Values[0])
}

// BenchmarkCloneProject copies a project with tags, as every read of one does.
func BenchmarkCloneProject(b *testing.B) {
	p := Project{ID: "p", OrgID: "o", Name: "n", Tags: []Tag{{Key: "k", Value: "v"}, {Key: "k2", Value: "v2"}}, CreatedAt: time.Now()}
	b.ReportAllocs()
	for b.Loop() {
		_ = clone(p)
	}
}

// TestAReadAfterRecordingUseIsACopy: counting a request on an access list, which looks at the
// stored record without copying it, changes the stored record only through a put.
func TestAReadAfterRecordingUseIsACopy(t *testing.T) {
	s, _ := stateOfEveryKind(t)
	addr := netip.MustParseAddr("10.1.2.3")
	read := func() APIKey {
		k, err := Read(s, func(tx *Tx) (APIKey, error) { k, _, err := apiKeys.get(tx, keyID); return k, err })
		require.NoError(t, err)
		return k
	}
	before := read()
	require.NoError(t, s.Update(func(tx *Tx) error { return tx.RecordAPIKeyUse(keyID, addr) }))
	after := read()
	assert.NotEqual(t, before.AccessList, after.AccessList, "the use is counted")
	after.AccessList[0].CIDR = "changed by a reader"
	assert.NotEqual(t, "changed by a reader", read().AccessList[0].CIDR)
}
