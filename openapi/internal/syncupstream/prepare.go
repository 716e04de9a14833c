package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// prepare turns the official specification into the document the generic engine serves. It
// changes what the stub needs and nothing else, each for a reason docs/contract.md gives:
//
//   - every operation gets x-atlas-versions, the versions of its media types, and x-atlas-roles,
//     the roles its description names ("must have the Project
//     Owner role"), so that the authorization step reads the official operations as it reads the
//     curated ones (roles.go);
//   - every operation declares the error statuses the pipeline answers: 400 where it has
//     parameters or a body, 404 where its path names something, 406 where it is versioned, 415
//     where it takes JSON, 409 on a POST; and answers them as ApiError in
//     application/json, as Atlas does, where a few declared schemas of their own;
//   - request bodies may come as application/json too, as Atlas documents, and a 204 has no
//     content (the official one carries an empty entry of the versioned media type);
//   - patterns Go's regexp cannot compile, and the address patterns that refuse valid addresses,
//     become the curated specification's (patternFixes);
//   - ApiError.parameters holds any JSON value, as Atlas sends strings;
//   - alternatives that no value can satisfy become ones that Atlas's values do: a oneOf of enums
//     that share values is their union, a oneOf of objects that nothing tells apart is an anyOf,
//     and an object whose alternatives are strings loses its type;
//   - what no step reads is dropped, so that the document loads faster: descriptions, code
//     samples, external documentation and the x-xgen annotations of the documentation.
//
// The result is JSON, whose keys encoding/json writes in order, so that the same input always
// prepares to the same bytes.
func prepare(official []byte) ([]byte, error) {
	var doc map[string]any
	if err := yaml.Unmarshal(official, &doc); err != nil {
		return nil, err
	}
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the specification has no paths")
	}
	for path, item := range paths {
		item, _ := item.(map[string]any)
		for _, method := range methods {
			op, ok := item[method].(map[string]any)
			if !ok {
				continue
			}
			description, _ := op["description"].(string)
			op["x-atlas-roles"] = rolesOf(description, path, method)
			acceptPlainJSON(op)
			answerErrorsAsAPIErrors(op)
			declareVersions(op)
			noContentWithout(op)
			declareErrorStatuses(op, item, path, method)
		}
	}
	components, _ := doc["components"].(map[string]any)
	if err := addErrorResponses(components); err != nil {
		return nil, err
	}
	if err := openAPIErrorParameters(components); err != nil {
		return nil, err
	}
	if err := fixPatterns(doc); err != nil {
		return nil, err
	}
	untypeAlternativesOfAnotherType(doc)
	unionOverlappingEnums(doc)
	overlappingObjectsAsAnyOf(doc)
	dropDocumentation(doc, false)
	return json.Marshal(doc)
}

// methods are the operations of a path item, lower case as OpenAPI writes them.
var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// The error responses the pipeline answers beyond those the official specification declares:
// the components they refer to, and the two it lacks.
const (
	badRequestRef           = "#/components/responses/badRequest"
	notFoundRef             = "#/components/responses/notFound"
	conflictRef             = "#/components/responses/conflict"
	notAcceptableRef        = "#/components/responses/notAcceptable"
	unsupportedMediaTypeRef = "#/components/responses/unsupportedMediaType"
)

// declareErrorStatuses adds the error statuses a request of the operation can provoke: 400 for a
// malformed parameter or body, 404 for a path that names something missing, 406 for a missing or
// too early version, 415 for a body of another media type, and 409 for a POST, which may create
// what exists already (a name that is taken, a user already in a team).
func declareErrorStatuses(op, item map[string]any, path, method string) {
	responses, _ := op["responses"].(map[string]any)
	if responses == nil {
		return
	}
	declare := func(status, ref string) {
		if _, ok := responses[status]; !ok {
			responses[status] = map[string]any{"$ref": ref}
		}
	}
	body, _ := op["requestBody"].(map[string]any)
	if len(listOf(op["parameters"]))+len(listOf(item["parameters"])) > 0 || body != nil {
		declare("400", badRequestRef)
	}
	if strings.Contains(path, "{") {
		declare("404", notFoundRef)
	}
	if op["x-atlas-versions"] != nil {
		declare("406", notAcceptableRef)
	}
	if content, _ := body["content"].(map[string]any); jsonContent(content) {
		declare("415", unsupportedMediaTypeRef)
	}
	if method == "post" {
		declare("409", conflictRef)
	}
}

// acceptPlainJSON lets a request body come as application/json too, beside its versioned media
// type: Atlas documents both, and clients that version only their Accept header send it.
func acceptPlainJSON(op map[string]any) {
	content := mapOf(mapOf(op["requestBody"])["content"])
	if content == nil || content["application/json"] != nil {
		return
	}
	for mediaType, entry := range content {
		if strings.HasPrefix(mediaType, "application/vnd.atlas.") && strings.HasSuffix(mediaType, "+json") {
			content["application/json"] = map[string]any{"schema": mapOf(entry)["schema"]}
			return
		}
	}
}

// versionedMediaType matches a versioned media type and captures its date.
var versionedMediaType = regexp.MustCompile(`^application/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+[a-z-]+$`)

// declareVersions lists the versions of an operation in x-atlas-versions, as the curated
// specification does: the official one writes them only into media types, some of which (a
// 204's) carry no body and are dropped.
func declareVersions(op map[string]any) {
	var versions []string
	collect := func(content map[string]any) {
		for mediaType := range content {
			if m := versionedMediaType.FindStringSubmatch(mediaType); m != nil {
				versions = append(versions, m[1])
			}
		}
	}
	collect(mapOf(mapOf(op["requestBody"])["content"]))
	for status, response := range mapOf(op["responses"]) {
		if strings.HasPrefix(status, "2") {
			collect(mapOf(mapOf(response)["content"]))
		}
	}
	if len(versions) == 0 {
		return
	}
	slices.Sort(versions)
	list := []any{}
	for _, v := range slices.Compact(versions) {
		list = append(list, v)
	}
	op["x-atlas-versions"] = list
}

// noContentWithout drops the content of a 204 response: the official specification gives it an
// empty entry of the versioned media type, to carry the version, but a 204 has no body and so no
// Content-Type.
func noContentWithout(op map[string]any) {
	if response := mapOf(mapOf(op["responses"])["204"]); response != nil {
		delete(response, "content")
	}
}

// errorResponses are the official components of the error statuses.
var errorResponses = map[string]string{
	"400": badRequestRef,
	"401": "#/components/responses/unauthorized",
	"403": "#/components/responses/forbidden",
	"404": notFoundRef,
	"409": conflictRef,
	"500": "#/components/responses/internalServerError",
}

// answerErrorsAsAPIErrors makes every error response the official ApiError in application/json:
// a few operations declare errors of their own schemas in versioned media types (resource
// policies), but Atlas answers every error as application/json.
func answerErrorsAsAPIErrors(op map[string]any) {
	for status, response := range mapOf(op["responses"]) {
		response := mapOf(response)
		ref, known := errorResponses[status]
		if !known || response["$ref"] != nil || mapOf(response["content"])["application/json"] != nil {
			continue
		}
		mapOf(op["responses"])[status] = map[string]any{"$ref": ref}
	}
}

func jsonContent(content map[string]any) bool {
	for mediaType := range content {
		if mediaType == "application/json" || strings.HasSuffix(mediaType, "+json") {
			return true
		}
	}
	return false
}

// addErrorResponses adds the responses of 406 and 415, in the shape of the official error
// responses.
func addErrorResponses(components map[string]any) error {
	responses, _ := components["responses"].(map[string]any)
	if responses == nil || responses["badRequest"] == nil || responses["notFound"] == nil || responses["conflict"] == nil {
		return fmt.Errorf("the specification lacks the error responses badRequest, notFound or conflict")
	}
	apiError := func(description string) map[string]any {
		return map[string]any{
			"description": description,
			"content": map[string]any{"application/json": map[string]any{
				"schema": map[string]any{"$ref": "#/components/schemas/ApiError"},
			}},
		}
	}
	responses["notAcceptable"] = apiError("Not Acceptable.")
	responses["unsupportedMediaType"] = apiError("Unsupported Media Type.")
	return nil
}

// openAPIErrorParameters lets ApiError.parameters hold any JSON value: Atlas sends strings
// (["111111111111111111111111"]), which the official items schema, an object, refuses.
func openAPIErrorParameters(components map[string]any) error {
	schemas, _ := components["schemas"].(map[string]any)
	apiError, _ := schemas["ApiError"].(map[string]any)
	properties, _ := apiError["properties"].(map[string]any)
	parameters, _ := properties["parameters"].(map[string]any)
	if parameters == nil {
		return fmt.Errorf("the specification has no ApiError.parameters")
	}
	parameters["items"] = map[string]any{}
	return nil
}

// patternFixes replace official patterns with the curated specification's (openapi/atlas.yaml,
// IPAddress and CIDRBlock). The address pattern has a lookahead, which Go's regexp cannot
// compile; the CIDR pattern refuses compressed IPv6 addresses with `::` inside, such as
// 2001:db8::1/128.
var patternFixes = map[string]string{
	`^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}|([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$`:                          `^(([0-9]{1,3}\.){3}[0-9]{1,3}|[0-9a-fA-F]{0,4}(:[0-9a-fA-F]{0,4}){2,7})$`,
	`^((([0-9]{1,3}\.){3}[0-9]{1,3})|(:{0,2}([0-9a-f]{1,4}:){0,7}[0-9a-f]{1,4}[:]{0,2}))((%2[fF]|/)[0-9]{1,3})+$`: `^(([0-9]{1,3}\.){3}[0-9]{1,3}|[0-9a-fA-F]{0,4}(:[0-9a-fA-F]{0,4}){2,7})((%2[fF]|/)[0-9]{1,3})+$`,
	// Project and organization names: spaces too, as in Atlas's own default project, "Project 0".
	`^[\p{L}\p{N}\-_.(),:&@+']{1,64}$`: `^[\p{L}\p{N}\-_.(),:&@+' ]{1,64}$`,
	// The project IP access list's cidrBlock: also a compressed IPv6 range, which Atlas answers
	// for an IPv6 address (2001:db8::1/128).
	`^([0-9]{1,3}\.){3}[0-9]{1,3}(%2[fF][0-9]{1,3})?|([0-9a-f]{1,4}\:){7}[0-9a-f]{1,4}(%2[fF][0-9]{1,3})?|([0-9a-f]{1,4}\:){1,6}\:(%2[fF][0-9]{1,3})?$`: `^(([0-9]{1,3}\.){3}[0-9]{1,3}|[0-9a-fA-F]{0,4}(:[0-9a-fA-F]{0,4}){2,7})((%2[fF]|/)[0-9]{1,3})?$`,
	// A MongoDB Cloud user's mobileNumber: the YAML doubles its backslashes, so that the pattern
	// asks for backslashes between the parts of a phone number rather than spaces.
	mobileNumberDoubled: strings.ReplaceAll(mobileNumberDoubled, `\\`, `\`),
}

// mobileNumberDoubled is the official mobileNumber pattern, backslashes doubled.
const mobileNumberDoubled = `(?:(?:\\+?1\\s*(?:[.-]\\s*)?)?(?:(\\s*([2-9]1[02-9]|[2-9][02-8]1|[2-9][02-8][02-9])\\s*)|([2-9]1[02-9]|[2-9][02-8]1|[2-9][02-8][02-9]))\\s*(?:[.-]\\s*)?)([2-9]1[02-9]|[2-9][02-9]1|[2-9][02-9]{2})\\s*(?:[.-]\\s*)?([0-9]{4})$`

// fixPatterns applies patternFixes and fails on any other pattern that Go cannot compile, so that
// a new one in a newer specification is seen when it is synced rather than when a request meets
// it.
func fixPatterns(doc map[string]any) error {
	var problems []string
	walk(doc, func(m map[string]any) {
		pattern, ok := m["pattern"].(string)
		if !ok {
			return
		}
		if fixed, ok := patternFixes[pattern]; ok {
			m["pattern"] = fixed
			return
		}
		if _, err := regexp.Compile(pattern); err != nil {
			problems = append(problems, err.Error())
		}
	})
	if len(problems) > 0 {
		slices.Sort(problems)
		return fmt.Errorf("patterns Go cannot compile; add a fix to patternFixes:\n%s", strings.Join(slices.Compact(problems), "\n"))
	}
	return nil
}

// untypeAlternativesOfAnotherType drops the type of a schema whose oneOf alternatives all have
// another type: alert configurations' eventTypeName and a stream workspace's region are objects
// whose alternatives are enums of strings, which no value can satisfy, and Atlas sends a string.
func untypeAlternativesOfAnotherType(doc map[string]any) {
	schemas := mapOf(mapOf(doc["components"])["schemas"])
	walk(doc, func(m map[string]any) {
		own, _ := m["type"].(string)
		alternatives := listOf(m["oneOf"])
		if own == "" || len(alternatives) == 0 {
			return
		}
		for _, alt := range alternatives {
			if altType, _ := resolve(schemas, alt)["type"].(string); altType == "" || altType == own {
				return
			}
		}
		delete(m, "type")
	})
}

// unionOverlappingEnums turns a oneOf of enums that share values into one enum of them all: a
// cluster's instance size is one of the AWS, Azure or GCP sizes, and M10 is all three, which oneOf
// (exactly one) refuses. Atlas takes and sends M10.
func unionOverlappingEnums(doc map[string]any) {
	schemas := mapOf(mapOf(doc["components"])["schemas"])
	walk(doc, func(m map[string]any) {
		alternatives := listOf(m["oneOf"])
		if len(alternatives) < 2 {
			return
		}
		var union []any
		seen := map[any]bool{}
		overlap := false
		kind := ""
		for _, alt := range alternatives {
			alt := resolve(schemas, alt)
			enum := listOf(alt["enum"])
			altKind, _ := alt["type"].(string)
			if len(enum) == 0 || (kind != "" && altKind != kind) {
				return
			}
			kind = altKind
			for _, v := range enum {
				if seen[v] {
					overlap = true
					continue
				}
				seen[v] = true
				union = append(union, v)
			}
		}
		if overlap {
			delete(m, "oneOf")
			m["type"], m["enum"] = kind, union
		}
	})
}

// overlappingObjectsAsAnyOf turns a oneOf of open objects without a discriminator into an anyOf
// when one alternative requires no more than another: every value of the other is then a value
// of both, which oneOf (exactly one) refuses. The identity providers of federation settings are
// so: a workload provider requires nothing that a workforce one lacks.
func overlappingObjectsAsAnyOf(doc map[string]any) {
	schemas := mapOf(mapOf(doc["components"])["schemas"])
	walk(doc, func(m map[string]any) {
		alternatives := listOf(m["oneOf"])
		if len(alternatives) < 2 || m["discriminator"] != nil {
			return
		}
		required := make([][]any, len(alternatives))
		for i, alt := range alternatives {
			alt := resolve(schemas, alt)
			if alt["type"] != "object" || alt["additionalProperties"] == false {
				return
			}
			required[i] = listOf(alt["required"])
		}
		for i := range required {
			for j := range required {
				if i != j && subset(required[i], required[j]) {
					m["anyOf"] = m["oneOf"]
					delete(m, "oneOf")
					return
				}
			}
		}
	})
}

func subset(small, large []any) bool {
	for _, v := range small {
		if !slices.Contains(large, v) {
			return false
		}
	}
	return true
}

// resolve follows a reference to a component schema.
func resolve(schemas map[string]any, schema any) map[string]any {
	m := mapOf(schema)
	if ref, ok := m["$ref"].(string); ok {
		return mapOf(schemas[strings.TrimPrefix(ref, "#/components/schemas/")])
	}
	return m
}

// dropped are the keys whose values no step of the stub reads: documentation for people.
var dropped = []string{"x-codeSamples", "externalDocs", "x-xgen-IPA-exception", "x-xgen-changelog", "x-xgen-method-verb-override", "x-externalLinks"}

// dropDocumentation removes the documentation meant for people. A description is removed where it
// is text, except on a response, which OpenAPI requires to have one; a schema property called
// "description" is a schema and stays.
func dropDocumentation(node any, isResponse bool) {
	switch n := node.(type) {
	case map[string]any:
		for _, key := range dropped {
			delete(n, key)
		}
		if _, ok := n["description"].(string); ok && !isResponse {
			delete(n, "description")
		}
		for key, child := range n {
			if key == "responses" {
				for _, response := range mapOf(child) {
					dropDocumentation(response, true)
				}
				continue
			}
			dropDocumentation(child, false)
		}
	case []any:
		for _, child := range n {
			dropDocumentation(child, false)
		}
	}
}

// walk calls visit on every object of a decoded document, parents before children.
func walk(node any, visit func(map[string]any)) {
	switch n := node.(type) {
	case map[string]any:
		visit(n)
		for _, child := range n {
			walk(child, visit)
		}
	case []any:
		for _, child := range n {
			walk(child, visit)
		}
	}
}

func listOf(v any) []any {
	list, _ := v.([]any)
	return list
}

func mapOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
