package schema

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tonga-go/tonga/internal/diag"
)

// builder turns the nodes of one document into schemas. References to named
// types are left as Ref schemas and resolved once every document is built.
type builder struct {
	diags *diag.List
	file  string
	// defined collects named types in definition order.
	defined []*Schema
	// refs collects the Ref placeholders, with the namespace they appeared in.
	refs []*Schema
}

var primitives = map[string]Kind{
	"null": Null, "boolean": Boolean, "int": Int, "long": Long,
	"float": Float, "double": Double, "bytes": Bytes, "string": String,
}

// reserved lists the attributes the specification gives meaning to, per
// type; every other attribute of a schema object is kept as a Prop.
var reserved = map[string]bool{
	"type": true, "name": true, "namespace": true, "doc": true, "aliases": true,
	"fields": true, "symbols": true, "items": true, "values": true, "size": true,
	"logicalType": true, "precision": true, "scale": true,
}

// invalid returns the placeholder that stands for a schema with an error
// already reported; later checks skip it.
func (b *builder) invalid(pos diag.Pos) *Schema {
	return &Schema{Kind: Null, Pos: pos, file: b.file, broken: true}
}

func (b *builder) errorf(pos diag.Pos, format string, args ...any) {
	b.diags.Addf(pos, format, args...)
}

// schema builds the schema written at n, whose enclosing namespace is ns.
// It never returns nil: on error it returns a null schema so that later
// stages can go on and report more problems.
func (b *builder) schema(n *Node, ns string) *Schema {
	switch n.Kind {
	case StringNode:
		if k, ok := primitives[n.Text]; ok {
			return &Schema{Kind: k, Pos: n.Pos, file: b.file}
		}
		return b.ref(n, n.Text, ns)
	case ArrayNode:
		u := &Schema{Kind: Union, Pos: n.Pos, file: b.file}
		for _, item := range n.Items {
			u.Branches = append(u.Branches, b.schema(item, ns))
		}
		return u
	case ObjectNode:
		return b.object(n, ns)
	default:
		b.errorf(n.Pos, "expected a schema (a type name, an array for a union, or an object), found %s", n.Kind)
		return b.invalid(n.Pos)
	}
}

func (b *builder) ref(n *Node, name, ns string) *Schema {
	switch name {
	case "record", "enum", "fixed", "array", "map", "error":
		b.errorf(n.Pos, "%q is a complex type and needs an object: {\"type\": %q, ...}", name, name)
		return b.invalid(n.Pos)
	}
	if !validFullName(name) {
		b.errorf(n.Pos, "invalid type name %q: names start with a letter or _ and hold only letters, digits and _, with dots between namespace parts", name)
		return b.invalid(n.Pos)
	}
	r := &Schema{Kind: Ref, Pos: n.Pos, ref: name, Namespace: ns, file: b.file}
	b.refs = append(b.refs, r)
	return r
}

func (b *builder) object(n *Node, ns string) *Schema {
	t := n.Get("type")
	if t == nil {
		b.errorf(n.Pos, "schema object has no \"type\"")
		return b.invalid(n.Pos)
	}
	if t.Kind != StringNode {
		// {"type": {...}} and {"type": [...]} wrap another schema.
		return b.schema(t, ns)
	}
	var s *Schema
	switch t.Text {
	case "record", "error":
		s = b.record(n, ns)
	case "enum":
		s = b.enum(n, ns)
	case "fixed":
		s = b.fixed(n, ns)
	case "array":
		s = &Schema{Kind: Array, Pos: n.Pos, file: b.file, Items: b.required(n, "items", "array", ns)}
	case "map":
		s = &Schema{Kind: Map, Pos: n.Pos, file: b.file, Values: b.required(n, "values", "map", ns)}
	default:
		k, ok := primitives[t.Text]
		if !ok {
			b.errorf(t.Pos, "unknown type %q in a schema object; the \"type\" of an object is a primitive, record, enum, fixed, array or map (a named type is referenced by its name alone, not in an object)", t.Text)
			return b.invalid(n.Pos)
		}
		s = &Schema{Kind: k, Pos: n.Pos, file: b.file}
	}
	b.logical(n, s)
	for _, m := range n.Members {
		keep := !reserved[m.Key]
		switch m.Key {
		case "default":
			keep = s.Kind != Enum
		case "precision", "scale":
			// Attributes of an ignored decimal are kept as written.
			keep = s.Logical != Decimal
		}
		if keep {
			s.Props = append(s.Props, Prop{Key: m.Key, Value: m.Value})
		}
	}
	return s
}

func (b *builder) required(n *Node, key, what, ns string) *Schema {
	v := n.Get(key)
	if v == nil {
		b.errorf(n.Pos, "%s schema has no %q", what, key)
		return b.invalid(n.Pos)
	}
	return b.schema(v, ns)
}

// named reads the name, namespace, aliases and doc of a named type and
// registers its definition. It returns the namespace that encloses the
// type's own children.
func (b *builder) named(n *Node, s *Schema, ns string) string {
	s.file = b.file
	nameNode := n.Get("name")
	if nameNode == nil || nameNode.Kind != StringNode {
		b.errorf(n.Pos, "%s schema has no \"name\" string", s.Kind)
		s.FullName = "<anonymous>"
		return ns
	}
	name := nameNode.Text
	space := ns
	if nsNode := n.Get("namespace"); nsNode != nil {
		if nsNode.Kind == StringNode || nsNode.Kind == NullNode {
			space = nsNode.Text
		} else {
			b.errorf(nsNode.Pos, "namespace must be a string, found %s", nsNode.Kind)
		}
	}
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		space, name = name[:i], name[i+1:]
	}
	switch {
	case !validName(name):
		b.errorf(nameNode.Pos, "invalid name %q: a name starts with a letter or _ and holds only letters, digits and _", nameNode.Text)
	case primitives[name] != 0 || name == "null":
		b.errorf(nameNode.Pos, "invalid name %q: a primitive type name cannot name a %s", name, s.Kind)
	case space != "" && !validFullName(space):
		b.errorf(nameNode.Pos, "invalid namespace %q: dot-separated names, each starting with a letter or _", space)
	}
	s.Namespace = space
	s.FullName = qualify(name, space)
	s.Doc = b.doc(n)
	s.Aliases = b.aliases(n, space, true)
	b.defined = append(b.defined, s)
	return space
}

func (b *builder) doc(n *Node) string {
	d := n.Get("doc")
	if d == nil {
		return ""
	}
	if d.Kind != StringNode {
		b.errorf(d.Pos, "doc must be a string, found %s", d.Kind)
		return ""
	}
	return d.Text
}

func (b *builder) aliases(n *Node, space string, qualified bool) []string {
	a := n.Get("aliases")
	if a == nil {
		return nil
	}
	if a.Kind != ArrayNode {
		b.errorf(a.Pos, "aliases must be an array of names, found %s", a.Kind)
		return nil
	}
	var out []string
	for _, item := range a.Items {
		if item.Kind != StringNode || !validFullName(item.Text) || (!qualified && !validName(item.Text)) {
			b.errorf(item.Pos, "invalid alias: expected a name")
			continue
		}
		if qualified {
			out = append(out, qualify(item.Text, space))
		} else {
			out = append(out, item.Text)
		}
	}
	return out
}

func (b *builder) record(n *Node, ns string) *Schema {
	s := &Schema{Kind: Record, Pos: n.Pos}
	space := b.named(n, s, ns)
	fields := n.Get("fields")
	if fields == nil || fields.Kind != ArrayNode {
		b.errorf(n.Pos, "record %s needs \"fields\", an array (it may be empty)", s.FullName)
		return s
	}
	seen := map[string]diag.Pos{}
	for _, fn := range fields.Items {
		f := b.field(fn, space)
		if f == nil {
			continue
		}
		if first, dup := seen[f.Name]; dup {
			b.errorf(f.Pos, "duplicate field %q in record %s; first declared at %s", f.Name, s.FullName, first)
			continue
		}
		seen[f.Name] = f.Pos
		s.Fields = append(s.Fields, f)
	}
	return s
}

var fieldReserved = map[string]bool{"name": true, "type": true, "doc": true, "default": true, "order": true, "aliases": true}

func (b *builder) field(n *Node, ns string) *Field {
	if n.Kind != ObjectNode {
		b.errorf(n.Pos, "a record field must be an object with \"name\" and \"type\", found %s", n.Kind)
		return nil
	}
	nameNode := n.Get("name")
	if nameNode == nil || nameNode.Kind != StringNode {
		b.errorf(n.Pos, "record field has no \"name\" string")
		return nil
	}
	f := &Field{Name: nameNode.Text, Pos: nameNode.Pos, Doc: b.doc(n), Order: "ascending"}
	if !validName(f.Name) {
		b.errorf(nameNode.Pos, "invalid field name %q: a name starts with a letter or _ and holds only letters, digits and _", f.Name)
	}
	t := n.Get("type")
	if t == nil {
		b.errorf(nameNode.Pos, "field %q has no \"type\"", f.Name)
		f.Type = b.invalid(n.Pos)
	} else {
		f.Type, f.TypePos = b.schema(t, ns), t.Pos
	}
	f.Default = n.Get("default")
	f.Aliases = b.aliases(n, "", false)
	if o := n.Get("order"); o != nil {
		if o.Kind == StringNode && (o.Text == "ascending" || o.Text == "descending" || o.Text == "ignore") {
			f.Order = o.Text
		} else {
			b.errorf(o.Pos, "field %q: order must be \"ascending\", \"descending\" or \"ignore\"", f.Name)
		}
	}
	for _, m := range n.Members {
		if !fieldReserved[m.Key] {
			f.Props = append(f.Props, Prop{Key: m.Key, Value: m.Value})
		}
	}
	return f
}

func (b *builder) enum(n *Node, ns string) *Schema {
	s := &Schema{Kind: Enum, Pos: n.Pos}
	b.named(n, s, ns)
	syms := n.Get("symbols")
	if syms == nil || syms.Kind != ArrayNode {
		b.errorf(n.Pos, "enum %s needs \"symbols\", an array of names", s.FullName)
		return s
	}
	if len(syms.Items) == 0 {
		b.errorf(syms.Pos, "enum %s has no symbols; an enum needs at least one", s.FullName)
	}
	seen := map[string]bool{}
	for _, sym := range syms.Items {
		switch {
		case sym.Kind != StringNode || !validName(sym.Text):
			b.errorf(sym.Pos, "invalid enum symbol: a symbol starts with a letter or _ and holds only letters, digits and _")
		case seen[sym.Text]:
			b.errorf(sym.Pos, "duplicate symbol %q in enum %s", sym.Text, s.FullName)
		default:
			seen[sym.Text] = true
			s.Symbols = append(s.Symbols, sym.Text)
		}
	}
	if d := n.Get("default"); d != nil {
		if d.Kind != StringNode || !seen[d.Text] {
			b.errorf(d.Pos, "enum %s: default must be one of its symbols (%s)", s.FullName, strings.Join(s.Symbols, ", "))
		} else {
			s.EnumDefault, s.HasEnumDefault = d.Text, true
		}
	}
	return s
}

func (b *builder) fixed(n *Node, ns string) *Schema {
	s := &Schema{Kind: Fixed, Pos: n.Pos}
	b.named(n, s, ns)
	size := n.Get("size")
	v, ok := intValue(size)
	if !ok || v < 0 || v > 1<<30 {
		pos := n.Pos
		if size != nil {
			pos = size.Pos
		}
		b.errorf(pos, "fixed %s needs \"size\", a non-negative integer", s.FullName)
		return s
	}
	s.Size = int(v)
	return s
}

// intValue returns the value of an integer number node.
func intValue(n *Node) (int64, bool) {
	if n == nil || n.Kind != NumberNode {
		return 0, false
	}
	v, err := strconv.ParseInt(n.Text, 10, 64)
	return v, err == nil
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_', c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

func validFullName(s string) bool {
	for part := range strings.SplitSeq(s, ".") {
		if !validName(part) {
			return false
		}
	}
	return true
}

func qualify(name, space string) string {
	if space == "" || strings.Contains(name, ".") {
		return name
	}
	return space + "." + name
}

// describe renders a schema for a message: its full name for named types,
// its Avro type otherwise, e.g. `["null", "string"]` or `map<int>`.
func describe(s *Schema) string {
	switch s.Kind {
	case Record, Enum, Fixed:
		return s.FullName
	case Ref:
		return s.ref
	case Array:
		return "array<" + describe(s.Items) + ">"
	case Map:
		return "map<" + describe(s.Values) + ">"
	case Union:
		parts := make([]string, len(s.Branches))
		for i, br := range s.Branches {
			parts[i] = fmt.Sprintf("%q", describe(br))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	default:
		return s.Kind.String()
	}
}
