// Command opsgen writes client/operations.gen.go: a typed method of client.Client for every
// operation of openapi/atlas.yaml, an iterator for every paginated GET, and the table of what
// decides each operation's headers (its versions, and whether it takes a JSON body), so that the
// client need not parse the specification at run time.
//
// Generics do the work of the methods (decoding, errors, pagination); what they cannot do is name
// each operation's argument and result types, which this generator reads from the generated
// bindings by reflection: the arguments of atlasapi.ClientInterface's method, and the success
// field of the ClientWithResponses response. The specification says which status is the success,
// whether its body is raw PEM, an empty object or JSON, and whether the operation is paginated.
//
// The OAuth token and revoke endpoints authenticate with client credentials instead of the
// client's own and are written by hand in client/oauth.go.
//
//	go run ./client/internal/opsgen -o client/operations.gen.go
//
// scripts/generate.sh (`make generate`, `go generate ./...`) runs it after oapi-codegen, so that it
// reads the new gen/atlasapi.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/openapi"
)

func main() {
	out := flag.String("o", "operations.gen.go", "the file to write")
	flag.Parse()
	src, err := generate()
	if err != nil {
		log.Fatalf("opsgen: %v", err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatalf("opsgen: %v", err)
	}
}

// operation is one generated method, and its iterator when Item is set.
type operation struct {
	Doc        []string // lines of the method's doc comment
	Name       string   // Go name: GetGroup
	ID         string   // operationId: getGroup
	PathArgs   []arg    // path parameters, in the order of the path
	Params     *arg     // the query parameters, when the operation has any
	Body       *arg     // the JSON body, when the operation takes one
	Result     string   // Go result type besides error: *atlasapi.Group; empty for none
	Decoder    string   // the function that reads the response
	Item       string   // type of the items of a paginated GET; empty otherwise
	ParamsType string   // type of the query parameters, without the pointer
}

type arg struct{ Name, Type string }

// headers is what decides the headers of an operation's requests (client/versions.go).
type headers struct {
	ID       string   // operationId
	Versions []string // the versions the operation serves, oldest first; none outside the v2 API
	JSONBody bool     // whether it takes a JSON request body (not a form)
}

// Literal is the operation's entry of the table in Go: {versions: []string{"2023-01-01"},
// jsonBody: true}, leaving out what is empty.
func (h headers) Literal() string {
	var fields []string
	if len(h.Versions) > 0 {
		fields = append(fields, fmt.Sprintf("versions: %#v", h.Versions))
	}
	if h.JSONBody {
		fields = append(fields, "jsonBody: true")
	}
	return "{" + strings.Join(fields, ", ") + "}"
}

// file is what the template writes.
type file struct {
	Operations []operation
	Headers    []headers
}

// Args are the method's arguments after ctx.
func (op operation) Args() []arg {
	args := slices.Clone(op.PathArgs)
	for _, a := range []*arg{op.Params, op.Body} {
		if a != nil {
			args = append(args, *a)
		}
	}
	return args
}

func generate() ([]byte, error) {
	doc, err := openapi.LoadAtlas()
	if err != nil {
		return nil, err
	}
	var ops []operation
	var table []headers
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, spec := range doc.Paths.Value(path).Operations() {
			table = append(table, headersOf(spec))
			if handWritten(spec) {
				continue
			}
			op, err := describe(method, path, spec)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", spec.OperationID, err)
			}
			ops = append(ops, op)
		}
	}
	slices.SortFunc(ops, func(a, b operation) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(table, func(a, b headers) int { return strings.Compare(a.ID, b.ID) })
	var buf bytes.Buffer
	if err := fileTemplate.Execute(&buf, file{Operations: ops, Headers: table}); err != nil {
		return nil, err
	}
	return format.Source(buf.Bytes())
}

// headersOf reads what decides the headers of an operation's requests. The OAuth endpoints are
// in the table too: their hand-written methods set their headers like the generated ones.
func headersOf(spec *openapi3.Operation) headers {
	return headers{
		ID:       spec.OperationID,
		Versions: openapi.Versions(spec),
		JSONBody: spec.RequestBody != nil && spec.RequestBody.Value.Content.Get("application/json") != nil,
	}
}

// handWritten reports whether an operation authenticates with client credentials (HTTP Basic),
// which only the OAuth endpoints do.
func handWritten(op *openapi3.Operation) bool {
	return op.Security != nil && slices.ContainsFunc(*op.Security, func(r openapi3.SecurityRequirement) bool {
		_, ok := r["ServiceAccountCredentials"]
		return ok
	})
}

var (
	clientInterface        = reflect.TypeFor[atlasapi.ClientInterface]()
	withResponsesInterface = reflect.TypeFor[atlasapi.ClientWithResponsesInterface]()
	pathParameter          = regexp.MustCompile(`\{([^}]+)\}`)
)

func describe(method, path string, spec *openapi3.Operation) (operation, error) {
	op := operation{Name: exported(spec.OperationID), ID: spec.OperationID}
	call, ok := clientInterface.MethodByName(op.Name)
	if !ok {
		return op, fmt.Errorf("atlasapi.ClientInterface has no method %s", op.Name)
	}
	// The generated method takes ctx, the path parameters, the query parameters, the body, and
	// request editors.
	in := call.Type
	next := 1
	for _, m := range pathParameter.FindAllStringSubmatch(path, -1) {
		op.PathArgs = append(op.PathArgs, arg{Name: goName(m[1]), Type: in.In(next).String()})
		next++
	}
	if hasQueryParameters(spec) {
		op.Params = &arg{Name: "params", Type: in.In(next).String()}
		op.ParamsType = in.In(next).Elem().String()
		next++
	}
	if spec.RequestBody != nil {
		op.Body = &arg{Name: "body", Type: in.In(next).String()}
		next++
	}
	if next != in.NumIn()-1 {
		return op, fmt.Errorf("%s takes %d arguments; the specification explains %d", op.Name, in.NumIn(), next+1)
	}

	status, content := success(spec)
	switch {
	case len(content) == 0 || emptyObjects(content):
		op.Decoder = "checkSuccess"
	case rawBodies(content):
		// The specification's only raw bodies are certificates' PEM.
		op.Result, op.Decoder = "*Certificate", "decodeCertificate"
	default:
		result, err := successType(op.Name, status)
		if err != nil {
			return op, err
		}
		switch result {
		case reflect.TypeFor[atlasapi.ServiceAccountSecret]():
			op.Result, op.Decoder = "*NewSecret", "decodeNewSecret"
		default:
			op.Result, op.Decoder = "*"+result.String(), "decodeJSON["+result.String()+"]"
		}
		if method == "GET" && spec.Parameters.GetByInAndName("query", "pageNum") != nil {
			results, ok := result.FieldByName("Results")
			if !ok || results.Type.Kind() != reflect.Pointer || results.Type.Elem().Kind() != reflect.Slice {
				return op, fmt.Errorf("%s takes pageNum, but %s has no Results list", op.Name, result)
			}
			op.Item = results.Type.Elem().Elem().String()
		}
	}
	op.Doc = wrap(fmt.Sprintf("%s calls %s (%s %s): %s.", op.Name, op.ID, method, path, lowerFirst(spec.Summary)))
	return op, nil
}

// rawBodies reports whether every media type of a success is raw text (openapi.IsRawBody), which
// no JSON decoder may read.
func rawBodies(content openapi3.Content) bool {
	for _, media := range content {
		if !openapi.IsRawBody(media.Schema) {
			return false
		}
	}
	return true
}

// emptyObjects reports whether every media type of a success is the empty object, in which the
// caller has nothing to read.
func emptyObjects(content openapi3.Content) bool {
	for _, media := range content {
		if !openapi.IsEmptyObject(media.Schema) {
			return false
		}
	}
	return true
}

func hasQueryParameters(spec *openapi3.Operation) bool {
	return slices.ContainsFunc(spec.Parameters, func(p *openapi3.ParameterRef) bool { return p.Value.In != "path" })
}

// success returns the operation's success status and its content.
func success(spec *openapi3.Operation) (string, openapi3.Content) {
	for _, status := range []string{"200", "201", "202", "204"} {
		if r := spec.Responses.Value(status); r != nil {
			return status, r.Value.Content
		}
	}
	return "", nil
}

// successType is the type of the field of the generated response that holds the decoded success
// body: JSON201, or ApplicationvndAtlas20230101JSON200 for a versioned type.
func successType(name, status string) (reflect.Type, error) {
	call, ok := withResponsesInterface.MethodByName(name + "WithResponse")
	if !ok {
		return nil, fmt.Errorf("atlasapi.ClientWithResponsesInterface has no method %sWithResponse", name)
	}
	response := call.Type.Out(0).Elem()
	for i := range response.NumField() {
		if field := response.Field(i); strings.HasSuffix(field.Name, "JSON"+status) {
			return field.Type.Elem(), nil
		}
	}
	return nil, fmt.Errorf("%s has no field for the %s response", response, status)
}

// exported is the Go name oapi-codegen gives an operationId.
func exported(id string) string { return string(unicode.ToUpper(rune(id[0]))) + id[1:] }

func lowerFirst(s string) string { return string(unicode.ToLower(rune(s[0]))) + s[1:] }

// goName is a parameter name in Go's spelling of initialisms: groupId becomes groupID.
func goName(name string) string {
	if base, ok := strings.CutSuffix(name, "Id"); ok {
		return base + "ID"
	}
	return name
}

// wrap breaks a comment into lines of at most 100 characters.
func wrap(text string) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > 96 {
			lines = append(lines, line)
			line = ""
		}
		line = strings.TrimPrefix(line+" "+word, " ")
	}
	return append(lines, line)
}

var fileTemplate = template.Must(template.New("").Parse(`// Code generated by client/internal/opsgen from openapi/atlas.yaml. DO NOT EDIT.

package client

import (
	"context"
	"iter"
	"net/http"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
)

// specOperations says, for every operation of the specification, what decides the headers of its
// requests (see versions.go).
var specOperations = map[string]specOperation{
{{- range .Headers}}
	{{printf "%q" .ID}}: {{.Literal}},
{{- end}}
}
{{range .Operations}}
{{range .Doc}}// {{.}}
{{end -}}
func (c *Client) {{.Name}}(ctx context.Context{{range .Args}}, {{.Name}} {{.Type}}{{end}}) {{if .Result}}({{.Result}}, error){{else}}error{{end}} {
	return {{.Decoder}}(c.api.{{.Name}}(ctx{{range .Args}}, {{.Name}}{{end}}, c.headers("{{.ID}}")))
}
{{if .Item}}
// {{.Name}}All iterates over the results of {{.Name}} on every page, from params.PageNum (default
// 1) to the last; the other params apply to every page.
func (c *Client) {{.Name}}All(ctx context.Context{{range .PathArgs}}, {{.Name}} {{.Type}}{{end}}, params *{{.ParamsType}}) iter.Seq2[{{.Item}}, error] {
	page := valueOf(params)
	return allItems[{{.Item}}](page.PageNum, func(pageNum int) (*http.Response, error) {
		onePage := page
		onePage.PageNum = &pageNum
		return c.api.{{.Name}}(ctx{{range .PathArgs}}, {{.Name}}{{end}}, &onePage, c.headers("{{.ID}}"))
	})
}
{{end}}{{end}}`))
