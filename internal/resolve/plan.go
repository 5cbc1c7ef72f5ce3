// Package resolve implements Avro schema resolution (specification,
// "Schema Resolution"): given the schema data was written with and the
// schema a program reads it with, it works out once how every writer value
// becomes a reader value — promotions, writer-only fields skipped,
// reader-only fields filled from defaults, enum symbols mapped, union
// branches matched, aliases honoured — and reports what cannot be read.
//
// A [Plan] is that decision as data. [Compile] turns it into a transcoder
// that rewrites writer bytes as reader bytes at run time; the generator
// walks the same plans to emit resolving decoders ahead of time. [Check]
// reports every incompatibility of a pair, for `tongagen validate --compat`.
package resolve

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tonga-go/tonga/internal/schema"
	"github.com/tonga-go/tonga/runtime/tonga"
)

// Op is what a plan node does with one writer value.
type Op int

// The plan operations.
const (
	// OpSame: writer and reader types are identical; the value is copied.
	OpSame Op = iota
	// OpPromote: a primitive promoted (int→long, float or double;
	// long→float or double; float→double; string↔bytes).
	OpPromote
	// OpRecord: fields matched by name and alias.
	OpRecord
	// OpEnum: symbols mapped by name, unknown ones to the reader's default.
	OpEnum
	// OpArray and OpMap: items or values resolved by Elem.
	OpArray
	OpMap
	// OpToUnion: a non-union writer read into the reader union's branch
	// Branch, resolved by Elem.
	OpToUnion
	// OpFromUnion: a writer union; Branches holds one plan per writer
	// branch (OpToUnion ones when the reader is a union too).
	OpFromUnion
	// OpFail: no reader value exists for this writer value; reading it is
	// an error (Err says why). Only reachable inside an OpFromUnion branch
	// or an enum symbol, which the data may never use.
	OpFail
)

// Plan says how a value written with Writer is read as Reader.
type Plan struct {
	Op             Op
	Writer, Reader *schema.Schema
	// Fields lists a record's writer fields in writer order: matched ones
	// with their plan, writer-only ones with a nil Reader (skipped).
	Fields []*FieldPlan
	// Defaults lists the reader fields the writer lacks; each has a
	// default.
	Defaults []*schema.Field
	// Elem resolves array items, map values, or the branch of OpToUnion.
	Elem *Plan
	// Branch is the reader union branch of OpToUnion.
	Branch int
	// Branches resolves each writer branch of OpFromUnion.
	Branches []*Plan
	// EnumMap maps each writer symbol's index to the reader's, -1 for a
	// symbol the reader lacks and has no default for.
	EnumMap []int
	// Err is why OpFail cannot read the value.
	Err string
}

// FieldPlan is one writer field of a record plan.
type FieldPlan struct {
	Writer *schema.Field
	// Reader is the matching reader field, nil when the reader has none.
	Reader *schema.Field
	// ReaderIndex is Reader's position in the reader record.
	ReaderIndex int
	Plan        *Plan
}

// Problem is one incompatibility between a writer and a reader schema.
type Problem struct {
	// Path locates the value: "tonga.waiter.event.CoffeeOrdered.amount".
	Path string
	// Writer and Reader describe the two types at Path.
	Writer, Reader string
	Reason         string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s: %s (writer %s, reader %s)", p.Path, p.Reason, p.Writer, p.Reader)
}

// IncompatibleError is returned when data written with one schema cannot
// be read with another.
type IncompatibleError struct {
	Writer, Reader string // the schemas' names or types
	Problems       []Problem
}

// Unwrap returns tonga.ErrIncompatible, the condition callers branch on.
func (e *IncompatibleError) Unwrap() error { return tonga.ErrIncompatible }

func (e *IncompatibleError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "resolve: data written as %s cannot be read as %s: ", e.Writer, e.Reader)
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

type pair struct{ w, r *schema.Schema }

type planner struct {
	memo     map[pair]*Plan
	problems []Problem
	// inUnion counts the writer unions being resolved: a failure inside
	// one is a problem only if the data takes that branch, which Check
	// still reports and Build accepts.
	inUnion int
}

// Build plans how data written with writer is read as reader. It fails
// when no writer value could ever be read (a record field without a
// default, a type mismatch outside a union); failures that depend on the
// data (a writer union branch or an enum symbol the reader lacks) become
// OpFail nodes that error only if the data uses them.
func Build(writer, reader *schema.Schema) (*Plan, error) {
	p := &planner{memo: map[pair]*Plan{}}
	plan := p.plan(writer, reader, name(reader))
	var hard []Problem
	for _, pr := range p.problems {
		if !strings.HasPrefix(pr.Reason, soft) {
			hard = append(hard, pr)
		}
	}
	if len(hard) > 0 {
		return nil, &IncompatibleError{Writer: describe(writer), Reader: describe(reader), Problems: hard}
	}
	return plan, nil
}

// Check returns every incompatibility of the pair, including those that
// depend on the data, or nil when all writer data can be read.
func Check(writer, reader *schema.Schema) error {
	p := &planner{memo: map[pair]*Plan{}}
	p.plan(writer, reader, name(reader))
	if len(p.problems) == 0 {
		return nil
	}
	return &IncompatibleError{Writer: describe(writer), Reader: describe(reader), Problems: p.problems}
}

// soft prefixes the reasons of problems that only the data can trigger.
const soft = "if the data holds "

func (p *planner) fail(path string, w, r *schema.Schema, format string, args ...any) *Plan {
	reason := fmt.Sprintf(format, args...)
	if p.inUnion > 0 && !strings.HasPrefix(reason, soft) {
		reason = soft + "this branch, " + reason
	}
	p.problems = append(p.problems, Problem{Path: path, Writer: describe(w), Reader: describe(r), Reason: reason})
	return &Plan{Op: OpFail, Writer: w, Reader: r, Err: fmt.Sprintf("%s: %s", path, reason)}
}

func (p *planner) plan(w, r *schema.Schema, path string) *Plan {
	key := pair{w, r}
	if done, ok := p.memo[key]; ok {
		return done // a recursive type: the plan being built
	}
	if identical(w, r) {
		return &Plan{Op: OpSame, Writer: w, Reader: r}
	}
	if w.Kind == schema.Union {
		return p.fromUnion(w, r, path)
	}
	if r.Kind == schema.Union {
		return p.toUnion(w, r, path)
	}
	switch {
	case w.Kind == r.Kind && w.Kind.Primitive():
		return &Plan{Op: OpSame, Writer: w, Reader: r}
	case w.Kind.Primitive() && r.Kind.Primitive():
		if promotable(w.Kind, r.Kind) {
			return &Plan{Op: OpPromote, Writer: w, Reader: r}
		}
		return p.fail(path, w, r, "%s cannot be read as %s", w.Kind, r.Kind)
	case w.Kind != r.Kind:
		return p.fail(path, w, r, "a %s cannot be read as a %s", w.Kind, r.Kind)
	}
	switch w.Kind {
	case schema.Record:
		return p.record(w, r, path)
	case schema.Enum:
		return p.enum(w, r, path)
	case schema.Fixed:
		if !sameName(w, r) {
			return p.fail(path, w, r, "fixed %s is not %s (names differ and no alias matches)", w.FullName, r.FullName)
		}
		if w.Size != r.Size {
			return p.fail(path, w, r, "fixed sizes differ: %d and %d bytes", w.Size, r.Size)
		}
		return &Plan{Op: OpSame, Writer: w, Reader: r}
	case schema.Array:
		plan := &Plan{Op: OpArray, Writer: w, Reader: r}
		p.memo[key] = plan
		plan.Elem = p.plan(w.Items, r.Items, path+"[]")
		return plan
	default: // map
		plan := &Plan{Op: OpMap, Writer: w, Reader: r}
		p.memo[key] = plan
		plan.Elem = p.plan(w.Values, r.Values, path+"{}")
		return plan
	}
}

// identical reports whether w and r have the same canonical form: values
// then read as they were written, whatever their type.
func identical(w, r *schema.Schema) bool {
	switch {
	case w == r:
		return true
	case w.Kind != r.Kind:
		return false
	case w.Kind.Primitive():
		return true
	}
	return w.Canonical() == r.Canonical()
}

// promotable lists the specification's promotions.
func promotable(w, r schema.Kind) bool {
	switch w {
	case schema.Int:
		return r == schema.Long || r == schema.Float || r == schema.Double
	case schema.Long:
		return r == schema.Float || r == schema.Double
	case schema.Float:
		return r == schema.Double
	case schema.String:
		return r == schema.Bytes
	case schema.Bytes:
		return r == schema.String
	}
	return false
}

// sameName reports whether named types match: the same full name, or the
// writer's full name among the reader's aliases. As Java does, the
// unqualified names also match when the namespaces differ.
func sameName(w, r *schema.Schema) bool {
	return w.FullName == r.FullName || slices.Contains(r.Aliases, w.FullName) || w.Name() == r.Name()
}

func (p *planner) record(w, r *schema.Schema, path string) *Plan {
	if !sameName(w, r) {
		return p.fail(path, w, r, "record %s is not %s (names differ and no alias matches)", w.FullName, r.FullName)
	}
	plan := &Plan{Op: OpRecord, Writer: w, Reader: r}
	p.memo[pair{w, r}] = plan
	used := make([]bool, len(r.Fields))
	for _, wf := range w.Fields {
		fp := &FieldPlan{Writer: wf, ReaderIndex: -1}
		if i := readerField(r, wf.Name); i >= 0 {
			fp.Reader, fp.ReaderIndex, used[i] = r.Fields[i], i, true
			fp.Plan = p.plan(wf.Type, r.Fields[i].Type, path+"."+r.Fields[i].Name)
		}
		plan.Fields = append(plan.Fields, fp)
	}
	for i, rf := range r.Fields {
		if used[i] {
			continue
		}
		if rf.Default == nil {
			p.fail(path+"."+rf.Name, nil, rf.Type, "the reader's field %q is not in the writer's schema and has no default; give it a default", rf.Name)
			continue
		}
		plan.Defaults = append(plan.Defaults, rf)
	}
	return plan
}

// readerField finds the reader field that reads the writer field named n:
// by name, then by the reader field's aliases.
func readerField(r *schema.Schema, n string) int {
	for i, f := range r.Fields {
		if f.Name == n {
			return i
		}
	}
	for i, f := range r.Fields {
		if slices.Contains(f.Aliases, n) {
			return i
		}
	}
	return -1
}

func (p *planner) enum(w, r *schema.Schema, path string) *Plan {
	if !sameName(w, r) {
		return p.fail(path, w, r, "enum %s is not %s (names differ and no alias matches)", w.FullName, r.FullName)
	}
	plan := &Plan{Op: OpEnum, Writer: w, Reader: r, EnumMap: make([]int, len(w.Symbols))}
	var missing []string
	for i, sym := range w.Symbols {
		j := slices.Index(r.Symbols, sym)
		if j < 0 && r.HasEnumDefault {
			j = slices.Index(r.Symbols, r.EnumDefault)
		}
		if j < 0 {
			missing = append(missing, sym)
		}
		plan.EnumMap[i] = j
	}
	if len(missing) > 0 {
		p.fail(path, w, r, "%sthe symbol %s, which the reader's enum lacks and has no default for", soft, strings.Join(missing, ", "))
	}
	return plan
}

func (p *planner) fromUnion(w, r *schema.Schema, path string) *Plan {
	plan := &Plan{Op: OpFromUnion, Writer: w, Reader: r}
	p.memo[pair{w, r}] = plan
	p.inUnion++
	for _, br := range w.Branches {
		plan.Branches = append(plan.Branches, p.plan(br, r, path))
	}
	p.inUnion--
	return plan
}

func (p *planner) toUnion(w, r *schema.Schema, path string) *Plan {
	i := matchBranch(w, r)
	if i < 0 {
		return p.fail(path, w, r, "no branch of the reader's union %s can hold a %s", describe(r), describe(w))
	}
	plan := &Plan{Op: OpToUnion, Writer: w, Reader: r, Branch: i}
	p.memo[pair{w, r}] = plan
	plan.Elem = p.plan(w, r.Branches[i], path)
	return plan
}

// matchBranch picks the reader union's branch for a writer type: the first
// of the same type (and name, for named types), else the first the writer
// type promotes to, else the first named type an alias or short name
// matches.
func matchBranch(w *schema.Schema, r *schema.Schema) int {
	for i, br := range r.Branches {
		if br.Kind == w.Kind && (!w.Kind.Named() || br.FullName == w.FullName) {
			return i
		}
	}
	for i, br := range r.Branches {
		if w.Kind.Primitive() && br.Kind.Primitive() && promotable(w.Kind, br.Kind) {
			return i
		}
	}
	for i, br := range r.Branches {
		if w.Kind.Named() && br.Kind == w.Kind && sameName(w, br) {
			return i
		}
	}
	return -1
}

// name is the path root for messages: a named type's full name.
func name(s *schema.Schema) string {
	if s.Kind.Named() {
		return s.FullName
	}
	return s.Kind.String()
}

// describe renders a type for messages.
func describe(s *schema.Schema) string {
	if s == nil {
		return "(absent)"
	}
	switch s.Kind {
	case schema.Record, schema.Enum, schema.Fixed:
		return s.Kind.String() + " " + s.FullName
	case schema.Array:
		return "array of " + describe(s.Items)
	case schema.Map:
		return "map of " + describe(s.Values)
	case schema.Union:
		parts := make([]string, len(s.Branches))
		for i, b := range s.Branches {
			parts[i] = name(b)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return s.Kind.String()
}
