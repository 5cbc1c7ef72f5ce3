package schema

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/tonga-go/tonga/internal/diag"
)

// maxAliasNodes bounds the nodes alias expansion may produce in one
// document, so that a "billion laughs" input cannot exhaust memory.
const maxAliasNodes = 100_000

// parseYAML parses the documents of src, skipping empty ones. A syntax
// error ends the source; the documents before it are kept. A document in
// which conversion to the JSON data model fails is reported and dropped.
func parseYAML(src Source, diags *diag.List) []*Document {
	if pos, msg, ok := checkYAMLChars(src); !ok {
		diags.Addf(pos, "%s", msg)
		return nil
	}
	var docs []*Document
	dec := yaml.NewDecoder(bytes.NewReader(src.Data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			pos, msg := yamlErrorPos(src, err)
			diags.Addf(pos, "%s", msg)
			return docs
		}
		if len(doc.Content) == 0 || isEmptyYAML(doc.Content[0]) {
			continue
		}
		c := yamlConverter{file: src.Path, diags: diags, docLine: doc.Line}
		root := c.convert(doc.Content[0], 0)
		if !c.failed {
			docs = append(docs, &Document{Path: src.Path, Root: root})
		}
	}
}

// isEmptyYAML reports whether n is the implicit null of a document with no
// content.
func isEmptyYAML(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null" && n.Value == "" &&
		n.Style == 0 && n.Anchor == ""
}

// checkYAMLChars finds the first character of a UTF-8 source that YAML
// does not allow. The YAML library reports these without a position.
func checkYAMLChars(src Source) (diag.Pos, string, bool) {
	data := src.Data
	if bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")) {
		return diag.Pos{}, "", true // UTF-16, checked by the library
	}
	pos := diag.Pos{File: src.Path, Line: 1, Col: 1}
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		switch {
		case r == utf8.RuneError && size == 1:
			return pos, "invalid UTF-8", false
		case !yamlPrintable(r):
			return pos, fmt.Sprintf("character %U is not allowed in YAML", r), false
		case r == '\n':
			pos.Line++
			pos.Col = 1
		case r != '\uFEFF' || pos.Line > 1 || pos.Col > 1:
			pos.Col++
		}
		data = data[size:]
	}
	return pos, "", true
}

// yamlPrintable reports whether YAML allows the character r in a stream.
func yamlPrintable(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r', r == 0x85:
		return true
	case 0x20 <= r && r <= 0x7E, 0xA0 <= r && r <= 0xD7FF, 0xE000 <= r && r <= 0xFFFD:
		return true
	}
	return 0x10000 <= r && r <= 0x10FFFF
}

var yamlLineMsg = regexp.MustCompile(`^line ([0-9]+): (.*)$`)

// yamlParserProblems are the problems the YAML library's parser (rather
// than its scanner) reports. For them the library prints a 0-based line
// number, which yamlErrorPos corrects.
var yamlParserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// yamlErrorPos splits an error of the YAML library into a position and a
// message. The library gives only a line, and none when the problem is on
// the first line, or for an unknown anchor. A line past the end of the
// input, where the library puts problems at the end of a stream that does
// not end in a newline, becomes the end of the input.
func yamlErrorPos(src Source, err error) (diag.Pos, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	pos := diag.Pos{File: src.Path, Line: 1, Col: 1}
	if m := yamlLineMsg.FindStringSubmatch(msg); m != nil {
		if line, convErr := strconv.Atoi(m[1]); convErr == nil {
			msg = m[2]
			if yamlParserProblems[msg] {
				line++
			}
			pos.Line = line
		}
	} else if strings.HasPrefix(msg, "unknown anchor") {
		pos.Line, pos.Col = 0, 0
	}
	lines := bytes.Count(src.Data, []byte("\n")) + 1
	if pos.Line > lines {
		last := src.Data[bytes.LastIndexByte(src.Data, '\n')+1:]
		pos.Line, pos.Col = lines, utf8.RuneCount(last)+1
	}
	return pos, msg
}

// yamlConverter reduces a YAML document to the JSON data model.
type yamlConverter struct {
	file    string
	diags   *diag.List
	failed  bool
	docLine int // where the document starts

	expanding  []*yaml.Node // anchored nodes whose aliases are being expanded
	aliasNodes int          // nodes produced by expanding aliases
}

func (c *yamlConverter) pos(n *yaml.Node) diag.Pos {
	return diag.Pos{File: c.file, Line: n.Line, Col: n.Column}
}

func (c *yamlConverter) errorf(n *yaml.Node, format string, args ...any) {
	c.failed = true
	c.diags.Addf(c.pos(n), format, args...)
}

// convert converts n, which depth arrays and objects enclose. It returns
// nil after reporting a problem.
func (c *yamlConverter) convert(n *yaml.Node, depth int) *Node {
	if len(c.expanding) > 0 {
		if c.aliasNodes >= maxAliasNodes {
			return nil // reported when the limit was reached
		}
		if c.aliasNodes++; c.aliasNodes == maxAliasNodes {
			c.errorf(n, "aliases expand to more than %d nodes", maxAliasNodes)
			return nil
		}
	}
	switch n.Kind {
	case yaml.AliasNode:
		return c.alias(n, depth)
	case yaml.ScalarNode:
		return c.scalar(n)
	case yaml.MappingNode, yaml.SequenceNode:
		if depth >= maxNesting {
			c.errorf(n, "exceeded maximum nesting depth of %d", maxNesting)
			return nil
		}
		if n.Kind == yaml.MappingNode {
			return c.mapping(n, depth+1)
		}
		return c.sequence(n, depth+1)
	}
	c.errorf(n, "unexpected YAML node")
	return nil
}

// alias converts the value an alias refers to. The result has the alias's
// position; the nodes inside it keep the positions they were written at.
func (c *yamlConverter) alias(n *yaml.Node, depth int) *Node {
	target := n.Alias
	if target == nil {
		c.errorf(n, "unknown anchor %q", n.Value)
		return nil
	}
	if target.Line < c.docLine {
		// The library keeps anchors from one document to the next.
		c.errorf(n, "alias *%s refers to an anchor in another document", n.Value)
		return nil
	}
	for _, t := range c.expanding {
		if t == target {
			c.errorf(n, "alias *%s refers to a value that contains it", n.Value)
			return nil
		}
	}
	c.expanding = append(c.expanding, target)
	out := c.convert(target, depth)
	c.expanding = c.expanding[:len(c.expanding)-1]
	if out != nil {
		out.Pos = c.pos(n)
	}
	return out
}

// mapping converts a mapping to an object.
func (c *yamlConverter) mapping(n *yaml.Node, depth int) *Node {
	if tag := n.ShortTag(); tag != "!!map" {
		c.errorf(n, "unsupported YAML tag %s", tag)
		return nil
	}
	out := &Node{Kind: ObjectNode, Pos: c.pos(n)}
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		key, ok := c.key(k)
		value := c.convert(n.Content[i+1], depth)
		if !ok {
			continue
		}
		if seen[key] {
			c.errorf(k, "duplicate key %s", strconv.Quote(key))
		}
		seen[key] = true
		out.Members = append(out.Members, Member{Key: key, KeyPos: c.pos(k), Value: value})
	}
	return out
}

// key returns the string value of a mapping key, which must be a scalar.
func (c *yamlConverter) key(k *yaml.Node) (string, bool) {
	n := k
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != yaml.ScalarNode {
		c.errorf(k, "mapping key must be a scalar, not a %s", yamlKindName(n.Kind))
		return "", false
	}
	switch tag := n.ShortTag(); tag {
	case "!!str", "!!null", "!!bool", "!!int", "!!float":
		return n.Value, true
	case "!!merge":
		c.errorf(k, "merge keys (<<) are not supported")
	default:
		c.errorf(k, "unsupported YAML tag %s", tag)
	}
	return "", false
}

func yamlKindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "sequence"
	case yaml.AliasNode:
		return "alias"
	}
	return "document"
}

// sequence converts a sequence to an array.
func (c *yamlConverter) sequence(n *yaml.Node, depth int) *Node {
	if tag := n.ShortTag(); tag != "!!seq" {
		c.errorf(n, "unsupported YAML tag %s", tag)
		return nil
	}
	out := &Node{Kind: ArrayNode, Pos: c.pos(n), Items: make([]*Node, 0, len(n.Content))}
	for _, item := range n.Content {
		out.Items = append(out.Items, c.convert(item, depth))
	}
	return out
}

// scalar converts a scalar by its resolved tag.
func (c *yamlConverter) scalar(n *yaml.Node) *Node {
	out := &Node{Pos: c.pos(n)}
	switch tag := n.ShortTag(); tag {
	case "!!str":
		out.Kind, out.Text = StringNode, n.Value
	case "!!null":
		if !isYAMLNull(n.Value) {
			c.errorf(n, "invalid !!null value %s", strconv.Quote(n.Value))
		}
		out.Kind = NullNode
	case "!!bool":
		b, ok := yamlBools[n.Value]
		if !ok {
			c.errorf(n, "invalid !!bool value %s", strconv.Quote(n.Value))
		}
		out.Kind, out.Bool = BoolNode, b
	case "!!int", "!!float":
		text, err := yamlNumber(tag, n.Value)
		if err != nil {
			c.errorf(n, "%s", err)
		}
		out.Kind, out.Text = NumberNode, text
	case "!!timestamp":
		c.errorf(n, "unsupported YAML tag !!timestamp for %s (quote it to make it a string)", strconv.Quote(n.Value))
	default:
		c.errorf(n, "unsupported YAML tag %s", tag)
	}
	return out
}

func isYAMLNull(s string) bool {
	switch s {
	case "", "~", "null", "Null", "NULL":
		return true
	}
	return false
}

var yamlBools = map[string]bool{
	"true": true, "True": true, "TRUE": true,
	"false": false, "False": false, "FALSE": false,
}

// yamlFloat is the syntax of the floating-point numbers YAML resolves,
// once underscores are removed.
var yamlFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// yamlNumber converts the value of an !!int or !!float scalar to a JSON
// number literal. YAML's hexadecimal, octal and binary integers become
// decimal; infinities and NaN are errors.
func yamlNumber(tag, value string) (string, error) {
	plain := strings.ReplaceAll(value, "_", "")
	if tag == "!!float" {
		switch strings.ToLower(strings.TrimLeft(plain, "+-")) {
		case ".inf", ".nan":
			return "", fmt.Errorf("%s is not representable in JSON", value)
		}
		if yamlFloat.MatchString(plain) {
			return jsonFloat(plain), nil
		}
	}
	var i big.Int
	if _, ok := i.SetString(plain, 0); !ok || plain == "" {
		return "", fmt.Errorf("invalid %s value %s", tag, strconv.Quote(value))
	}
	return i.String(), nil
}

// jsonFloat rewrites a number of YAML float syntax in JSON syntax: no plus
// sign, no leading zeros, digits on both sides of a decimal point.
func jsonFloat(s string) string {
	var b strings.Builder
	switch s[0] {
	case '-':
		b.WriteByte('-')
		s = s[1:]
	case '+':
		s = s[1:]
	}
	mant, exp := s, ""
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp = s[:i], s[i:]
	}
	whole, frac, _ := strings.Cut(mant, ".")
	if whole = strings.TrimLeft(whole, "0"); whole == "" {
		whole = "0"
	}
	b.WriteString(whole)
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	b.WriteString(exp)
	return b.String()
}
