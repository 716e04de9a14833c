package specdiff

import "github.com/oasdiff/oasdiff/checker"

// promotedChecks raises oasdiff checks that are harmless for API clients in general but break
// the users of this contract, with the reason for each. MongoDB's foascli promotes checks the
// same way for the official specification.
var promotedChecks = map[string]string{
	checker.ResponseOptionalPropertyRemovedId: "clients read optional response fields too, " +
		"and the generated types in gen/ lose the struct field",
	checker.ResponseNonSuccessStatusRemovedId: "the generated client has a typed field for each declared status, " +
		"and the contract suite checks every declared error",
	checker.RequestPropertyRemovedId: "request schemas set additionalProperties: false, " +
		"so a client that still sends the field gets 400",
	checker.APIOperationIdRemovedId: "the generated method and type names come from the operationId",
}

// severityLevels is the oasdiff configuration of promotedChecks.
func severityLevels() map[string]checker.Level {
	levels := make(map[string]checker.Level, len(promotedChecks))
	for id := range promotedChecks {
		levels[id] = checker.ERR
	}
	return levels
}

// levelOf maps oasdiff's levels onto ours.
func levelOf(level checker.Level) Level {
	switch level {
	case checker.ERR:
		return Breaking
	case checker.WARN:
		return Warning
	default:
		return Info
	}
}
