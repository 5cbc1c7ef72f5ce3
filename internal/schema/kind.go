package schema

import (
	"fmt"
	"strings"

	"github.com/tonga-go/tonga/internal/diag"
)

// TongaKind is the role a record plays in a Tonga system.
type TongaKind int

// The Tonga kinds. A record with no kind is a plain type: usable as a field
// or a store value, but not dispatched to a handler.
const (
	KindNone TongaKind = iota
	KindEvent
	KindCommand
	KindResult
)

func (k TongaKind) String() string {
	return [...]string{"none", "event", "command", "result"}[k]
}

// KindAttr is the schema attribute that sets a record's Tonga kind
// explicitly, overriding the namespace convention.
const KindAttr = "tonga.kind"

// KindOf returns the Tonga kind of the record s and a phrase saying where
// it comes from, for messages. An explicit "tonga.kind" attribute wins;
// otherwise, for the top-level record of a schema file, the last segment of
// the namespace decides (tonga.waiter.event is an event namespace). A
// record defined inside another, such as a result's error_details, takes
// a kind only from the attribute.
func KindOf(s *Schema) (TongaKind, string) {
	if s.Kind != Record {
		return KindNone, ""
	}
	if p := s.Prop(KindAttr); p != nil && p.Kind == StringNode {
		if k, ok := tongaKinds[p.Text]; ok {
			return k, fmt.Sprintf("(%q: %q)", KindAttr, p.Text)
		}
	}
	last := s.Namespace[strings.LastIndexByte(s.Namespace, '.')+1:]
	if k, ok := tongaKinds[last]; ok && k != KindNone && s.root {
		return k, fmt.Sprintf("(namespace %s ends in %q)", s.Namespace, last)
	}
	return KindNone, ""
}

var tongaKinds = map[string]TongaKind{"none": KindNone, "event": KindEvent, "command": KindCommand, "result": KindResult}

// Envelope field names and the types Tonga gives them.
const (
	contextValues = `["null","int","long","float","double","string"]`
)

type envelopeField struct {
	name  string
	want  string // shown in messages
	check func(*Schema) bool
}

func isKind(k Kind) func(*Schema) bool { return func(s *Schema) bool { return s.Kind == k } }

func isNullableString(s *Schema) bool {
	t, _, ok := s.NullableBranch()
	return ok && t.Kind == String
}

func isContextMap(s *Schema) bool {
	return s.Kind == Map && s.Values.Kind == Union && s.Values.Canonical() == contextValues
}

// isResultError matches Tonga's result error: ["null", {label: string,
// message: ["string", "null"]}] (either null position).
func isResultError(s *Schema) bool {
	t, _, ok := s.NullableBranch()
	return ok && IsResultError(t)
}

var envelope = []envelopeField{
	{"schema_version", `"string"`, isKind(String)},
	{"record_id", `"string"`, isKind(String)},
	{"partition_key", `["null", "string"]`, isNullableString},
	{"timestamp", `"double" (epoch milliseconds)`, isKind(Double)},
	{"datetime", `"string" (ISO 8601)`, isKind(String)},
	{"correlation_id", `"string"`, isKind(String)},
	{"context", `{"type": "map", "values": ` + contextValues + `}`, isContextMap},
}

var commandEnvelope = envelopeField{"processing_guarantee", `"string" (at_least_once, at_most_once or exactly_once)`, isKind(String)}

var resultEnvelope = envelopeField{"error", `["null", {"type": "record", "fields": [{"name": "label", "type": "string"}, {"name": "message", "type": ["string", "null"]}]}]`, isResultError}

// EnvelopeFields returns the names of the envelope fields a record of kind
// k carries, in Tonga's order.
func EnvelopeFields(k TongaKind) []string {
	if k == KindNone {
		return nil
	}
	var names []string
	for _, f := range envelopeFor(k) {
		names = append(names, f.name)
	}
	return names
}

func envelopeFor(k TongaKind) []envelopeField {
	fields := envelope
	switch k {
	case KindCommand:
		fields = append(fields[:len(fields):len(fields)], commandEnvelope)
	case KindResult:
		fields = append(fields[:len(fields):len(fields)], resultEnvelope)
	}
	return fields
}

// checkEnvelope reports the envelope fields a record claiming a Tonga kind
// lacks or mistypes.
func checkEnvelope(s *Schema, diags *diag.List) {
	if p := s.Prop(KindAttr); p != nil {
		if _, ok := tongaKinds[p.Text]; p.Kind != StringNode || !ok {
			diags.Addf(p.Pos, "%q must be \"event\", \"command\", \"result\" or \"none\"", KindAttr)
		}
	}
	kind, why := KindOf(s)
	if kind == KindNone {
		return
	}
	var missing []string
	for _, ef := range envelopeFor(kind) {
		var f *Field
		for _, c := range s.Fields {
			if c.Name == ef.name {
				f = c
			}
		}
		switch {
		case f == nil:
			missing = append(missing, fmt.Sprintf("%q of type %s", ef.name, ef.want))
		case f.Type.broken:
		case !ef.check(f.Type):
			diags.Addf(f.TypePos, "field %q of Tonga %s %s has type %s; Tonga's envelope needs %s",
				ef.name, kind, s.FullName, describe(f.Type), ef.want)
		}
	}
	switch len(missing) {
	case 0:
	case 1:
		diags.Addf(s.Pos, "record %s is a Tonga %s %s but lacks the envelope field %s; add it, or set %q: \"none\" to make it a plain record",
			s.FullName, kind, why, missing[0], KindAttr)
	default:
		diags.Addf(s.Pos, "record %s is a Tonga %s %s but lacks the envelope fields %s; add them, or set %q: \"none\" to make it a plain record",
			s.FullName, kind, why, strings.Join(missing, ", "), KindAttr)
	}
}

// IsResultError reports whether s is the record of a Tonga result's error
// field: {label: string, message: ["string", "null"]} (null on either
// side). Such records map to the runtime's shared type.
func IsResultError(s *Schema) bool {
	return s.Kind == Record && len(s.Fields) == 2 &&
		s.Fields[0].Name == "label" && s.Fields[0].Type.Kind == String &&
		s.Fields[1].Name == "message" && isNullableString(s.Fields[1].Type)
}
