package schema

import (
	"slices"
	"strings"

	"github.com/tonga-go/tonga/internal/diag"
)

// Set is a compiled set of schemas: every document's top-level schema, and
// every named type they define, with references resolved.
type Set struct {
	// Roots holds each document's top-level schema, in document order.
	Roots []*Schema
	// RootDocs holds the document each root came from.
	RootDocs []*Document
	// Named holds every named type, sorted by full name.
	Named  []*Schema
	byName map[string]*Schema
}

// Lookup returns the named type with the given full name, or nil.
func (s *Set) Lookup(fullName string) *Schema { return s.byName[fullName] }

// Compile builds, resolves and validates the schemas of docs. Problems are
// returned as a *diag.Error holding every diagnostic found; the Set is
// returned only when there are none.
func Compile(docs []*Document) (*Set, error) { return compile(docs, true) }

// CompileWriter compiles the schema some data was written with, as a
// container header or a registry gives it at run time: the Avro rules
// apply, but not the reader's (defaults are not checked, since a writer
// never reads them) nor Tonga's envelope rules.
func CompileWriter(docs []*Document) (*Set, error) { return compile(docs, false) }

func compile(docs []*Document, reader bool) (*Set, error) {
	var diags diag.List
	set := &Set{byName: map[string]*Schema{}}
	var refs []*Schema
	for _, d := range docs {
		b := &builder{diags: &diags, file: d.Path}
		root := b.schema(d.Root, "")
		root.root = true
		set.Roots = append(set.Roots, root)
		set.RootDocs = append(set.RootDocs, d)
		for _, s := range b.defined {
			if first := set.byName[s.FullName]; first != nil {
				diags.Addf(s.Pos, "duplicate definition of %s; it is first defined at %s (a full name may be defined once across all schema files)", s.FullName, first.Pos)
				continue
			}
			set.byName[s.FullName] = s
			set.Named = append(set.Named, s)
		}
		refs = append(refs, b.refs...)
	}
	for _, r := range refs {
		resolveRef(set, r, &diags)
	}
	for i := range set.Roots {
		set.Roots[i] = deref(set.Roots[i])
	}
	for _, s := range set.Named {
		derefChildren(s)
	}
	for _, r := range set.Roots {
		derefChildren(r)
	}
	slices.SortFunc(set.Named, func(a, b *Schema) int { return strings.Compare(a.FullName, b.FullName) })
	validate(set, &diags, reader)
	if err := diags.Err(); err != nil {
		return nil, err
	}
	return set, nil
}

// resolveRef points the reference r at its definition, looking the name up
// in the reference's namespace first and as written second.
func resolveRef(set *Set, r *Schema, diags *diag.List) {
	name := r.ref
	def := set.byName[qualify(name, r.Namespace)]
	if def == nil {
		def = set.byName[name]
	}
	if def == nil {
		msg := "unknown type " + quote(name)
		if r.Namespace != "" && !strings.Contains(name, ".") {
			msg += " (looked for " + quote(qualify(name, r.Namespace)) + " and " + quote(name) + ")"
		}
		if near := nearest(set, qualify(name, r.Namespace), name); near != "" {
			msg += "; did you mean " + quote(near) + "?"
		} else {
			msg += "; define it in one of the schema files, or name the file that defines it"
		}
		diags.Addf(r.Pos, "%s", msg)
		return
	}
	r.Items = def // the resolved target, read by deref
}

func quote(s string) string { return `"` + s + `"` }

// deref returns the definition a Ref points at, s itself otherwise. An
// unresolved Ref becomes a null schema; its diagnostic is already recorded.
func deref(s *Schema) *Schema {
	if s.Kind != Ref {
		return s
	}
	if s.Items == nil {
		return &Schema{Kind: Null, Pos: s.Pos, file: s.file, broken: true}
	}
	return s.Items
}

// derefChildren replaces the Ref children of s, and of its anonymous
// children, by their definitions. Named children are handled when the loop
// in Compile reaches them.
func derefChildren(s *Schema) {
	fix := func(p **Schema) {
		*p = deref(*p)
		if !(*p).Kind.Named() {
			derefChildren(*p)
		}
	}
	for _, f := range s.Fields {
		fix(&f.Type)
	}
	switch s.Kind {
	case Array:
		fix(&s.Items)
	case Map:
		fix(&s.Values)
	case Union:
		for i := range s.Branches {
			fix(&s.Branches[i])
		}
	}
}

// nearest returns the known full name closest to the names tried, when it
// is close enough to be a likely typo.
func nearest(set *Set, tried ...string) string {
	best, bestDist := "", 1<<30
	for _, s := range set.Named {
		for _, t := range tried {
			for _, cand := range []string{s.FullName, s.Name()} {
				d := editDistance(strings.ToLower(t), strings.ToLower(cand))
				if d < bestDist {
					best, bestDist = s.FullName, d
				}
			}
		}
	}
	limit := max(2, len(tried[len(tried)-1])/3)
	if bestDist > limit {
		return ""
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
