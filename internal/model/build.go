package model

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/tonga-go/tonga/internal/diag"
	"github.com/tonga-go/tonga/internal/resolve"
	"github.com/tonga-go/tonga/internal/schema"
)

// GoNameAttr is the schema and field attribute that sets a Go name
// explicitly, the fix for a clash.
const GoNameAttr = "go.name"

// VersionAttr is the record attribute that sets the schema_version its
// constructor writes.
const VersionAttr = "tonga.version"

type builder struct {
	set   *schema.Set
	opts  Options
	diags diag.List
	// types maps each named schema that has a Go declaration to it, and
	// order lists them sorted by full name.
	byschema map[*schema.Schema]*Type
	types    []*Type
	files    map[string]*File
	// idents records every package-level identifier with what declared it.
	idents map[string]origin
}

type origin struct {
	what string
	pos  diag.Pos
}

func newBuilder(set *schema.Set, opts Options) *builder {
	return &builder{
		set:      set,
		opts:     opts,
		byschema: map[*schema.Schema]*Type{},
		files:    map[string]*File{},
		idents:   map[string]origin{},
	}
}

// claim records that what, written at pos, declares the package-level
// identifier id, and reports a clash with an earlier claim.
func (b *builder) claim(id, what string, pos diag.Pos) bool {
	if first, dup := b.idents[id]; dup {
		b.diags.Addf(pos, "%s maps to the Go name %s, which %s (%s) already uses; set a %q attribute on one of them",
			what, id, first.what, first.pos, GoNameAttr)
		return false
	}
	b.idents[id] = origin{what, pos}
	return true
}

// goName returns the go.name attribute of a schema or field, or the
// exported form of name.
func (b *builder) goName(attr *schema.Node, name string) string {
	if attr != nil {
		if attr.Kind == schema.StringNode && isIdent(attr.Text) {
			return attr.Text
		}
		b.diags.Addf(attr.Pos, "%q must be an exported Go identifier", GoNameAttr)
	}
	return exported(name)
}

func isIdent(s string) bool {
	return s != "" && exported(s) == s && !strings.ContainsAny(s, ".-")
}

// declare names every named type and the package-level identifiers
// derived from it.
func (b *builder) declare() {
	for _, s := range b.set.Named {
		if declares(s) {
			b.declareType(s)
		}
	}
	b.claim("Schemas", "the package's Schemas function", diag.Pos{})
	b.claim("RegisterHandlers", "the package's RegisterHandlers function", diag.Pos{})
}

// declares reports whether s gets a Go declaration of its own: fixed types
// with decimal or duration logical types are Go values (*big.Rat,
// tonga.Duration), and result error records share tonga.ResultError.
func declares(s *schema.Schema) bool {
	switch {
	case s.Kind == schema.Fixed && (s.Logical == schema.Decimal || s.Logical == schema.DurationLogical):
		return false
	case schema.IsResultError(s):
		return false
	}
	return true
}

func (b *builder) declareType(s *schema.Schema) {
	t := &Type{Schema: s, GoName: b.goName(s.Prop(GoNameAttr), s.Name())}
	what := fmt.Sprintf("%s %s", s.Kind, s.FullName)
	// Names derived from a clashing type name would only repeat the clash.
	derived := b.claim(t.GoName, what, s.Pos)
	t.SchemaVar = unexported(t.GoName) + "Schema"
	switch s.Kind {
	case schema.Enum:
		t.Kind = EnumType
		t.SymbolsVar = unexported(t.GoName) + "Symbols"
		t.Parse = "Parse" + t.GoName
		if derived {
			b.claim(t.Parse, "the parse function of "+what, s.Pos)
		}
		for _, sym := range s.Symbols {
			c := Symbol{Avro: sym, GoName: t.GoName + exported(sym)}
			if derived {
				b.claim(c.GoName, fmt.Sprintf("symbol %s of enum %s", sym, s.FullName), s.Pos)
			}
			t.Symbols = append(t.Symbols, c)
		}
	case schema.Fixed:
		t.Kind = FixedType
	case schema.Record:
		t.Kind = RecordType
		t.Tonga, _ = schema.KindOf(s)
		t.Constructor = "New" + t.GoName
		if derived {
			b.claim(t.Constructor, "the constructor of "+what, s.Pos)
		}
		if t.Tonga != schema.KindNone {
			b.declareTonga(t, what, derived)
		}
	}
	t.Canonical = s.Canonical()
	t.Fingerprint = schema.Fingerprint64([]byte(t.Canonical))
	t.JSON = s.JSON()
	b.byschema[s] = t
	b.types = append(b.types, t)
}

func (b *builder) declareTonga(t *Type, what string, derived bool) {
	s := t.Schema
	t.ChildConstructor = t.Constructor + "From"
	switch t.Tonga {
	case schema.KindEvent:
		t.Handler, t.HandlerMethod = t.GoName+"Handler", "Handle"+t.GoName
	case schema.KindCommand:
		t.Handler, t.HandlerMethod = t.GoName+"Executor", "Execute"+t.GoName
	case schema.KindResult:
		t.Handler, t.HandlerMethod = t.GoName+"Receiver", "On"+t.GoName
	}
	t.HandlerFunc = t.Handler + "Func"
	t.Register = "Register" + t.Handler
	for _, id := range []string{t.ChildConstructor, t.Handler, t.HandlerFunc, t.Register} {
		if derived {
			b.claim(id, "the generated API of "+what, s.Pos)
		}
	}
	t.SchemaVersion = "0.0.0"
	if v := s.Prop(VersionAttr); v != nil {
		if v.Kind == schema.StringNode {
			t.SchemaVersion = v.Text
		} else {
			b.diags.Addf(v.Pos, "%q must be a string such as \"1.2.0\"", VersionAttr)
		}
	}
}

// fill builds the fields, Go types and unions of every declared type.
func (b *builder) fill() {
	for _, t := range b.types {
		f := b.file(t.Schema)
		f.Types = append(f.Types, t)
		if t.Kind == RecordType {
			b.fields(t, f)
		}
	}
	for _, f := range b.files {
		slices.SortFunc(f.Types, func(x, y *Type) int { return x.Schema.Pos.Compare(y.Schema.Pos) })
	}
	for _, t := range b.types {
		t.MinSize = minSize(&GoType{Kind: GoNamed, Named: t, Schema: t.Schema}, map[*Type]bool{})
	}
	b.writers()
}

// writers attaches each older record version to the current type of the
// same full name (or one of its aliases) with the plan that reads it.
func (b *builder) writers() {
	for _, v := range b.opts.Versions {
		for _, old := range v.Roots {
			if old.Kind != schema.Record {
				continue
			}
			t := b.current(old)
			if t == nil {
				b.diags.Addf(old.Pos, "older version of record %s has no current record of that name or alias to be read as", old.FullName)
				continue
			}
			fp := old.Fingerprint()
			if fp == t.Fingerprint || slices.ContainsFunc(t.Writers, func(w *Writer) bool { return w.Fingerprint == fp }) {
				continue // the current schema, or a version already kept
			}
			plan, err := resolve.Build(old, t.Schema)
			if err != nil {
				b.diags.Addf(old.Pos, "this older version of %s cannot be read as the current one (%s): %v", old.FullName, t.Schema.Pos, err)
				continue
			}
			t.Writers = append(t.Writers, &Writer{Schema: old, Plan: plan, Fingerprint: fp, JSON: old.JSON()})
		}
	}
	for _, t := range b.types {
		slices.SortFunc(t.Writers, func(x, y *Writer) int { return compareStrings(x.Schema.Pos.File, y.Schema.Pos.File) })
	}
}

func (b *builder) current(old *schema.Schema) *Type {
	for _, t := range b.types {
		if t.Kind == RecordType && (t.Schema.FullName == old.FullName || slices.Contains(t.Schema.Aliases, old.FullName)) {
			return t
		}
	}
	return nil
}

func (b *builder) file(s *schema.Schema) *File {
	src, ok := b.opts.Sources[s.File()]
	if !ok {
		base := strings.TrimSuffix(path.Base(s.File()), path.Ext(s.File()))
		src = SourceName{Header: s.File(), File: strings.TrimSuffix(base, ".avsc") + ".tonga.go"}
	}
	f := b.files[src.File]
	if f == nil {
		f = &File{Name: src.File, Source: src.Header}
		b.files[src.File] = f
	}
	return f
}

// recordMethods are the methods every generated record has; envelope
// methods and fields come with tonga.Envelope.
var (
	recordMethods   = []string{"AvroSchema", "AppendAvro", "MarshalAvro", "UnmarshalAvro", "DecodeAvro"}
	envelopeMembers = []string{"Envelope", "TongaEnvelope", "Time", "SetTime", "IsRoot", "Inherit"}
)

func (b *builder) fields(t *Type, f *File) {
	s := t.Schema
	envelope := map[string]bool{}
	if t.Tonga != schema.KindNone {
		for _, n := range schema.EnvelopeFields(schema.KindEvent) {
			envelope[n] = true
		}
	}
	taken := map[string]string{}
	reserve := func(names []string, what string) {
		for _, n := range names {
			taken[n] = what
		}
	}
	reserve(recordMethods, "a generated method")
	if t.Tonga != schema.KindNone {
		reserve(envelopeMembers, "a member of the embedded tonga.Envelope")
	}
	if t.Tonga == schema.KindCommand {
		reserve([]string{"TongaGuarantee"}, "a generated method")
	}
	for _, sf := range s.Fields {
		fd := &Field{Schema: sf, Envelope: envelope[sf.Name]}
		fd.GoName = b.goName(sf.Prop(GoNameAttr), sf.Name)
		if fd.Envelope {
			fd.GoName = envelopeGoNames[sf.Name]
		}
		if what, clash := taken[fd.GoName]; clash {
			b.diags.Addf(sf.Pos, "field %q of record %s maps to the Go name %s, which clashes with %s; set a %q attribute on the field",
				sf.Name, s.FullName, fd.GoName, what, GoNameAttr)
		}
		taken[fd.GoName] = fmt.Sprintf("field %q", sf.Name)
		if fd.Envelope && sf.Name == "context" {
			fd.Type = &GoType{Kind: GoContext, Schema: sf.Type}
		} else {
			fd.Type = b.goType(sf.Type, t.GoName+fd.GoName, f, fmt.Sprintf("field %s of %s", sf.Name, s.FullName), sf.TypePos)
		}
		t.Fields = append(t.Fields, fd)
	}
}
