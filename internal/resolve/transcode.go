package resolve

import (
	"fmt"

	"github.com/tonga-go/tonga/internal/schema"
	"github.com/tonga-go/tonga/runtime/avrobin"
	"github.com/tonga-go/tonga/runtime/tonga"
)

// ErrUnresolvable is wrapped by the error a Transcoder returns when the
// data holds a value the reader's schema has no place for: a writer union
// branch or an enum symbol that Build could only accept conditionally.
// It is tonga.ErrIncompatible, which generated resolving decoders use too.
var ErrUnresolvable = tonga.ErrIncompatible

// Transcoder rewrites values written with one schema into the binary
// encoding of another, following a Plan. It is safe for concurrent use.
type Transcoder struct {
	plan *Plan
	run  *step
}

// state is one transcoding run: the writer data, its reader, the output.
type state struct {
	data []byte
	r    avrobin.Reader
	out  []byte
}

type step func(s *state)

// Compile builds the transcoder from writer to reader, or returns the
// *IncompatibleError of Build.
func Compile(writer, reader *schema.Schema) (*Transcoder, error) {
	plan, err := Build(writer, reader)
	if err != nil {
		return nil, err
	}
	c := &compiler{steps: map[*Plan]*step{}, skips: map[*schema.Schema]*step{}}
	return &Transcoder{plan: plan, run: c.step(plan)}, nil
}

// Plan returns the plan the transcoder follows.
func (t *Transcoder) Plan() *Plan { return t.plan }

// Transcode reads exactly one writer value from data and appends its
// reader encoding to dst. Corrupt data gives an error wrapping
// avrobin.ErrCorrupt; a value the reader cannot hold, ErrUnresolvable.
func (t *Transcoder) Transcode(dst, data []byte) ([]byte, error) {
	s := &state{data: data, out: dst}
	s.r.Reset(data)
	(*t.run)(s)
	if err := s.r.Finish(); err != nil {
		return dst, err
	}
	return s.out, nil
}

type compiler struct {
	steps map[*Plan]*step
	skips map[*schema.Schema]*step
}

// step returns the step of plan p, creating it once; the pointer lets
// recursive plans refer to a step before it is built.
func (c *compiler) step(p *Plan) *step {
	if st, ok := c.steps[p]; ok {
		return st
	}
	st := new(step)
	c.steps[p] = st
	*st = c.build(p)
	return st
}

func (c *compiler) build(p *Plan) step {
	switch p.Op {
	case OpSame:
		skip := c.skip(p.Writer)
		return func(s *state) {
			start := s.r.Offset()
			(*skip)(s)
			if s.r.Err() == nil {
				s.out = append(s.out, s.data[start:s.r.Offset()]...)
			}
		}
	case OpPromote:
		return promote(p.Writer.Kind, p.Reader.Kind)
	case OpRecord:
		return c.record(p)
	case OpEnum:
		return enumStep(p)
	case OpArray, OpMap:
		return c.blocks(p)
	case OpToUnion:
		elem := c.step(p.Elem)
		return func(s *state) {
			s.out = avrobin.AppendUnionIndex(s.out, p.Branch)
			(*elem)(s)
		}
	case OpFromUnion:
		branches := make([]*step, len(p.Branches))
		for i, b := range p.Branches {
			branches[i] = c.step(b)
		}
		return func(s *state) {
			i := s.r.ReadUnionIndex(len(branches))
			if s.r.Err() == nil {
				(*branches[i])(s)
			}
		}
	default: // OpFail
		err := fmt.Errorf("%w: %s", ErrUnresolvable, p.Err)
		return func(s *state) { s.r.SetErr(err) }
	}
}

func promote(w, r schema.Kind) step {
	switch {
	case w == schema.Int && r == schema.Long, w == schema.String && r == schema.Bytes, w == schema.Bytes && r == schema.String:
		// The encodings are the same: copy the value's bytes.
		skip := map[schema.Kind]func(*avrobin.Reader){schema.Int: (*avrobin.Reader).SkipVarint, schema.String: (*avrobin.Reader).SkipBytes, schema.Bytes: (*avrobin.Reader).SkipBytes}[w]
		return func(s *state) {
			start := s.r.Offset()
			skip(&s.r)
			if s.r.Err() == nil {
				s.out = append(s.out, s.data[start:s.r.Offset()]...)
			}
		}
	case w == schema.Int && r == schema.Float:
		return func(s *state) { s.out = avrobin.AppendFloat(s.out, float32(s.r.ReadInt())) }
	case w == schema.Int && r == schema.Double:
		return func(s *state) { s.out = avrobin.AppendDouble(s.out, float64(s.r.ReadInt())) }
	case w == schema.Long && r == schema.Float:
		return func(s *state) { s.out = avrobin.AppendFloat(s.out, float32(s.r.ReadLong())) }
	case w == schema.Long && r == schema.Double:
		return func(s *state) { s.out = avrobin.AppendDouble(s.out, float64(s.r.ReadLong())) }
	default: // float → double
		return func(s *state) { s.out = avrobin.AppendDouble(s.out, float64(s.r.ReadFloat())) }
	}
}

func enumStep(p *Plan) step {
	n := len(p.Writer.Symbols)
	return func(s *state) {
		i := s.r.ReadEnum(n)
		if s.r.Err() != nil {
			return
		}
		j := p.EnumMap[i]
		if j < 0 {
			s.r.SetErr(fmt.Errorf("%w: enum %s: the writer's symbol %q is not in the reader's enum, which has no default",
				ErrUnresolvable, p.Reader.FullName, p.Writer.Symbols[i]))
			return
		}
		s.out = avrobin.AppendEnum(s.out, j)
	}
}

// record reads the writer's fields in writer order and writes the
// reader's in reader order. When the matched fields keep their relative
// order, defaults are written in between and no buffering is needed;
// otherwise each reader field is transcoded into a buffer first.
func (c *compiler) record(p *Plan) step {
	r := p.Reader
	defaults := make(map[int][]byte, len(p.Defaults))
	for _, f := range p.Defaults {
		defaults[index(r, f)] = encodeDefault(nil, f.Type, f.Default)
	}
	type fieldStep struct {
		reader int // -1: skip
		run    *step
	}
	fields := make([]fieldStep, len(p.Fields))
	inOrder, last := true, -1
	for i, fp := range p.Fields {
		if fp.Reader == nil {
			fields[i] = fieldStep{-1, c.skip(fp.Writer.Type)}
			continue
		}
		fields[i] = fieldStep{fp.ReaderIndex, c.step(fp.Plan)}
		inOrder = inOrder && fp.ReaderIndex > last
		last = max(last, fp.ReaderIndex)
	}
	nReader := len(r.Fields)
	if inOrder {
		return func(s *state) {
			next := 0 // the next reader field to write
			for _, f := range fields {
				if f.reader < 0 {
					(*f.run)(s)
					continue
				}
				for ; next < f.reader; next++ {
					s.out = append(s.out, defaults[next]...)
				}
				(*f.run)(s)
				next++
			}
			for ; next < nReader; next++ {
				s.out = append(s.out, defaults[next]...)
			}
		}
	}
	return func(s *state) {
		parts := make([][]byte, nReader)
		for i, d := range defaults {
			parts[i] = d
		}
		out := s.out
		for _, f := range fields {
			if f.reader < 0 {
				(*f.run)(s)
				continue
			}
			s.out = nil
			(*f.run)(s)
			parts[f.reader] = s.out
		}
		s.out = out
		for _, part := range parts {
			s.out = append(s.out, part...)
		}
	}
}

func index(r *schema.Schema, f *schema.Field) int {
	for i, rf := range r.Fields {
		if rf == f {
			return i
		}
	}
	return -1
}

// blocks transcodes an array or map one writer block at a time.
func (c *compiler) blocks(p *Plan) step {
	elem := c.step(p.Elem)
	isMap := p.Op == OpMap
	var min int
	if isMap {
		min = 1 + MinSize(p.Writer.Values)
	} else {
		min = MinSize(p.Writer.Items)
	}
	return func(s *state) {
		for n := s.r.ReadBlockLen(min); n > 0; n = s.r.ReadBlockLen(min) {
			s.out = avrobin.AppendBlockLen(s.out, n)
			for range n {
				if isMap {
					s.out = avrobin.AppendString(s.out, s.r.ReadString())
				}
				(*elem)(s)
				if s.r.Err() != nil {
					return
				}
			}
		}
		s.out = avrobin.AppendBlockEnd(s.out)
	}
}
