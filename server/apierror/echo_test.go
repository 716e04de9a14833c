package apierror

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTruncate(t *testing.T) {
	assert.Equal(t, "short", Truncate("short", 10))
	assert.Equal(t, "0123456789", Truncate("0123456789", 10), "a value of exactly max bytes stays whole")
	long := strings.Repeat("x", 1000)
	assert.Equal(t, strings.Repeat("x", 84)+"… (1000 bytes)", Truncate(long, 100), "100 bytes, the note included")
	assert.Equal(t, Truncate(long, 100), Truncate(Truncate(long, 100), 100), "truncating twice changes nothing")

	cut := Truncate(strings.Repeat("é", 100), 50) // two bytes a character
	assert.True(t, utf8.ValidString(cut), "the cut falls between characters: %q", cut)
	assert.LessOrEqual(t, len(cut), 50)
}

func TestErrorsEchoCappedValues(t *testing.T) {
	huge := strings.Repeat("n", 1<<20)
	e := InvalidGroupName.New(huge)
	e.BadRequestDetail = &BadRequestDetail{}
	for range 2 * MaxFieldViolations {
		e.BadRequestDetail.Fields = append(e.BadRequestDetail.Fields, FieldViolation{Field: huge, Description: huge})
	}
	data, err := json.Marshal(e)
	require.NoError(t, err)
	assert.Less(t, len(data), 300<<10, "%d bytes", len(data))

	var written Error
	require.NoError(t, json.Unmarshal(data, &written))
	assert.Equal(t, []any{Truncate(huge, MaxEchoedValue)}, written.Parameters)
	assert.Equal(t, `An invalid group name "`+Truncate(huge, MaxEchoedValue)+`" was specified.`, written.Detail)
	require.Len(t, written.BadRequestDetail.Fields, MaxFieldViolations, "the first violations are listed")
	assert.Len(t, written.BadRequestDetail.Fields[0].Field, MaxEchoedValue)
	assert.Len(t, written.BadRequestDetail.Fields[0].Description, MaxDetail)

	long := strings.Repeat("d", 10*MaxDetail)
	data, err = json.Marshal(InvalidAttribute.WithDetail(long))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &written))
	assert.Equal(t, Truncate(long, MaxDetail), written.Detail, "a detail of its own is capped too")
	assert.Equal(t, []any{}, written.Parameters)
}

// FuzzTruncate checks that a truncated value is never longer than asked, keeps the beginning
// of the value, and cuts no character of a valid string in two.
func FuzzTruncate(f *testing.F) {
	f.Add("hello", 3)
	f.Add(strings.Repeat("é", 40), 31)
	f.Add("日本語のテキスト", 20)
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 32 || max > 1<<16 {
			return // the caps are hundreds of bytes; below 32 the note of the length alone does not fit
		}
		got := Truncate(s, max)
		if len(s) <= max {
			if got != s {
				t.Fatalf("Truncate(%q, %d) = %q, want it unchanged", s, max, got)
			}
			return
		}
		if len(got) > max {
			t.Fatalf("Truncate(%q, %d) = %q has %d bytes", s, max, got, len(got))
		}
		kept, _, _ := strings.Cut(got, "… (")
		if !strings.HasPrefix(s, kept) {
			t.Fatalf("Truncate(%q, %d) = %q does not keep the beginning", s, max, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Truncate(%q, %d) = %q cuts a character", s, max, got)
		}
	})
}
