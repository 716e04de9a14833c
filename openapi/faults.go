package openapi

// FaultHeader marks an answer that one of the stub's fault rules (the control API's
// /_stub/faults in stub.yaml) made up instead of its handler, with the rule's id. A validating
// transport and a person reading a trace can tell it from the stub's own answers, which keep to
// the specification.
const FaultHeader = "Atlasstub-Fault"
