package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUnescapeHTML(t *testing.T) {
	for in, want := range map[string]string{
		`{"href":"http://h/p?a=1\u0026b=2"}`: `{"href":"http://h/p?a=1&b=2"}`,
		`{"s":"\u003cb\u003e"}`:              `{"s":"<b>"}`,
		`{"s":"\\u0026"}`:                    `{"s":"\\u0026"}`,
		`{"s":"\\\u0026"}`:                   `{"s":"\\&"}`,
		`{"s":"\u00e9"}`:                     `{"s":"\u00e9"}`,
		`{"s":"plain"}`:                      `{"s":"plain"}`,
	} {
		assert.Equal(t, want, string(unescapeHTML([]byte(in))), "input %s", in)
	}
}

// FuzzUnescapeHTML checks that unescaping never changes what a JSON document means.
func FuzzUnescapeHTML(f *testing.F) {
	for _, seed := range []string{"a&b", "<x>", `\u0026`, `\\u0026`, "é\u2028", `"quoted"`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := json.Marshal(map[string]string{"v": s})
		require.NoError(t, err)
		var before, after map[string]string
		require.NoError(t, json.Unmarshal(doc, &before))
		unescaped := unescapeHTML(bytes.Clone(doc))
		require.NoError(t, json.Unmarshal(unescaped, &after), "unescaped %s", unescaped)
		assert.Equal(t, before, after)
	})
}

// BenchmarkUnescapeHTML unescapes a page of ten certificates, whose links carry escaped &s.
func BenchmarkUnescapeHTML(b *testing.B) {
	var page strings.Builder
	page.WriteString(`{"links":[{"href":"https://h/api/atlas/v2/groups/6f0c/databaseUsers/u/certs?pageNum=1\u0026itemsPerPage=10","rel":"self"}],"results":[`)
	for i := range 10 {
		fmt.Fprintf(&page, `{"_id":%d,"createdAt":"2026-12-05T15:00:00Z","groupId":"6f0c1f2e3d4c5b6a79881726","notAfter":"2027-03-05T15:00:00Z","subject":"CN=user%d"},`, i, i)
	}
	page.WriteString(`{}],"totalCount":10}`)
	doc := []byte(page.String())
	b.SetBytes(int64(len(doc)))
	scratch := make([]byte, len(doc))
	for b.Loop() {
		copy(scratch, doc) // unescaping rewrites its input
		unescapeHTML(scratch)
	}
}
