package avrojson

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"github.com/tonga-go/tonga/internal/schema"
	"github.com/tonga-go/tonga/runtime/avrobin"
)

// appendDefault appends the default value n of a field of type s. A
// default is written in Avro's form, not this package's: bytes and fixed
// are strings of code points 0-255, one per byte; logical types are their
// underlying type; a union's default is a value of its first branch.
func (e *encoder) appendDefault(b []byte, s *schema.Schema, n *schema.Node) ([]byte, error) {
	if n == nil {
		return b, e.path.errorf("no default value for %s", describe(s))
	}
	bad := func() ([]byte, error) {
		return b, e.path.errorf("invalid default %s for %s", renderNode(n), describe(s))
	}
	switch s.Kind {
	case schema.Null:
		if n.Kind != schema.NullNode {
			return bad()
		}
		return b, nil
	case schema.Boolean:
		if n.Kind != schema.BoolNode {
			return bad()
		}
		return avrobin.AppendBoolean(b, n.Bool), nil
	case schema.Int, schema.Long, schema.Float, schema.Double:
		if n.Kind != schema.NumberNode {
			return bad()
		}
		out, ok := appendNumberDefault(b, s.Kind, n.Text)
		if !ok {
			return bad()
		}
		return out, nil
	case schema.String:
		if n.Kind != schema.StringNode {
			return bad()
		}
		return avrobin.AppendString(b, n.Text), nil
	case schema.Bytes, schema.Fixed:
		p, ok := codePoints(n)
		switch {
		case !ok || s.Kind == schema.Fixed && len(p) != s.Size:
			return bad()
		case s.Kind == schema.Fixed:
			return avrobin.AppendFixed(b, p), nil
		}
		return avrobin.AppendBytes(b, p), nil
	case schema.Enum:
		i := -1
		if n.Kind == schema.StringNode {
			i = slices.Index(s.Symbols, n.Text)
		}
		if i < 0 {
			return bad()
		}
		return avrobin.AppendEnum(b, i), nil
	case schema.Union:
		if len(s.Branches) == 0 {
			return bad()
		}
		return e.appendDefault(avrobin.AppendUnionIndex(b, 0), s.Branches[0], n)
	case schema.Array, schema.Map, schema.Record:
		return e.appendContainerDefault(b, s, n)
	}
	return bad()
}

// appendNumberDefault appends the number literal lit as a value of kind k.
func appendNumberDefault(b []byte, k schema.Kind, lit string) ([]byte, bool) {
	switch k {
	case schema.Int:
		x, err := strconv.ParseInt(lit, 10, 32)
		return avrobin.AppendInt(b, int32(x)), err == nil
	case schema.Long:
		x, err := strconv.ParseInt(lit, 10, 64)
		return avrobin.AppendLong(b, x), err == nil
	case schema.Float:
		x, err := strconv.ParseFloat(lit, 32)
		return avrobin.AppendFloat(b, float32(x)), err == nil && !math.IsInf(x, 0)
	default:
		x, err := strconv.ParseFloat(lit, 64)
		return avrobin.AppendDouble(b, x), err == nil && !math.IsInf(x, 0)
	}
}

// codePoints returns the bytes of a bytes or fixed default: a string of
// code points 0-255.
func codePoints(n *schema.Node) ([]byte, bool) {
	if n.Kind != schema.StringNode {
		return nil, false
	}
	p := make([]byte, 0, len(n.Text))
	for _, r := range n.Text {
		if r > 0xff {
			return nil, false
		}
		p = append(p, byte(r))
	}
	return p, true
}

// appendContainerDefault appends the default of an array, map or record.
func (e *encoder) appendContainerDefault(b []byte, s *schema.Schema, n *schema.Node) ([]byte, error) {
	want := schema.ArrayNode
	if s.Kind != schema.Array {
		want = schema.ObjectNode
	}
	if n.Kind != want {
		return b, e.path.errorf("invalid default %s for %s", renderNode(n), describe(s))
	}
	if err := e.enter(); err != nil {
		return b, err
	}
	defer e.leave()
	var err error
	switch s.Kind {
	case schema.Array:
		b = avrobin.AppendBlockLen(b, len(n.Items))
		for i, item := range n.Items {
			e.path.index(i)
			b, err = e.appendDefault(b, s.Items, item)
			e.path.pop()
			if err != nil {
				return b, err
			}
		}
		return avrobin.AppendBlockEnd(b), nil
	case schema.Map:
		return e.appendMapDefault(b, s, n)
	}
	for _, f := range s.Fields {
		fv := n.Get(f.Name)
		if fv == nil {
			fv = f.Default // a field the default leaves out takes its own
		}
		if fv == nil {
			return b, e.path.errorf("the default of record %s leaves out field %q, which has no default", s.FullName, f.Name)
		}
		e.path.field(f.Name)
		b, err = e.appendDefault(b, f.Type, fv)
		e.path.pop()
		if err != nil {
			return b, err
		}
	}
	return b, nil
}

// appendMapDefault appends a map default with its keys sorted; of two
// members with one key the last wins, as in encoding/json.
func (e *encoder) appendMapDefault(b []byte, s *schema.Schema, n *schema.Node) ([]byte, error) {
	members := slices.Clone(n.Members)
	slices.SortStableFunc(members, func(x, y schema.Member) int { return cmp.Compare(x.Key, y.Key) })
	kept := members[:0]
	for i, m := range members {
		if i+1 == len(members) || members[i+1].Key != m.Key {
			kept = append(kept, m)
		}
	}
	b = avrobin.AppendBlockLen(b, len(kept))
	for _, m := range kept {
		b = avrobin.AppendString(b, m.Key)
		e.path.key(m.Key)
		var err error
		b, err = e.appendDefault(b, s.Values, m.Value)
		e.path.pop()
		if err != nil {
			return b, err
		}
	}
	return avrobin.AppendBlockEnd(b), nil
}

// renderNode shows a default value in a message.
func renderNode(n *schema.Node) string {
	switch n.Kind {
	case schema.NullNode:
		return "null"
	case schema.BoolNode:
		return strconv.FormatBool(n.Bool)
	case schema.NumberNode:
		return n.Text
	case schema.StringNode:
		return render(n.Text)
	case schema.ArrayNode:
		return "an array"
	}
	return "an object"
}
