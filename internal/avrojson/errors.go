package avrojson

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tonga-go/tonga/internal/schema"
)

// MaxDepth is the deepest nesting of records, arrays and maps that
// [Decode] and [Encode] accept.
const MaxDepth = 1000

// Error is an error converting a value, with the place of the value in
// the JSON document.
type Error struct {
	// Path locates the value, for example ".items[3].name" or
	// `.counts["x"]`; it is "" for the top-level value.
	Path string
	// Msg says what is wrong.
	Msg string
	// Err is the cause, when there is one: an [*avrobin.Error] for corrupt
	// binary data.
	Err error
}

// Error returns the message, for example `avrojson: .items[3].amount:
// expected a float (a JSON number), got "x"`.
func (e *Error) Error() string {
	if e.Path == "" {
		return "avrojson: " + e.Msg
	}
	return "avrojson: " + e.Path + ": " + e.Msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// step is one step of a path: a record field, an array index or a map key.
type step struct {
	field string
	key   string
	index int
	kind  byte // 'f', 'i' or 'k'
}

// path is where a converter is in the value, kept as a stack of steps and
// formatted only for errors.
type path []step

func (p *path) field(name string) { *p = append(*p, step{kind: 'f', field: name}) }
func (p *path) index(i int)       { *p = append(*p, step{kind: 'i', index: i}) }
func (p *path) key(k string)      { *p = append(*p, step{kind: 'k', key: k}) }
func (p *path) pop()              { *p = (*p)[:len(*p)-1] }

func (p path) String() string {
	var sb strings.Builder
	for _, s := range p {
		switch s.kind {
		case 'f':
			sb.WriteByte('.')
			sb.WriteString(s.field)
		case 'i':
			sb.WriteByte('[')
			sb.WriteString(strconv.Itoa(s.index))
			sb.WriteByte(']')
		default:
			sb.WriteByte('[')
			sb.WriteString(strconv.Quote(s.key))
			sb.WriteByte(']')
		}
	}
	return sb.String()
}

// errorf returns an *Error at p.
func (p path) errorf(format string, args ...any) error {
	return &Error{Path: p.String(), Msg: fmt.Sprintf(format, args...)}
}

// wrap returns an *Error at p caused by err.
func (p path) wrap(err error) error {
	return &Error{Path: p.String(), Msg: err.Error(), Err: err}
}

// describe names the type s for messages: "int", "record test.Point",
// "timestamp-millis", "union [null, string]".
func describe(s *schema.Schema) string {
	switch {
	case s.Logical != "":
		return s.Logical
	case s.Kind.Named():
		return s.Kind.String() + " " + s.FullName
	case s.Kind == schema.Union:
		names := make([]string, len(s.Branches))
		for i, b := range s.Branches {
			names[i] = branchName(b)
		}
		return "union [" + strings.Join(names, ", ") + "]"
	}
	return s.Kind.String()
}

// branchName is the name of a union branch in Avro's JSON encoding: the
// full name of a named type, the type name of any other.
func branchName(s *schema.Schema) string {
	if s.Kind.Named() {
		return s.FullName
	}
	return s.Kind.String()
}

// render shows a JSON value in a message, shortened when long.
func render(v any) string {
	var s string
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case string:
		s = strconv.Quote(v)
	case []any:
		return fmt.Sprintf("an array of %d item%s", len(v), plural(len(v)))
	case map[string]any:
		return "an object"
	default: // json.Number
		s = fmt.Sprint(v)
	}
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:37]) + "..."
	}
	return s
}

// plural returns the suffix "s" of a plural noun counting n, or "" for 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
