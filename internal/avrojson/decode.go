package avrojson

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"

	"github.com/tonga-go/tonga/internal/schema"
	"github.com/tonga-go/tonga/runtime/avrobin"
)

// Decode reads one value of schema s from r and returns it as JSON:
// compact and deterministic, with record fields in schema order and map
// keys sorted. It does not check that r has no input left; call
// [avrobin.Reader.Finish] for that. Corrupt input is an [*Error] that
// wraps the Reader's error, so it matches [avrobin.ErrCorrupt].
func Decode(s *schema.Schema, r *avrobin.Reader) (json.RawMessage, error) {
	if s == nil || r == nil {
		return nil, errors.New("avrojson: Decode needs a schema and a reader")
	}
	d := &decoder{r: r}
	if err := d.value(s); err != nil {
		return nil, err
	}
	return d.out, nil
}

// decoder converts Avro binary to JSON, appending to out.
type decoder struct {
	r     *avrobin.Reader
	out   []byte
	path  path
	depth int
	// minSizes caches minSize per schema.
	minSizes map[*schema.Schema]int
}

// check returns the Reader's error, if it has one, as an *Error here.
func (d *decoder) check() error {
	if err := d.r.Err(); err != nil {
		return d.path.wrap(err)
	}
	return nil
}

// enter counts one more level of nesting, failing beyond MaxDepth; the
// caller calls leave when done.
func (d *decoder) enter() error {
	if d.depth++; d.depth > MaxDepth {
		return d.path.errorf("nesting deeper than %d records, arrays and maps", MaxDepth)
	}
	return nil
}

func (d *decoder) leave() { d.depth-- }

func (d *decoder) value(s *schema.Schema) error {
	if s.Logical != "" {
		return d.logical(s)
	}
	r := d.r
	switch s.Kind {
	case schema.Null:
		d.out = append(d.out, "null"...)
		return nil
	case schema.Boolean:
		d.out = strconv.AppendBool(d.out, r.ReadBoolean())
	case schema.Int:
		d.out = strconv.AppendInt(d.out, int64(r.ReadInt()), 10)
	case schema.Long:
		d.out = strconv.AppendInt(d.out, r.ReadLong(), 10)
	case schema.Float:
		d.out = appendFloat(d.out, float64(r.ReadFloat()), 32)
	case schema.Double:
		d.out = appendFloat(d.out, r.ReadDouble(), 64)
	case schema.Bytes:
		d.out = appendBase64(d.out, r.ReadBytes())
	case schema.String:
		d.out = appendString(d.out, r.ReadString())
	case schema.Fixed:
		d.out = appendBase64(d.out, d.fixed(s.Size))
	case schema.Enum:
		i := r.ReadEnum(len(s.Symbols))
		if err := d.check(); err != nil {
			return err
		}
		d.out = appendString(d.out, s.Symbols[i])
	case schema.Array:
		return d.array(s)
	case schema.Map:
		return d.mapValue(s)
	case schema.Record:
		return d.record(s)
	case schema.Union:
		i := r.ReadUnionIndex(len(s.Branches))
		if err := d.check(); err != nil {
			return err
		}
		return d.value(s.Branches[i])
	default:
		return d.path.errorf("schema of kind %s cannot be decoded", s.Kind)
	}
	return d.check()
}

// fixed reads a fixed of size bytes.
func (d *decoder) fixed(size int) []byte {
	p := make([]byte, max(size, 0))
	d.r.ReadFixed(p)
	return p
}

// appendFloat appends v in its shortest round-trip form for the given bit
// size, or as the string "NaN", "Infinity" or "-Infinity".
func appendFloat(b []byte, v float64, bits int) []byte {
	switch {
	case math.IsNaN(v):
		return append(b, `"NaN"`...)
	case math.IsInf(v, 1):
		return append(b, `"Infinity"`...)
	case math.IsInf(v, -1):
		return append(b, `"-Infinity"`...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, bits)
}

func appendBase64(b, p []byte) []byte {
	b = append(b, '"')
	b = base64.StdEncoding.AppendEncode(b, p)
	return append(b, '"')
}

func (d *decoder) record(s *schema.Schema) error {
	if err := d.enter(); err != nil {
		return err
	}
	defer d.leave()
	d.out = append(d.out, '{')
	for i, f := range s.Fields {
		if i > 0 {
			d.out = append(d.out, ',')
		}
		d.out = appendString(d.out, f.Name)
		d.out = append(d.out, ':')
		d.path.field(f.Name)
		err := d.value(f.Type)
		d.path.pop()
		if err != nil {
			return err
		}
	}
	d.out = append(d.out, '}')
	return nil
}

func (d *decoder) array(s *schema.Schema) error {
	if err := d.enter(); err != nil {
		return err
	}
	defer d.leave()
	d.out = append(d.out, '[')
	itemSize := d.minSize(s.Items)
	i := 0
	for n := d.r.ReadBlockLen(itemSize); n > 0; n = d.r.ReadBlockLen(itemSize) {
		for range n {
			if i > 0 {
				d.out = append(d.out, ',')
			}
			d.path.index(i)
			err := d.value(s.Items)
			d.path.pop()
			if err != nil {
				return err
			}
			i++
		}
	}
	if err := d.check(); err != nil {
		return err
	}
	d.out = append(d.out, ']')
	return nil
}

// entry is one member of a decoded map: its key as JSON reads it back,
// and where its value's JSON lies in the decoder's output.
type entry struct {
	key        string
	start, end int
}

// mapValue decodes a map into a JSON object with sorted keys. Values are
// decoded into the output as they come, then the members are reordered;
// of two members with one key the last wins.
func (d *decoder) mapValue(s *schema.Schema) error {
	if err := d.enter(); err != nil {
		return err
	}
	defer d.leave()
	base := len(d.out)
	var entries []entry
	itemSize := 1 + d.minSize(s.Values)
	for n := d.r.ReadBlockLen(itemSize); n > 0; n = d.r.ReadBlockLen(itemSize) {
		for range n {
			k := d.r.ReadString()
			if err := d.check(); err != nil {
				return err
			}
			start := len(d.out)
			d.path.key(k)
			err := d.value(s.Values)
			d.path.pop()
			if err != nil {
				return err
			}
			entries = append(entries, entry{validString(k), start, len(d.out)})
		}
	}
	if err := d.check(); err != nil {
		return err
	}
	slices.SortStableFunc(entries, func(a, b entry) int { return cmp.Compare(a.key, b.key) })
	values := slices.Clone(d.out[base:])
	d.out = append(d.out[:base], '{')
	for i, e := range entries {
		if i+1 < len(entries) && entries[i+1].key == e.key {
			continue // a later member has the same key
		}
		if len(d.out) > base+1 {
			d.out = append(d.out, ',')
		}
		d.out = appendString(d.out, e.key)
		d.out = append(d.out, ':')
		d.out = append(d.out, values[e.start-base:e.end-base]...)
	}
	d.out = append(d.out, '}')
	return nil
}

// minSize returns a lower bound of the size in bytes of an encoded value
// of s, for checking block counts against the input.
func (d *decoder) minSize(s *schema.Schema) int {
	if n, ok := d.minSizes[s]; ok {
		return n
	}
	if d.minSizes == nil {
		d.minSizes = map[*schema.Schema]int{}
	}
	d.minSizes[s] = 0 // a cycle counts as nothing, which is still a bound
	n := 0
	switch s.Kind {
	case schema.Boolean, schema.Int, schema.Long, schema.Bytes, schema.String,
		schema.Enum, schema.Array, schema.Map:
		n = 1
	case schema.Float:
		n = 4
	case schema.Double:
		n = 8
	case schema.Fixed:
		n = max(s.Size, 0)
	case schema.Union:
		n = math.MaxInt32
		for _, b := range s.Branches {
			n = min(n, d.minSize(b))
		}
		n = min(n, math.MaxInt32-1) + 1
	case schema.Record:
		for _, f := range s.Fields {
			n = min(n+d.minSize(f.Type), math.MaxInt32)
		}
	}
	d.minSizes[s] = n
	return n
}
