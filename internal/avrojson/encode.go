package avrojson

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/tonga-go/tonga/internal/schema"
	"github.com/tonga-go/tonga/runtime/avrobin"
)

// Encode appends the Avro binary encoding of the JSON value data, read as
// a value of schema s, to b. On error it returns b unchanged and an
// [*Error] saying where the value is wrong.
func Encode(b []byte, s *schema.Schema, data []byte) ([]byte, error) {
	if s == nil {
		return b, errors.New("avrojson: Encode needs a schema")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return b, &Error{Msg: "invalid JSON: " + err.Error(), Err: err}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return b, &Error{Msg: "invalid JSON: more data after the value"}
	}
	e := &encoder{}
	out, err := e.value(b, s, v)
	if err != nil {
		return b, err
	}
	return out, nil
}

// encoder converts JSON values, as encoding/json decodes them with
// UseNumber, to Avro binary.
type encoder struct {
	path  path
	depth int
}

func (e *encoder) enter() error {
	if e.depth++; e.depth > MaxDepth {
		return e.path.errorf("nesting deeper than %d records, arrays and maps", MaxDepth)
	}
	return nil
}

func (e *encoder) leave() { e.depth-- }

// mismatch reports that v is not a value of the kind want describes.
func (e *encoder) mismatch(want string, v any) error {
	return e.path.errorf("expected %s, got %s", want, render(v))
}

func (e *encoder) value(b []byte, s *schema.Schema, v any) ([]byte, error) {
	if s.Logical != "" {
		return e.logical(b, s, v)
	}
	switch s.Kind {
	case schema.Null:
		if v != nil {
			return b, e.mismatch("null", v)
		}
		return b, nil
	case schema.Boolean:
		x, ok := v.(bool)
		if !ok {
			return b, e.mismatch("a boolean", v)
		}
		return avrobin.AppendBoolean(b, x), nil
	case schema.Int, schema.Long, schema.Float, schema.Double:
		return e.number(b, s, v)
	case schema.String:
		x, ok := v.(string)
		if !ok {
			return b, e.mismatch("a string", v)
		}
		return avrobin.AppendString(b, x), nil
	case schema.Bytes, schema.Fixed:
		return e.bytes(b, s, v)
	case schema.Enum:
		return e.enum(b, s, v)
	case schema.Array:
		return e.array(b, s, v)
	case schema.Map:
		return e.mapValue(b, s, v)
	case schema.Record:
		return e.record(b, s, v)
	case schema.Union:
		return e.union(b, s, v)
	}
	return b, e.path.errorf("schema of kind %s cannot be encoded", s.Kind)
}

// number appends an int, long, float or double.
func (e *encoder) number(b []byte, s *schema.Schema, v any) ([]byte, error) {
	switch s.Kind {
	case schema.Int:
		x, err := e.integer(s, v, math.MinInt32, math.MaxInt32)
		if err != nil {
			return b, err
		}
		return avrobin.AppendInt(b, int32(x)), nil
	case schema.Long:
		x, err := e.integer(s, v, math.MinInt64, math.MaxInt64)
		if err != nil {
			return b, err
		}
		return avrobin.AppendLong(b, x), nil
	case schema.Float:
		x, err := e.float(s, v, 32)
		if err != nil {
			return b, err
		}
		return avrobin.AppendFloat(b, float32(x)), nil
	default:
		x, err := e.float(s, v, 64)
		if err != nil {
			return b, err
		}
		return avrobin.AppendDouble(b, x), nil
	}
}

// integer returns v as an integer of s in [lo, hi]. A number with a
// fraction or exponent is accepted when its value is an integer.
func (e *encoder) integer(s *schema.Schema, v any, lo, hi int64) (int64, error) {
	want := "a long (a JSON integer)"
	if s.Kind == schema.Int {
		want = "an int (a JSON integer)"
	}
	lit, ok := v.(json.Number)
	if !ok {
		return 0, e.mismatch(want, v)
	}
	x, err := integerValue(string(lit), false)
	if err == nil && (x < lo || x > hi) {
		err = errRange
	}
	switch {
	case errors.Is(err, errRange):
		return 0, e.path.errorf("%s is out of range for %s", lit, s.Kind)
	case err != nil:
		return 0, e.mismatch(want, v)
	}
	return x, nil
}

// integerValue parses the JSON number lit as an int64. Strictly, only a
// plain integer literal other than "-0" is one; otherwise any literal
// whose value is an integer is.
func integerValue(lit string, strict bool) (int64, error) {
	x, err := strconv.ParseInt(lit, 10, 64)
	switch {
	case err == nil && strict && lit == "-0":
		return 0, errNotInteger
	case err == nil:
		return x, nil
	case errors.Is(err, strconv.ErrRange):
		return 0, errRange
	case strict:
		return 0, errNotInteger
	}
	n, ok := parseNumber(lit)
	if !ok {
		return 0, errNotInteger
	}
	return n.int64()
}

// float returns v as a float of the given bit size: a JSON number or
// "NaN", "Infinity" or "-Infinity".
func (e *encoder) float(s *schema.Schema, v any, bits int) (float64, error) {
	x, err := floatValue(v, bits)
	switch {
	case errors.Is(err, errRange):
		return 0, e.path.errorf("%s is out of range for %s", v, s.Kind)
	case err != nil:
		return 0, e.mismatch("a "+s.Kind.String()+` (a JSON number, "NaN", "Infinity" or "-Infinity")`, v)
	}
	return x, nil
}

// canonicalNaN is the NaN that Java writes, 0x7ff8000000000000; as a
// float it is 0x7fc00000.
var canonicalNaN = math.Float64frombits(0x7ff8000000000000)

func floatValue(v any, bits int) (float64, error) {
	switch v := v.(type) {
	case json.Number:
		x, err := strconv.ParseFloat(string(v), bits)
		if err != nil {
			return 0, errRange // v is valid JSON, so only its range can be wrong
		}
		return x, nil
	case string:
		switch v {
		case "NaN":
			return canonicalNaN, nil
		case "Infinity":
			return math.Inf(1), nil
		case "-Infinity":
			return math.Inf(-1), nil
		}
	}
	return 0, errType
}

// bytes appends a bytes or fixed value, written in base64.
func (e *encoder) bytes(b []byte, s *schema.Schema, v any) ([]byte, error) {
	want := "bytes (a base64 string)"
	if s.Kind == schema.Fixed {
		want = "fixed " + s.FullName + " (a base64 string of " + strconv.Itoa(s.Size) + " bytes)"
	}
	str, ok := v.(string)
	if !ok {
		return b, e.mismatch(want, v)
	}
	p, err := base64.StdEncoding.DecodeString(str)
	if err != nil {
		return b, e.path.errorf("expected %s, got %s: %v", want, render(v), err)
	}
	if s.Kind == schema.Bytes {
		return avrobin.AppendBytes(b, p), nil
	}
	if len(p) != s.Size {
		return b, e.path.errorf("expected %s, got %s: %d byte%s", want, render(v), len(p), plural(len(p)))
	}
	return avrobin.AppendFixed(b, p), nil
}

func (e *encoder) enum(b []byte, s *schema.Schema, v any) ([]byte, error) {
	str, ok := v.(string)
	if ok {
		if i := slices.Index(s.Symbols, str); i >= 0 {
			return avrobin.AppendEnum(b, i), nil
		}
	}
	return b, e.path.errorf("expected a symbol of enum %s (%s), got %s", s.FullName, symbolList(s.Symbols), render(v))
}

// symbolList lists an enum's symbols for a message, shortened when long.
func symbolList(symbols []string) string {
	const most = 8
	quoted := make([]string, 0, min(len(symbols), most))
	for _, sym := range symbols[:min(len(symbols), most)] {
		quoted = append(quoted, strconv.Quote(sym))
	}
	list := strings.Join(quoted, ", ")
	if len(symbols) > most {
		list += ", ..."
	}
	return list
}

func (e *encoder) array(b []byte, s *schema.Schema, v any) ([]byte, error) {
	items, ok := v.([]any)
	if !ok {
		return b, e.mismatch("an array", v)
	}
	if err := e.enter(); err != nil {
		return b, err
	}
	defer e.leave()
	b = avrobin.AppendBlockLen(b, len(items))
	for i, item := range items {
		e.path.index(i)
		var err error
		b, err = e.value(b, s.Items, item)
		e.path.pop()
		if err != nil {
			return b, err
		}
	}
	return avrobin.AppendBlockEnd(b), nil
}

// mapValue appends a map, its keys in sorted order.
func (e *encoder) mapValue(b []byte, s *schema.Schema, v any) ([]byte, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return b, e.mismatch("a map (a JSON object)", v)
	}
	if err := e.enter(); err != nil {
		return b, err
	}
	defer e.leave()
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = avrobin.AppendBlockLen(b, len(keys))
	for _, k := range keys {
		b = avrobin.AppendString(b, k)
		e.path.key(k)
		var err error
		b, err = e.value(b, s.Values, m[k])
		e.path.pop()
		if err != nil {
			return b, err
		}
	}
	return avrobin.AppendBlockEnd(b), nil
}

// record appends a record: each field's value from v, or its default.
func (e *encoder) record(b []byte, s *schema.Schema, v any) ([]byte, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return b, e.mismatch("record "+s.FullName+" (a JSON object)", v)
	}
	if unknown := unknownKeys(s, m); len(unknown) > 0 {
		return b, e.path.errorf("record %s has no field%s %s", s.FullName, plural(len(unknown)), strings.Join(unknown, ", "))
	}
	if err := e.enter(); err != nil {
		return b, err
	}
	defer e.leave()
	for _, f := range s.Fields {
		fv, present := m[f.Name]
		if !present && f.Default == nil {
			return b, e.path.errorf("record %s: missing field %q, which has no default", s.FullName, f.Name)
		}
		e.path.field(f.Name)
		var err error
		if present {
			b, err = e.value(b, f.Type, fv)
		} else {
			b, err = e.appendDefault(b, f.Type, f.Default)
		}
		e.path.pop()
		if err != nil {
			return b, err
		}
	}
	return b, nil
}

// unknownKeys returns the keys of m that name no field of the record s,
// sorted and quoted.
func unknownKeys(s *schema.Schema, m map[string]any) []string {
	known := 0
	for _, f := range s.Fields {
		if _, ok := m[f.Name]; ok {
			known++
		}
	}
	if known == len(m) {
		return nil
	}
	var unknown []string
	for k := range m {
		if !slices.ContainsFunc(s.Fields, func(f *schema.Field) bool { return f.Name == k }) {
			unknown = append(unknown, strconv.Quote(k))
		}
	}
	slices.Sort(unknown)
	return unknown
}
