package upstream

import (
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/atlasstub/atlasstub/openapi"
)

// Compare compares each of our operations with the official operation of the same operationId
// (Atlas's operationIds are stable and ours are the official ones), and lists the official
// operations that ours does not declare on the paths it declares.
func Compare(ours, official *openapi3.T) Report {
	c := newCollector()
	report := Report{OfficialVersion: official.Info.Version}
	officialOps := operationsByID(official)
	oursByID := operationsByID(ours)
	coveredPaths := map[string]bool{}

	for _, op := range operationList(ours) {
		report.Operations++
		up, found := officialOps[op.OperationID]
		if !found {
			c.add(Finding{Kind: KindOperation, Only: Ours, Operations: []string{op.OperationID}, Path: op.path, Name: op.method + " " + op.path})
			continue
		}
		report.Matched++
		coveredPaths[up.path] = true
		if up.method != op.method || up.path != op.path {
			c.add(Finding{Kind: KindPath, Operations: []string{op.OperationID}, Path: op.path,
				Ours: op.method + " " + op.path, Official: up.method + " " + up.path})
		}
		compareOperation(c, op, up)
	}

	for _, up := range operationList(official) {
		if _, served := oursByID[up.OperationID]; coveredPaths[up.path] && !served {
			c.add(Finding{Kind: KindOperation, Only: Official, Operations: []string{up.OperationID}, Path: up.path, Name: up.method + " " + up.path})
		}
	}
	report.Findings = c.list()
	return report
}

// operation is an operation with its place in the document and the parameters it inherits from
// its path.
type operation struct {
	*openapi3.Operation
	method, path string
	parameters   map[string]*openapi3.Parameter // by "in.name"
}

func operationList(doc *openapi3.T) []operation {
	var ops []operation
	if doc.Paths == nil {
		return nil
	}
	for _, path := range sortedKeys(doc.Paths.Map()) {
		item := doc.Paths.Value(path)
		for _, method := range sortedKeys(item.Operations()) {
			op := item.GetOperation(method)
			params := map[string]*openapi3.Parameter{}
			for _, ref := range slices.Concat(item.Parameters, op.Parameters) {
				if ref != nil && ref.Value != nil {
					params[ref.Value.In+"."+ref.Value.Name] = ref.Value
				}
			}
			ops = append(ops, operation{Operation: op, method: method, path: path, parameters: params})
		}
	}
	return ops
}

func operationsByID(doc *openapi3.T) map[string]operation {
	byID := map[string]operation{}
	for _, op := range operationList(doc) {
		if op.OperationID != "" {
			byID[op.OperationID] = op
		}
	}
	return byID
}

// compareOperation compares the parameters, request body, responses and versions of one
// operation.
func compareOperation(c *collector, ours, official operation) {
	at := func(f Finding) Finding {
		f.Operations, f.Path = []string{ours.OperationID}, ours.path
		return f
	}

	for _, key := range unionKeys(ours.parameters, official.parameters) {
		op, up := ours.parameters[key], official.parameters[key]
		switch {
		case up == nil:
			c.add(at(Finding{Kind: KindParameter, Only: Ours, Name: key}))
		case op == nil:
			c.add(at(Finding{Kind: KindParameter, Only: Official, Name: key}))
		default:
			where := "parameter " + key
			if op.Required != up.Required {
				c.add(at(Finding{Kind: KindRequired, Where: where, Ours: flag(op.Required), Official: flag(up.Required)}))
			}
			compareSchemas(c, place{operation: ours.OperationID, path: ours.path, where: where}, op.Schema, up.Schema, "", "")
		}
	}

	oursBody, officialBody := requestBody(ours.Operation), requestBody(official.Operation)
	switch {
	case oursBody == nil && officialBody != nil:
		c.add(at(Finding{Kind: KindRequestBody, Only: Official, Name: "request body"}))
	case oursBody != nil && officialBody == nil:
		c.add(at(Finding{Kind: KindRequestBody, Only: Ours, Name: "request body"}))
	case oursBody != nil:
		if oursBody.Required != officialBody.Required {
			c.add(at(Finding{Kind: KindRequired, Where: "request body", Ours: flag(oursBody.Required), Official: flag(officialBody.Required)}))
		}
		compareContent(c, ours, "request body", oursBody.Content, officialBody.Content)
	}

	oursResponses, officialResponses := responses(ours.Operation), responses(official.Operation)
	for _, code := range unionKeys(oursResponses, officialResponses) {
		or, ur := oursResponses[code], officialResponses[code]
		switch {
		case ur == nil:
			c.add(at(Finding{Kind: KindStatus, Only: Ours, Name: code}))
		case or == nil:
			c.add(at(Finding{Kind: KindStatus, Only: Official, Name: code}))
		default:
			compareContent(c, ours, "response "+code, or.Content, ur.Content)
		}
	}

	oursVersions, officialVersions := openapi.Versions(ours.Operation), openapi.Versions(official.Operation)
	for _, v := range oursVersions {
		if !slices.Contains(officialVersions, v) {
			c.add(at(Finding{Kind: KindVersion, Only: Ours, Name: v}))
		}
	}
	for _, v := range officialVersions {
		if !slices.Contains(oursVersions, v) {
			c.add(at(Finding{Kind: KindVersion, Only: Official, Name: v}))
		}
	}
}

// compareContent compares the media types of a request body or response, versions aside, and
// the schemas of the media types both sides have.
func compareContent(c *collector, ours operation, where string, oursContent, officialContent openapi3.Content) {
	oursEntries, officialEntries := mediaEntries(oursContent), mediaEntries(officialContent)
	oursKinds, officialKinds := bodyKinds(oursEntries), bodyKinds(officialEntries)
	at := place{operation: ours.OperationID, path: ours.path, where: where}
	for _, kind := range oursKinds {
		if !slices.Contains(officialKinds, kind) {
			c.add(at.finding(Finding{Kind: KindMediaType, Only: Ours, Name: kind}))
		}
	}
	for _, kind := range officialKinds {
		if !slices.Contains(oursKinds, kind) {
			c.add(at.finding(Finding{Kind: KindMediaType, Only: Official, Name: kind}))
		}
	}
	for _, entry := range oursEntries {
		if !entry.describesBody() {
			continue
		}
		if match, found := pick(officialEntries, entry.kind, entry.version); found {
			compareSchemas(c, at, entry.media.Schema, match.media.Schema, "", "")
		}
	}
}

func requestBody(op *openapi3.Operation) *openapi3.RequestBody {
	if op.RequestBody == nil {
		return nil
	}
	return op.RequestBody.Value
}

func responses(op *openapi3.Operation) map[string]*openapi3.Response {
	out := map[string]*openapi3.Response{}
	if op.Responses == nil {
		return out
	}
	for code, ref := range op.Responses.Map() {
		if ref != nil && ref.Value != nil {
			out[code] = ref.Value
		}
	}
	return out
}

func unionKeys[V any](a, b map[string]V) []string {
	keys := sortedKeys(a)
	for _, k := range sortedKeys(b) {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

func flag(b bool) string {
	if b {
		return "true"
	}
	return ""
}

// collector gathers findings and merges those that are the same difference seen from several
// operations (a field of a schema that several operations use).
type collector struct {
	byKey map[string]*Finding
	keys  []string
}

func newCollector() *collector { return &collector{byKey: map[string]*Finding{}} }

func (c *collector) add(f Finding) {
	identity := []string{string(f.Kind), f.Only, f.Schema, f.Field, f.Name, f.Ours, f.Official}
	if f.Schema == "" {
		identity = append(identity, strings.Join(f.Operations, ","), f.Where)
	}
	key := strings.Join(identity, "\x00")
	usage := usageOf(f.Where)
	if seen, ok := c.byKey[key]; ok {
		for _, op := range f.Operations {
			if !slices.Contains(seen.Operations, op) {
				seen.Operations = append(seen.Operations, op)
			}
		}
		if usage != "" && !strings.Contains(seen.Usage, usage) {
			seen.Usage = requestAndResponse
		}
		return
	}
	f.Usage = usage
	if f.Schema != "" {
		f.Path, f.Where = "", "" // the schema, not one operation, is the place
	}
	c.byKey[key] = &f
	c.keys = append(c.keys, key)
}

const requestAndResponse = "request, response"

// usageOf says whether a place in an operation belongs to the request or the response.
func usageOf(where string) string {
	switch {
	case strings.HasPrefix(where, "response "):
		return "response"
	case where != "":
		return "request" // a parameter or the request body
	default:
		return ""
	}
}

// list returns the findings sorted by kind and place.
func (c *collector) list() []Finding {
	findings := make([]Finding, 0, len(c.keys))
	for _, key := range c.keys {
		f := *c.byKey[key]
		slices.Sort(f.Operations)
		findings = append(findings, f)
	}
	slices.SortStableFunc(findings, func(a, b Finding) int {
		return strings.Compare(a.Location()+"\x00"+string(a.Kind)+"\x00"+a.Name, b.Location()+"\x00"+string(b.Kind)+"\x00"+b.Name)
	})
	return findings
}
