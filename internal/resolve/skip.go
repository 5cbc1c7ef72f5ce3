package resolve

import (
	"github.com/tonga-go/tonga/internal/schema"
)

// skip returns the step that reads past one value of w, whatever its
// type, using the byte sizes of array and map blocks when the writer gave
// them.
func (c *compiler) skip(w *schema.Schema) *step {
	if st, ok := c.skips[w]; ok {
		return st
	}
	st := new(step)
	c.skips[w] = st
	*st = c.buildSkip(w)
	return st
}

func (c *compiler) buildSkip(w *schema.Schema) step {
	switch w.Kind {
	case schema.Null:
		return func(*state) {}
	case schema.Boolean:
		return func(s *state) { s.r.ReadBoolean() }
	case schema.Int, schema.Long, schema.Enum:
		return func(s *state) { s.r.SkipVarint() }
	case schema.Float:
		return func(s *state) { s.r.Skip(4) }
	case schema.Double:
		return func(s *state) { s.r.Skip(8) }
	case schema.Bytes, schema.String:
		return func(s *state) { s.r.SkipBytes() }
	case schema.Fixed:
		size := w.Size
		return func(s *state) { s.r.Skip(size) }
	case schema.Record:
		fields := make([]*step, len(w.Fields))
		for i, f := range w.Fields {
			fields[i] = c.skip(f.Type)
		}
		return func(s *state) {
			for _, f := range fields {
				(*f)(s)
			}
		}
	case schema.Union:
		branches := make([]*step, len(w.Branches))
		for i, b := range w.Branches {
			branches[i] = c.skip(b)
		}
		return func(s *state) {
			i := s.r.ReadUnionIndex(len(branches))
			if s.r.Err() == nil {
				(*branches[i])(s)
			}
		}
	default:
		return c.skipBlocks(w)
	}
}

func (c *compiler) skipBlocks(w *schema.Schema) step {
	isMap := w.Kind == schema.Map
	var elem *step
	min := 0
	if isMap {
		elem, min = c.skip(w.Values), 1+MinSize(w.Values)
	} else {
		elem, min = c.skip(w.Items), MinSize(w.Items)
	}
	return func(s *state) {
		for {
			n, size := s.r.ReadBlockHeader(min)
			if n <= 0 {
				return
			}
			if size >= 0 {
				s.r.Skip(size)
				continue
			}
			for range n {
				if isMap {
					s.r.SkipBytes()
				}
				(*elem)(s)
				if s.r.Err() != nil {
					return
				}
			}
		}
	}
}

// MinSize returns the fewest bytes a value of s encodes to, the bound
// block counts are checked against. A record met again inside itself
// counts 0.
func MinSize(s *schema.Schema) int { return minSize(s, map[*schema.Schema]bool{}) }

func minSize(s *schema.Schema, visiting map[*schema.Schema]bool) int {
	switch s.Kind {
	case schema.Null:
		return 0
	case schema.Float:
		return 4
	case schema.Double:
		return 8
	case schema.Fixed:
		return s.Size
	case schema.Record:
		if visiting[s] {
			return 0
		}
		visiting[s] = true
		n := 0
		for _, f := range s.Fields {
			n += minSize(f.Type, visiting)
		}
		delete(visiting, s)
		return n
	}
	return 1
}
