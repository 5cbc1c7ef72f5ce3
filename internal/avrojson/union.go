package avrojson

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/tonga-go/tonga/internal/schema"
	"github.com/tonga-go/tonga/runtime/avrobin"
)

// union appends the index of the branch that v is a value of, then v.
func (e *encoder) union(b []byte, s *schema.Schema, v any) ([]byte, error) {
	i, inner := pickBranch(s, v)
	if i < 0 {
		return b, e.path.errorf("no branch of %s accepts %s%s", describe(s), render(v), whyNot(s, v))
	}
	b = avrobin.AppendUnionIndex(b, i)
	return e.value(b, s.Branches[i], inner)
}

// pickBranch returns the index of the branch of the union s that the JSON
// value v belongs to, and the value to encode with it, or -1. It tries, in
// turn: the first branch that takes v exactly; Avro's wrapped form
// {"<branch name>": value}, if the value fits the branch; the first branch
// that takes v with rounding; the wrapped form whatever the value, so
// that the branch reports what is wrong with it.
func pickBranch(s *schema.Schema, v any) (int, any) {
	for i, br := range s.Branches {
		if fits(br, v, true, true) {
			return i, v
		}
	}
	j, inner := wrapped(s, v)
	if j >= 0 && fits(s.Branches[j], inner, false, true) {
		return j, inner
	}
	for i, br := range s.Branches {
		if fits(br, v, false, true) {
			return i, v
		}
	}
	return j, inner
}

// wrapped returns, when v is an object with one key that names a branch
// of the union s, the index of that branch and the key's value; otherwise
// -1. A branch is named by its type name ("string", "array"), or for a
// named type by its full or short name.
func wrapped(s *schema.Schema, v any) (int, any) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return -1, nil
	}
	for k, inner := range m {
		for i, br := range s.Branches {
			if br.Kind.Named() && (k == br.FullName || k == br.Name()) ||
				!br.Kind.Named() && k == br.Kind.String() {
				return i, inner
			}
		}
	}
	return -1, nil
}

// fits reports whether v is a value of s. Strictly, a number fits an int
// or long only as a plain integer literal, and a float only if float32
// holds it exactly. Deep, a record's fields, an array's items and a map's
// values are checked too, but only for their JSON types, so that choosing
// a branch takes time linear in the size of the value.
func fits(s *schema.Schema, v any, strict, deep bool) bool {
	if s.Logical != "" {
		_, err := (&encoder{}).logical(nil, s, v)
		return err == nil
	}
	switch s.Kind {
	case schema.Null:
		return v == nil
	case schema.Boolean:
		_, ok := v.(bool)
		return ok
	case schema.Int, schema.Long:
		return integerFits(s.Kind, v, strict)
	case schema.Float, schema.Double:
		return floatFits(s.Kind, v, strict)
	case schema.String:
		_, ok := v.(string)
		return ok
	case schema.Bytes, schema.Fixed:
		str, ok := v.(string)
		if !ok {
			return false
		}
		p, err := base64.StdEncoding.DecodeString(str)
		return err == nil && (s.Kind == schema.Bytes || len(p) == s.Size)
	case schema.Enum:
		str, ok := v.(string)
		return ok && slices.Contains(s.Symbols, str)
	case schema.Array:
		items, ok := v.([]any)
		return ok && (!deep || !slices.ContainsFunc(items, func(x any) bool { return !fits(s.Items, x, false, false) }))
	case schema.Map:
		m, ok := v.(map[string]any)
		if !ok || !deep {
			return ok
		}
		for _, x := range m {
			if !fits(s.Values, x, false, false) {
				return false
			}
		}
		return true
	case schema.Record:
		m, ok := v.(map[string]any)
		return ok && (!deep || recordMismatch(s, m) == "")
	case schema.Union:
		return slices.ContainsFunc(s.Branches, func(br *schema.Schema) bool { return fits(br, v, strict, false) })
	}
	return false
}

func integerFits(k schema.Kind, v any, strict bool) bool {
	lit, ok := v.(json.Number)
	if !ok {
		return false
	}
	x, err := integerValue(string(lit), strict)
	return err == nil && (k == schema.Long || x >= math.MinInt32 && x <= math.MaxInt32)
}

func floatFits(k schema.Kind, v any, strict bool) bool {
	bits := 64
	if k == schema.Float {
		bits = 32
	}
	x, err := floatValue(v, bits)
	if err != nil {
		return false
	}
	if _, isNumber := v.(json.Number); isNumber && strict && k == schema.Float {
		x64, _ := floatValue(v, 64)
		return x == x64
	}
	return true
}

// recordMismatch says why the object m is not a value of the record s, or
// returns "".
func recordMismatch(s *schema.Schema, m map[string]any) string {
	if unknown := unknownKeys(s, m); len(unknown) > 0 {
		return fmt.Sprintf("record %s has no field%s %s", s.FullName, plural(len(unknown)), unknown[0])
	}
	for _, f := range s.Fields {
		x, ok := m[f.Name]
		switch {
		case !ok && f.Default == nil:
			return fmt.Sprintf("record %s needs field %q", s.FullName, f.Name)
		case ok && !fits(f.Type, x, false, false):
			return fmt.Sprintf("field %q of record %s cannot be %s", f.Name, s.FullName, render(x))
		}
	}
	return ""
}

// whyNot explains, for a message, why an object fits no record branch of
// the union s: the reason of the first record branch.
func whyNot(s *schema.Schema, v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return ""
	}
	for _, br := range s.Branches {
		if br.Kind == schema.Record && br.Logical == "" {
			return " (" + recordMismatch(br, m) + ")"
		}
	}
	return ""
}
