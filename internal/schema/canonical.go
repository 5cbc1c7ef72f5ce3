package schema

import (
	"strconv"
	"strings"
)

// Canonical returns the Parsing Canonical Form of s, as the Avro 1.12
// specification defines it: primitives as bare strings, full names without
// namespaces, only the attributes type, name, fields, symbols, items, values
// and size, in that order, and no whitespace. Doc strings, aliases,
// defaults, field orders, logical types and other properties are dropped,
// so a timestamp-millis on a double canonicalises to "double".
//
// A named type is written in full where a depth-first walk first meets it
// and as its full name after that, which also ends the walk of a recursive
// type. Like Java's SchemaNormalization, the walk identifies named types by
// full name.
func (s *Schema) Canonical() string {
	var b strings.Builder
	s.writeCanonical(&b, make(map[string]bool))
	return b.String()
}

// writeCanonical appends the canonical form of s to b. Seen holds the full
// names of the named types already written in full.
func (s *Schema) writeCanonical(b *strings.Builder, seen map[string]bool) {
	switch s.Kind {
	case Union:
		b.WriteByte('[')
		for i, t := range s.Branches {
			if i > 0 {
				b.WriteByte(',')
			}
			t.writeCanonical(b, seen)
		}
		b.WriteByte(']')
	case Array:
		b.WriteString(`{"type":"array","items":`)
		s.Items.writeCanonical(b, seen)
		b.WriteByte('}')
	case Map:
		b.WriteString(`{"type":"map","values":`)
		s.Values.writeCanonical(b, seen)
		b.WriteByte('}')
	case Record, Enum, Fixed:
		if seen[s.FullName] {
			writeJSONString(b, s.FullName)
			return
		}
		seen[s.FullName] = true
		s.writeNamed(b, seen)
	case Ref:
		// A compiled Set holds no references. A resolved one keeps its
		// target in Items (see resolveRef); an unresolved one is written
		// as the name it stands for.
		if s.Items != nil {
			s.Items.writeCanonical(b, seen)
			return
		}
		writeJSONString(b, s.ref)
	default:
		writeJSONString(b, s.Kind.String())
	}
}

// writeNamed appends the full definition of the record, enum or fixed s.
func (s *Schema) writeNamed(b *strings.Builder, seen map[string]bool) {
	b.WriteString(`{"name":`)
	writeJSONString(b, s.FullName)
	b.WriteString(`,"type":`)
	writeJSONString(b, s.Kind.String())
	switch s.Kind {
	case Record:
		b.WriteString(`,"fields":[`)
		for i, f := range s.Fields {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"name":`)
			writeJSONString(b, f.Name)
			b.WriteString(`,"type":`)
			f.Type.writeCanonical(b, seen)
			b.WriteByte('}')
		}
		b.WriteByte(']')
	case Enum:
		b.WriteString(`,"symbols":[`)
		for i, sym := range s.Symbols {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, sym)
		}
		b.WriteByte(']')
	case Fixed:
		b.WriteString(`,"size":`)
		b.WriteString(strconv.Itoa(s.Size))
	}
	b.WriteByte('}')
}

const hexDigits = "0123456789ABCDEF"

// writeJSONString appends v as a JSON string with only the escapes JSON
// requires: quotation mark, reverse solidus and the control characters
// U+0000 to U+001F, the latter as \b, \t, \n, \f, \r or \u00XX, the way
// Jackson (Java Avro's JSON writer) writes them. Everything else, non-ASCII
// included, is written as is (UTF-8).
//
// Java's SchemaNormalization writes names unescaped; the two agree on every
// string a valid schema can put in its canonical form, since names and
// symbols are limited to [A-Za-z0-9_] and dots.
func writeJSONString(b *strings.Builder, v string) {
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b.WriteString(v[start:i])
		start = i + 1
		switch c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		default:
			b.WriteString(`\u00`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xF])
		}
	}
	b.WriteString(v[start:])
	b.WriteByte('"')
}
