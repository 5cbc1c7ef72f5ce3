package schema

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"unicode/utf8"

	"github.com/tonga-go/tonga/internal/diag"
)

// validate checks what can only be checked once references are resolved:
// unions, field defaults and Tonga's envelope.
func validate(set *Set, diags *diag.List, reader bool) {
	seen := map[*Schema]bool{}
	var walk func(s *Schema)
	walk = func(s *Schema) {
		if seen[s] {
			return
		}
		seen[s] = true
		switch s.Kind {
		case Union:
			checkUnion(s, diags)
			for _, b := range s.Branches {
				walk(b)
			}
		case Array:
			walk(s.Items)
		case Map:
			walk(s.Values)
		case Record:
			for _, f := range s.Fields {
				walk(f.Type)
				if f.Default != nil && reader {
					if msg := checkDefault(f.Type, f.Default); msg != "" {
						diags.Addf(f.Default.Pos, "default of field %q: %s", f.Name, msg)
					}
				}
			}
			if reader {
				checkEnvelope(s, diags)
			}
		}
	}
	for _, r := range set.Roots {
		walk(r)
	}
}

func checkUnion(u *Schema, diags *diag.List) {
	seen := map[string]int{}
	for i, b := range u.Branches {
		if b.broken {
			continue
		}
		if b.Kind == Union {
			diags.Addf(branchPos(u, b), "a union may not contain another union directly; list the inner union's branches in the outer one")
			continue
		}
		key := b.Kind.String()
		if b.Kind.Named() {
			key = b.FullName
		}
		if j, dup := seen[key]; dup {
			diags.Addf(branchPos(u, b), "union has two %s branches (%d and %d); a union holds at most one schema of each type, except named types with different names", key, j, i)
			continue
		}
		seen[key] = i
	}
}

// branchPos returns the position of a union branch when it was written
// inside the union, and the union's own position for named references.
func branchPos(u, b *Schema) diag.Pos {
	if b.Pos.File == u.Pos.File && b.Pos.Compare(u.Pos) > 0 && !b.Kind.Named() {
		return b.Pos
	}
	return u.Pos
}

// checkDefault reports why v is not a valid default for a value of type s,
// or "" when it is.
func checkDefault(s *Schema, v *Node) string {
	if s.broken || s.Kind == Ref {
		return ""
	}
	want := func(kind NodeKind) string {
		if v.Kind == kind {
			return ""
		}
		return fmt.Sprintf("%s is not a valid %s value (expected a JSON %s)", render(v), describe(s), kind)
	}
	switch s.Kind {
	case Null:
		return want(NullNode)
	case Boolean:
		return want(BoolNode)
	case Int:
		return checkInteger(s, v, math.MinInt32, math.MaxInt32)
	case Long:
		return checkInteger(s, v, math.MinInt64, math.MaxInt64)
	case Float, Double:
		if msg := want(NumberNode); msg != "" {
			return msg
		}
		bits := 64
		if s.Kind == Float {
			bits = 32
		}
		if f, err := strconv.ParseFloat(v.Text, bits); err != nil || math.IsInf(f, 0) {
			return fmt.Sprintf("%s is out of range for %s", v.Text, s.Kind)
		}
	case String:
		return want(StringNode)
	case Bytes, Fixed:
		return checkBytesDefault(s, v)
	case Enum:
		if v.Kind == StringNode {
			for _, sym := range s.Symbols {
				if sym == v.Text {
					return ""
				}
			}
		}
		return fmt.Sprintf("%s is not a symbol of enum %s", render(v), s.FullName)
	case Array:
		if msg := want(ArrayNode); msg != "" {
			return msg
		}
		for i, item := range v.Items {
			if msg := checkDefault(s.Items, item); msg != "" {
				return fmt.Sprintf("item %d: %s", i, msg)
			}
		}
	case Map:
		if msg := want(ObjectNode); msg != "" {
			return msg
		}
		for _, m := range v.Members {
			if msg := checkDefault(s.Values, m.Value); msg != "" {
				return fmt.Sprintf("key %q: %s", m.Key, msg)
			}
		}
	case Union:
		if msg := checkDefault(s.Branches[0], v); msg != "" {
			return fmt.Sprintf("a union's default is a value of its first branch, %s: %s; reorder the branches or change the default", describe(s.Branches[0]), msg)
		}
	case Record:
		return checkRecordDefault(s, v)
	}
	return ""
}

func checkInteger(s *Schema, v *Node, lo, hi int64) string {
	if v.Kind == NumberNode {
		n, ok := new(big.Int).SetString(v.Text, 10)
		if ok && n.IsInt64() && n.Int64() >= lo && n.Int64() <= hi {
			return ""
		}
		if ok {
			return fmt.Sprintf("%s is out of range for %s", v.Text, s.Kind)
		}
	}
	return fmt.Sprintf("%s is not a valid %s value (expected an integer)", render(v), s.Kind)
}

func checkBytesDefault(s *Schema, v *Node) string {
	if v.Kind != StringNode {
		return fmt.Sprintf("%s is not a valid %s value (expected a string of code points 0-255, one per byte)", render(v), describe(s))
	}
	n := 0
	for _, r := range v.Text {
		if r > 0xff {
			return fmt.Sprintf("%s holds %q, above U+00FF; bytes defaults use one code point per byte", render(v), r)
		}
		n++
	}
	if s.Kind == Fixed && n != s.Size {
		return fmt.Sprintf("%s has %d bytes, fixed %s has %d", render(v), n, s.FullName, s.Size)
	}
	return ""
}

func checkRecordDefault(s *Schema, v *Node) string {
	if v.Kind != ObjectNode {
		return fmt.Sprintf("%s is not a valid value of record %s (expected an object)", render(v), s.FullName)
	}
	for _, f := range s.Fields {
		fv := v.Get(f.Name)
		if fv == nil {
			if f.Default == nil {
				return fmt.Sprintf("field %q of record %s is missing and has no default", f.Name, s.FullName)
			}
			continue
		}
		if msg := checkDefault(f.Type, fv); msg != "" {
			return fmt.Sprintf("field %q: %s", f.Name, msg)
		}
	}
	return ""
}

// render shows a default value in a message, shortened when long.
func render(v *Node) string {
	var s string
	switch v.Kind {
	case NullNode:
		s = "null"
	case BoolNode:
		s = strconv.FormatBool(v.Bool)
	case NumberNode:
		s = v.Text
	case StringNode:
		s = strconv.Quote(v.Text)
	case ArrayNode:
		s = "an array"
	default:
		s = "an object"
	}
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:37]) + "..."
	}
	return s
}
