package schema

import (
	"strconv"
	"strings"
)

// JSON returns s as a complete, standalone JSON schema: unlike the
// canonical form it keeps docs, defaults, aliases, orders, logical types
// and other attributes. Every named type is defined in full at its first
// use, with "name" and "namespace" as separate keys (Python's avro library,
// which Python Tonga reads container headers with, needs both), and is
// referenced by its full name afterwards.
func (s *Schema) JSON() string {
	var b strings.Builder
	s.writeJSON(&b, map[*Schema]bool{}, "")
	return b.String()
}

func (s *Schema) writeJSON(b *strings.Builder, seen map[*Schema]bool, ns string) {
	switch {
	case s.Kind.Named():
		if seen[s] {
			writeJSONString(b, s.FullName)
			return
		}
		seen[s] = true
		s.writeNamedJSON(b, seen)
	case s.Kind == Union:
		b.WriteByte('[')
		for i, br := range s.Branches {
			if i > 0 {
				b.WriteByte(',')
			}
			br.writeJSON(b, seen, ns)
		}
		b.WriteByte(']')
	case s.Kind == Array || s.Kind == Map || s.Logical != "" || s.IgnoredLogical != "" || len(s.Props) > 0:
		b.WriteString(`{"type":`)
		writeJSONString(b, s.Kind.String())
		if s.Kind == Array {
			b.WriteString(`,"items":`)
			s.Items.writeJSON(b, seen, ns)
		}
		if s.Kind == Map {
			b.WriteString(`,"values":`)
			s.Values.writeJSON(b, seen, ns)
		}
		s.writeLogicalJSON(b)
		writeProps(b, s.Props)
		b.WriteByte('}')
	default:
		writeJSONString(b, s.Kind.String())
	}
}

func (s *Schema) writeNamedJSON(b *strings.Builder, seen map[*Schema]bool) {
	b.WriteString(`{"type":`)
	writeJSONString(b, s.Kind.String())
	b.WriteString(`,"name":`)
	writeJSONString(b, s.Name())
	b.WriteString(`,"namespace":`)
	writeJSONString(b, s.Namespace)
	if s.Doc != "" {
		b.WriteString(`,"doc":`)
		writeJSONString(b, s.Doc)
	}
	writeStrings(b, "aliases", s.Aliases)
	switch s.Kind {
	case Record:
		b.WriteString(`,"fields":[`)
		for i, f := range s.Fields {
			if i > 0 {
				b.WriteByte(',')
			}
			f.writeJSON(b, seen, s.Namespace)
		}
		b.WriteByte(']')
	case Enum:
		writeStrings(b, "symbols", s.Symbols)
		if s.HasEnumDefault {
			b.WriteString(`,"default":`)
			writeJSONString(b, s.EnumDefault)
		}
	case Fixed:
		b.WriteString(`,"size":`)
		b.WriteString(strconv.Itoa(s.Size))
	}
	s.writeLogicalJSON(b)
	writeProps(b, s.Props)
	b.WriteByte('}')
}

func (f *Field) writeJSON(b *strings.Builder, seen map[*Schema]bool, ns string) {
	b.WriteString(`{"name":`)
	writeJSONString(b, f.Name)
	b.WriteString(`,"type":`)
	f.Type.writeJSON(b, seen, ns)
	if f.Doc != "" {
		b.WriteString(`,"doc":`)
		writeJSONString(b, f.Doc)
	}
	if f.Default != nil {
		b.WriteString(`,"default":`)
		writeNode(b, f.Default)
	}
	if f.Order != "" && f.Order != "ascending" {
		b.WriteString(`,"order":`)
		writeJSONString(b, f.Order)
	}
	writeStrings(b, "aliases", f.Aliases)
	writeProps(b, f.Props)
	b.WriteByte('}')
}

func (s *Schema) writeLogicalJSON(b *strings.Builder) {
	lt := s.Logical
	if lt == "" {
		lt = s.IgnoredLogical
	}
	if lt == "" {
		return
	}
	b.WriteString(`,"logicalType":`)
	writeJSONString(b, lt)
	if s.Logical == Decimal {
		b.WriteString(`,"precision":` + strconv.Itoa(s.Precision) + `,"scale":` + strconv.Itoa(s.Scale))
	}
}

func writeStrings(b *strings.Builder, key string, vs []string) {
	if len(vs) == 0 {
		return
	}
	b.WriteString(`,"` + key + `":[`)
	for i, v := range vs {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(b, v)
	}
	b.WriteByte(']')
}

func writeProps(b *strings.Builder, props []Prop) {
	for _, p := range props {
		b.WriteByte(',')
		writeJSONString(b, p.Key)
		b.WriteByte(':')
		writeNode(b, p.Value)
	}
}

// writeNode writes a document value as compact JSON.
func writeNode(b *strings.Builder, n *Node) {
	switch n.Kind {
	case NullNode:
		b.WriteString("null")
	case BoolNode:
		b.WriteString(strconv.FormatBool(n.Bool))
	case NumberNode:
		b.WriteString(n.Text)
	case StringNode:
		writeJSONString(b, n.Text)
	case ArrayNode:
		b.WriteByte('[')
		for i, item := range n.Items {
			if i > 0 {
				b.WriteByte(',')
			}
			writeNode(b, item)
		}
		b.WriteByte(']')
	case ObjectNode:
		b.WriteByte('{')
		for i, m := range n.Members {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, m.Key)
			b.WriteByte(':')
			writeNode(b, m.Value)
		}
		b.WriteByte('}')
	}
}
