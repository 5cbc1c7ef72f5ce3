package schema

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/tonga-go/tonga/internal/diag"
)

// parseJSON parses src as one strict JSON (RFC 8259) document. A syntax
// error stops the parse; duplicate keys are reported and parsing goes on,
// so that all of them are found. It returns nil if anything was reported.
func parseJSON(src Source, diags *diag.List) *Node {
	p := &jsonParser{data: src.Data, file: src.Path, line: 1, col: 1}
	// RFC 8259 lets a parser ignore a byte order mark.
	if bytes.HasPrefix(p.data, []byte("\uFEFF")) {
		p.off, p.start, p.posOff = 3, 3, 3
	}
	before := diags.Len()
	root, err := p.value(0)
	if err == nil {
		p.skipSpace()
		if p.off < len(p.data) {
			err = p.errorf(p.off, "invalid character %s after top-level value", p.char(p.off))
		}
	}
	if err != nil {
		diags.Addf(p.pos(err.off), "%s", err.msg)
	}
	p.dups(diags)
	if diags.Len() > before {
		return nil
	}
	return root
}

// jsonError is a JSON syntax error at a byte offset.
type jsonError struct {
	off int
	msg string
}

// jsonParser is a recursive-descent JSON parser that records positions.
type jsonParser struct {
	data  []byte
	file  string
	off   int // next byte to read
	start int // offset of line 1, column 1 (after any byte order mark)

	// The position of byte posOff, advanced as positions are asked for so
	// that computing them costs linear time overall.
	posOff, line, col int

	dupKeys []Member // second occurrences of keys, to report
}

// pos returns the line and column of the byte at off. Columns count
// runes, a tab counting as one.
func (p *jsonParser) pos(off int) diag.Pos {
	if off < p.posOff {
		p.posOff, p.line, p.col = p.start, 1, 1
	}
	for ; p.posOff < off && p.posOff < len(p.data); p.posOff++ {
		switch c := p.data[p.posOff]; {
		case c == '\n':
			p.line++
			p.col = 1
		case c&0xC0 != 0x80: // not a UTF-8 continuation byte
			p.col++
		}
	}
	return diag.Pos{File: p.file, Line: p.line, Col: p.col}
}

func (p *jsonParser) errorf(off int, format string, args ...any) *jsonError {
	return &jsonError{off: off, msg: fmt.Sprintf(format, args...)}
}

// eof is the error for input that ends too soon.
func (p *jsonParser) eof() *jsonError {
	return p.errorf(len(p.data), "unexpected end of JSON input")
}

// char quotes the character at off for an error message.
func (p *jsonParser) char(off int) string {
	r, size := utf8.DecodeRune(p.data[off:])
	if r == utf8.RuneError && size == 1 {
		return fmt.Sprintf("'\\x%02x'", p.data[off])
	}
	return strconv.QuoteRune(r)
}

// dups reports the duplicate keys found.
func (p *jsonParser) dups(diags *diag.List) {
	for _, m := range p.dupKeys {
		diags.Addf(m.KeyPos, "duplicate key %s", strconv.Quote(m.Key))
	}
}

func (p *jsonParser) skipSpace() {
	for p.off < len(p.data) {
		switch p.data[p.off] {
		case ' ', '\t', '\n', '\r':
			p.off++
		default:
			return
		}
	}
}

// value parses the value that starts after any white space at p.off;
// depth is the number of arrays and objects enclosing it.
func (p *jsonParser) value(depth int) (*Node, *jsonError) {
	p.skipSpace()
	if p.off >= len(p.data) {
		return nil, p.eof()
	}
	start := p.off
	switch c := p.data[start]; {
	case c == '{' || c == '[':
		if depth >= maxNesting {
			return nil, p.errorf(start, "exceeded maximum nesting depth of %d", maxNesting)
		}
		if c == '{' {
			return p.object(depth + 1)
		}
		return p.array(depth + 1)
	case c == '"':
		pos := p.pos(start)
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &Node{Kind: StringNode, Pos: pos, Text: s}, nil
	case c == '-' || '0' <= c && c <= '9':
		pos := p.pos(start)
		if err := p.number(); err != nil {
			return nil, err
		}
		return &Node{Kind: NumberNode, Pos: pos, Text: string(p.data[start:p.off])}, nil
	case c == 't':
		return p.literal("true", &Node{Kind: BoolNode, Bool: true})
	case c == 'f':
		return p.literal("false", &Node{Kind: BoolNode})
	case c == 'n':
		return p.literal("null", &Node{Kind: NullNode})
	}
	return nil, p.errorf(start, "invalid character %s looking for beginning of value", p.char(start))
}

// literal parses the literal word (true, false or null) at p.off into n.
func (p *jsonParser) literal(word string, n *Node) (*Node, *jsonError) {
	n.Pos = p.pos(p.off)
	for i := 0; i < len(word); i++ {
		if p.off >= len(p.data) {
			return nil, p.eof()
		}
		if p.data[p.off] != word[i] {
			return nil, p.errorf(p.off, "invalid character %s in literal %s (expecting %s)",
				p.char(p.off), word, strconv.QuoteRune(rune(word[i])))
		}
		p.off++
	}
	return n, nil
}

// object parses the object at p.off.
func (p *jsonParser) object(depth int) (*Node, *jsonError) {
	n := &Node{Kind: ObjectNode, Pos: p.pos(p.off)}
	p.off++ // '{'
	p.skipSpace()
	if p.off < len(p.data) && p.data[p.off] == '}' {
		p.off++
		return n, nil
	}
	var keys map[string]bool
	for {
		m, err := p.member(depth)
		if err != nil {
			return nil, err
		}
		if keys == nil {
			keys = make(map[string]bool)
		}
		if keys[m.Key] {
			p.dupKeys = append(p.dupKeys, m)
		}
		keys[m.Key] = true
		n.Members = append(n.Members, m)

		p.skipSpace()
		if p.off >= len(p.data) {
			return nil, p.eof()
		}
		switch p.data[p.off] {
		case ',':
			p.off++
		case '}':
			p.off++
			return n, nil
		default:
			return nil, p.errorf(p.off, "invalid character %s after object key:value pair", p.char(p.off))
		}
	}
}

// member parses one "key": value member of an object.
func (p *jsonParser) member(depth int) (Member, *jsonError) {
	p.skipSpace()
	if p.off >= len(p.data) {
		return Member{}, p.eof()
	}
	if p.data[p.off] != '"' {
		return Member{}, p.errorf(p.off, "invalid character %s looking for beginning of object key string", p.char(p.off))
	}
	m := Member{KeyPos: p.pos(p.off)}
	var err *jsonError
	if m.Key, err = p.str(); err != nil {
		return Member{}, err
	}
	p.skipSpace()
	if p.off >= len(p.data) {
		return Member{}, p.eof()
	}
	if p.data[p.off] != ':' {
		return Member{}, p.errorf(p.off, "invalid character %s after object key", p.char(p.off))
	}
	p.off++
	if m.Value, err = p.value(depth); err != nil {
		return Member{}, err
	}
	return m, nil
}

// array parses the array at p.off.
func (p *jsonParser) array(depth int) (*Node, *jsonError) {
	n := &Node{Kind: ArrayNode, Pos: p.pos(p.off)}
	p.off++ // '['
	p.skipSpace()
	if p.off < len(p.data) && p.data[p.off] == ']' {
		p.off++
		return n, nil
	}
	for {
		item, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		n.Items = append(n.Items, item)
		p.skipSpace()
		if p.off >= len(p.data) {
			return nil, p.eof()
		}
		switch p.data[p.off] {
		case ',':
			p.off++
		case ']':
			p.off++
			return n, nil
		default:
			return nil, p.errorf(p.off, "invalid character %s after array element", p.char(p.off))
		}
	}
}

// number scans the number at p.off:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?.
func (p *jsonParser) number() *jsonError {
	if p.data[p.off] == '-' {
		p.off++
	}
	switch {
	case p.off >= len(p.data):
		return p.eof()
	case p.data[p.off] == '0':
		p.off++
	case isDigit(p.data[p.off]):
		p.digits()
	default:
		return p.errorf(p.off, "invalid character %s in numeric literal", p.char(p.off))
	}
	if p.off < len(p.data) && p.data[p.off] == '.' {
		p.off++
		if err := p.needDigit("after decimal point in numeric literal"); err != nil {
			return err
		}
		p.digits()
	}
	if p.off < len(p.data) && (p.data[p.off] == 'e' || p.data[p.off] == 'E') {
		p.off++
		if p.off < len(p.data) && (p.data[p.off] == '+' || p.data[p.off] == '-') {
			p.off++
		}
		if err := p.needDigit("in exponent of numeric literal"); err != nil {
			return err
		}
		p.digits()
	}
	return nil
}

func (p *jsonParser) needDigit(where string) *jsonError {
	if p.off >= len(p.data) {
		return p.eof()
	}
	if !isDigit(p.data[p.off]) {
		return p.errorf(p.off, "invalid character %s %s", p.char(p.off), where)
	}
	return nil
}

func (p *jsonParser) digits() {
	for p.off < len(p.data) && isDigit(p.data[p.off]) {
		p.off++
	}
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// str parses the string at p.off and returns its unescaped value. The
// string must be valid UTF-8.
func (p *jsonParser) str() (string, *jsonError) {
	p.off++      // '"'
	var b []byte // the value so far, once an escape has been met
	chunk := p.off
	for {
		if p.off >= len(p.data) {
			return "", p.eof()
		}
		switch c := p.data[p.off]; {
		case c == '"':
			s := string(append(b, p.data[chunk:p.off]...))
			p.off++
			return s, nil
		case c == '\\':
			b = append(b, p.data[chunk:p.off]...)
			var err *jsonError
			if b, err = p.escape(b); err != nil {
				return "", err
			}
			chunk = p.off
		case c < 0x20:
			return "", p.errorf(p.off, "invalid character %s in string literal", p.char(p.off))
		case c < utf8.RuneSelf:
			p.off++
		default:
			r, size := utf8.DecodeRune(p.data[p.off:])
			if r == utf8.RuneError && size == 1 {
				return "", p.errorf(p.off, "invalid UTF-8 in string literal")
			}
			p.off += size
		}
	}
}

// escape decodes the escape sequence at p.off, appending it to b.
func (p *jsonParser) escape(b []byte) ([]byte, *jsonError) {
	start := p.off
	p.off++ // '\\'
	if p.off >= len(p.data) {
		return nil, p.eof()
	}
	c := p.data[p.off]
	p.off++
	switch c {
	case '"', '\\', '/':
		return append(b, c), nil
	case 'b':
		return append(b, '\b'), nil
	case 'f':
		return append(b, '\f'), nil
	case 'n':
		return append(b, '\n'), nil
	case 'r':
		return append(b, '\r'), nil
	case 't':
		return append(b, '\t'), nil
	case 'u':
		return p.unicodeEscape(b, start)
	}
	return nil, p.errorf(p.off-1, "invalid character %s in string escape code", p.char(p.off-1))
}

// unicodeEscape decodes the \uXXXX escape that starts at start, with p.off
// just after the "u", and the low surrogate following it if it is a high
// one. It appends the character to b.
func (p *jsonParser) unicodeEscape(b []byte, start int) ([]byte, *jsonError) {
	r, err := p.hex4()
	if err != nil {
		return nil, err
	}
	if utf16.IsSurrogate(r) {
		r2 := utf8.RuneError
		if r < 0xDC00 && p.off+1 < len(p.data) && p.data[p.off] == '\\' && p.data[p.off+1] == 'u' {
			p.off += 2
			if r2, err = p.hex4(); err != nil {
				return nil, err
			}
		}
		if r = utf16.DecodeRune(r, r2); r == utf8.RuneError {
			return nil, p.errorf(start, "invalid escape %s: unpaired surrogate", p.data[start:start+6])
		}
	}
	return utf8.AppendRune(b, r), nil
}

// hex4 decodes the four hexadecimal digits at p.off.
func (p *jsonParser) hex4() (rune, *jsonError) {
	var r rune
	for range 4 {
		if p.off >= len(p.data) {
			return 0, p.eof()
		}
		c := p.data[p.off]
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, p.errorf(p.off, "invalid character %s in \\u hexadecimal character escape", p.char(p.off))
		}
		r = r<<4 | rune(d)
		p.off++
	}
	return r, nil
}
