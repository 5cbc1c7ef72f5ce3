package schema

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// dumpNode renders n compactly in JSON-like syntax, numbers as their literal
// text. With pos, every value and key is followed by @line:col.
func dumpNode(n *Node, pos bool) string {
	var b strings.Builder
	writeNodeDump(&b, n, pos)
	return b.String()
}

func writeNodeDump(b *strings.Builder, n *Node, pos bool) {
	if n == nil {
		b.WriteString("<nil>")
		return
	}
	switch n.Kind {
	case NullNode:
		b.WriteString("null")
	case BoolNode:
		b.WriteString(strconv.FormatBool(n.Bool))
	case NumberNode:
		b.WriteString(n.Text)
	case StringNode:
		b.WriteString(strconv.Quote(n.Text))
	case ArrayNode:
		b.WriteByte('[')
		for i, item := range n.Items {
			if i > 0 {
				b.WriteString(", ")
			}
			writeNodeDump(b, item, pos)
		}
		b.WriteByte(']')
	case ObjectNode:
		b.WriteByte('{')
		for i, m := range n.Members {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Quote(m.Key))
			if pos {
				fmt.Fprintf(b, "@%d:%d", m.KeyPos.Line, m.KeyPos.Col)
			}
			b.WriteString(": ")
			writeNodeDump(b, m.Value, pos)
		}
		b.WriteByte('}')
	}
	if pos {
		fmt.Fprintf(b, "@%d:%d", n.Pos.Line, n.Pos.Col)
	}
}

// parseTestSource parses data as the source a.avsc (JSON) or a.avsc.yaml (YAML)
// and returns the dumped documents and the diagnostics.
func parseTestSource(t *testing.T, data string, yaml, pos bool) (docs, diags []string) {
	t.Helper()
	src := Source{Path: "a.avsc", Data: []byte(data), YAML: yaml}
	if yaml {
		src.Path = "a.avsc.yaml"
	}
	got, list := Parse([]Source{src})
	for _, d := range got {
		if d.Path != src.Path {
			t.Errorf("Document.Path = %q, want %q", d.Path, src.Path)
		}
		docs = append(docs, dumpNode(d.Root, pos))
	}
	for _, d := range list.Items() {
		diags = append(diags, d.String())
	}
	return docs, diags
}

func TestParsePositions(t *testing.T) {
	tests := []struct {
		name string
		yaml bool
		in   string
		want string
	}{
		{
			"json object, tabs and multi-byte characters", false,
			"{\n\t\"name\": \"café\",\n\t\"n\": -1.5e3, \"x\": \"é\", \"y\": null\n}\n",
			`{"name"@2:2: "café"@2:10, "n"@3:2: -1.5e3@3:7, "x"@3:15: "é"@3:20, "y"@3:25: null@3:30}@1:1`,
		},
		{
			"json nested, CRLF", false,
			"[\r\n  [],\r\n  {\"k\": [true, false]}\r\n]",
			`[[]@2:3, {"k"@3:4: [true@3:10, false@3:16]@3:9}@3:3]@1:1`,
		},
		{
			"json astral character counts as one column", false,
			`["😀", 2, "\u00e9", 3]`,
			`["😀"@1:2, 2@1:7, "é"@1:10, 3@1:20]@1:1`,
		},
		{
			"json byte order mark is not a column", false,
			"\uFEFF{\"a\":1}",
			`{"a"@1:2: 1@1:6}@1:1`,
		},
		{
			"json scalar document", false,
			"\n\n   \"x\"  \n",
			`"x"@3:4`,
		},
		{
			"yaml block style", true,
			"name: X\nfields:\n  - name: a\n    type:\n      - \"null\"\n      - string\n",
			`{"name"@1:1: "X"@1:7, "fields"@2:1: [{"name"@3:5: "a"@3:11, "type"@4:5: ["null"@5:9, "string"@6:9]@5:7}@3:5]@3:3}@1:1`,
		},
		{
			"yaml flow style and multi-byte characters", true,
			"doc: été\nsymbols: [A, \"B\", 'C']\nx: {y: 1}\n",
			`{"doc"@1:1: "été"@1:6, "symbols"@2:1: ["A"@2:11, "B"@2:14, "C"@2:19]@2:10, "x"@3:1: {"y"@3:5: 1@3:8}@3:4}@1:1`,
		},
		{
			"yaml alias takes the alias's position, an anchored node the anchor's", true,
			"a: &t\n  type: string\nb: *t\n",
			`{"a"@1:1: {"type"@2:3: "string"@2:9}@1:4, "b"@3:1: {"type"@2:3: "string"@2:9}@3:4}@1:1`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, diags := parseTestSource(t, tt.in, tt.yaml, true)
			if len(diags) > 0 {
				t.Fatalf("unexpected diagnostics:\n%s", strings.Join(diags, "\n"))
			}
			if len(docs) != 1 || docs[0] != tt.want {
				t.Errorf("got  %q\nwant %q", docs, tt.want)
			}
		})
	}
}

func TestParseJSONValues(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{`null`, `null`},
		{` true `, `true`},
		{"\tfalse\r\n", `false`},
		{`0`, `0`},
		{`-0`, `-0`},
		{`-1.50`, `-1.50`},
		{`2.5E+3`, `2.5E+3`},
		{`1e-7`, `1e-7`},
		{`123456789012345678901234567890`, `123456789012345678901234567890`},
		{`""`, `""`},
		{`"a\"b\\c\/d\b\f\n\r\t"`, strconv.Quote("a\"b\\c/d\b\f\n\r\t")},
		{`"\u00e9\u00E9 \uD83D\uDE00 \u0000 \uFFFD"`, strconv.Quote("éé 😀 \x00 \uFFFD")},
		{`"raw é 😀"`, `"raw é 😀"`},
		{`[]`, `[]`},
		{`{}`, `{}`},
		{`[1, [2, [3]], {"a": {"b": []}}]`, `[1, [2, [3]], {"a": {"b": []}}]`},
		{`{"z": 1, "a": 2, "": 3, "A": 4}`, `{"z": 1, "a": 2, "": 3, "A": 4}`},
		{`{"\u0061": 1, "a\u0062": 2}`, `{"a": 1, "ab": 2}`},
		{strings.Repeat("[", maxNesting) + strings.Repeat("]", maxNesting), strings.Repeat("[", maxNesting) + strings.Repeat("]", maxNesting)},
	}
	for _, tt := range tests {
		docs, diags := parseTestSource(t, tt.in, false, false)
		if len(diags) > 0 {
			t.Errorf("Parse(%q): unexpected diagnostics:\n%s", tt.in, strings.Join(diags, "\n"))
			continue
		}
		if len(docs) != 1 || docs[0] != tt.want {
			t.Errorf("Parse(%q) = %q, want %q", tt.in, docs, tt.want)
		}
	}
}

func TestParseJSONErrors(t *testing.T) {
	deep := strings.Repeat("[", maxNesting+1) + strings.Repeat("]", maxNesting+1)
	tests := []struct {
		name, in string
		want     []string
	}{
		{"empty", ``, []string{"a.avsc:1:1: unexpected end of JSON input"}},
		{"only space", "  \n  ", []string{"a.avsc:2:3: unexpected end of JSON input"}},
		{"eof in object", "{\"a\": 1,\n", []string{"a.avsc:2:1: unexpected end of JSON input"}},
		{"eof after key", `{"a"`, []string{"a.avsc:1:5: unexpected end of JSON input"}},
		{"eof in array", `[1`, []string{"a.avsc:1:3: unexpected end of JSON input"}},
		{"eof in string", `"abc`, []string{"a.avsc:1:5: unexpected end of JSON input"}},
		{"eof in escape", `"\`, []string{"a.avsc:1:3: unexpected end of JSON input"}},
		{"eof in literal", `tru`, []string{"a.avsc:1:4: unexpected end of JSON input"}},
		{"eof in number", `-`, []string{"a.avsc:1:2: unexpected end of JSON input"}},
		{"eof after decimal point", `1.`, []string{"a.avsc:1:3: unexpected end of JSON input"}},
		{"eof in exponent", `1e+`, []string{"a.avsc:1:4: unexpected end of JSON input"}},
		{"eof in \\u escape", `"\u12`, []string{"a.avsc:1:6: unexpected end of JSON input"}},
		{"bad value", `{"a": é}`, []string{"a.avsc:1:7: invalid character 'é' looking for beginning of value"}},
		{"bad value on later line", "{\n  \"a\": é\n}", []string{"a.avsc:2:8: invalid character 'é' looking for beginning of value"}},
		{"plus sign", `+1`, []string{"a.avsc:1:1: invalid character '+' looking for beginning of value"}},
		{"single quotes", `['a']`, []string{`a.avsc:1:2: invalid character '\'' looking for beginning of value`}},
		{"control character", "\x01", []string{`a.avsc:1:1: invalid character '\x01' looking for beginning of value`}},
		{"invalid utf-8 outside string", "[\xff]", []string{`a.avsc:1:2: invalid character '\xff' looking for beginning of value`}},
		{"missing colon", `{"name" "x"}`, []string{`a.avsc:1:9: invalid character '"' after object key`}},
		{"colon then brace", `{"name"}`, []string{`a.avsc:1:8: invalid character '}' after object key`}},
		{"missing comma in object", `{"a": 1 "b": 2}`, []string{`a.avsc:1:9: invalid character '"' after object key:value pair`}},
		{"trailing comma in object", `{"name": "x",}`, []string{`a.avsc:1:14: invalid character '}' looking for beginning of object key string`}},
		{"unquoted key", `{name: 1}`, []string{`a.avsc:1:2: invalid character 'n' looking for beginning of object key string`}},
		{"missing comma in array", `[1 2]`, []string{`a.avsc:1:4: invalid character '2' after array element`}},
		{"trailing comma in array", `[1,]`, []string{`a.avsc:1:4: invalid character ']' looking for beginning of value`}},
		{"bad literal", `trux`, []string{`a.avsc:1:4: invalid character 'x' in literal true (expecting 'e')`}},
		{"capitalised literal", `Null`, []string{`a.avsc:1:1: invalid character 'N' looking for beginning of value`}},
		{"bad literal null", `nil`, []string{`a.avsc:1:2: invalid character 'i' in literal null (expecting 'u')`}},
		{"leading zero", `01`, []string{`a.avsc:1:2: invalid character '1' after top-level value`}},
		{"leading zero in array", `[01]`, []string{`a.avsc:1:3: invalid character '1' after array element`}},
		{"minus without digits", `-a`, []string{`a.avsc:1:2: invalid character 'a' in numeric literal`}},
		{"decimal point without digits", `1.e3`, []string{`a.avsc:1:3: invalid character 'e' after decimal point in numeric literal`}},
		{"exponent without digits", `1e+x`, []string{`a.avsc:1:4: invalid character 'x' in exponent of numeric literal`}},
		{"hexadecimal", `0x1F`, []string{`a.avsc:1:2: invalid character 'x' after top-level value`}},
		{"raw tab in string", "\"a\tb\"", []string{`a.avsc:1:3: invalid character '\t' in string literal`}},
		{"raw newline in string", "\"a\nb\"", []string{`a.avsc:1:3: invalid character '\n' in string literal`}},
		{"bad escape", `"ab\q"`, []string{`a.avsc:1:5: invalid character 'q' in string escape code`}},
		{"bad \\u escape", `"\u12G4"`, []string{`a.avsc:1:6: invalid character 'G' in \u hexadecimal character escape`}},
		{"lone high surrogate", `"x\ud800"`, []string{`a.avsc:1:3: invalid escape \ud800: unpaired surrogate`}},
		{"high surrogate then other escape", `"\uD800\u0041"`, []string{`a.avsc:1:2: invalid escape \uD800: unpaired surrogate`}},
		{"high surrogate then bad escape", `"\uD800\u00G1"`, []string{`a.avsc:1:12: invalid character 'G' in \u hexadecimal character escape`}},
		{"lone low surrogate", `"\udc00\udc00"`, []string{`a.avsc:1:2: invalid escape \udc00: unpaired surrogate`}},
		{"invalid utf-8 in string", "[\"ok\", \"a\xffb\"]", []string{`a.avsc:1:10: invalid UTF-8 in string literal`}},
		{"trailing content", `{"a": 1} x`, []string{`a.avsc:1:10: invalid character 'x' after top-level value`}},
		{"two values", "\"é\"\n\"b\"", []string{`a.avsc:2:1: invalid character '"' after top-level value`}},
		{"duplicate key", `{"name": 1, "name": 2}`, []string{`a.avsc:1:13: duplicate key "name"`}},
		{
			"duplicate keys everywhere",
			"{\"a\": 1, \"a\": 2,\n \"b\": {\"c\": 1, \"\\u0063\": 2}, \"a\": 3}",
			[]string{`a.avsc:1:10: duplicate key "a"`, `a.avsc:2:16: duplicate key "c"`, `a.avsc:2:30: duplicate key "a"`},
		},
		{
			"duplicate key then syntax error",
			`{"a": 1, "a": 2,`,
			[]string{`a.avsc:1:10: duplicate key "a"`, `a.avsc:1:17: unexpected end of JSON input`},
		},
		{"too deep", deep, []string{`a.avsc:1:1001: exceeded maximum nesting depth of 1000`}},
		{"too deep in objects", strings.Repeat(`{"a":`, maxNesting+1), []string{`a.avsc:1:5001: exceeded maximum nesting depth of 1000`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, diags := parseTestSource(t, tt.in, false, false)
			if len(docs) != 0 {
				t.Errorf("Parse(%q) returned documents %q", tt.in, docs)
			}
			if !slices.Equal(diags, tt.want) {
				t.Errorf("Parse(%q) diagnostics:\n\t%s\nwant\n\t%s", tt.in, strings.Join(diags, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

func TestParseYAMLValues(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{`type: string`, `{"type": "string"}`},
		{`- "null"` + "\n- null\n- ~\n-\n- 'null'", `["null", null, null, null, "null"]`},
		{`[true, False, TRUE, yes, no, on]`, `[true, false, true, "yes", "no", "on"]`},
		{`[0x1F, -0x1f, 0o17, 017, 0b101, -0b101, 1_000, +12, -0]`, `[31, -31, 15, 15, 5, -5, 1000, 12, 0]`},
		{`[1.5e3, .5, +.5, -.5, 1., -1.e5, 007.50, 1_0.2_5, 08, 1E+2]`, `[1.5e3, 0.5, 0.5, -0.5, 1, -1e5, 7.50, 10.25, 8, 1E+2]`},
		{`[18446744073709551616, 123456789012345678901234567890]`, `[18446744073709551616, 123456789012345678901234567890]`},
		{`[!!float 3, !!float 0x10, !!int "12", !!str 12, !!null ~, !!bool true]`, `[3, 16, 12, "12", null, true]`},
		{`[1.0.0, 0x, 12:30, 1e, .inf.x]`, `["1.0.0", "0x", "12:30", "1e", ".inf.x"]`},
		{"doc: |\n  line 1\n  line 2\nsummary: >\n  folded\n  text\n", `{"doc": "line 1\nline 2\n", "summary": "folded text\n"}`},
		{`{1: a, true: b, null: c, 1.5: d, "": e}`, `{"1": "a", "true": "b", "null": "c", "1.5": "d", "": "e"}`},
		{"a: &x\n  b: [1, 2]\n  c: &y 3\nd: *x\ne: [*y, *x]", `{"a": {"b": [1, 2], "c": 3}, "d": {"b": [1, 2], "c": 3}, "e": [3, {"b": [1, 2], "c": 3}]}`},
		{"k: &k key\n*k : v", `{"k": "key", "key": "v"}`},
		{"---\nplain scalar\n...\n", `"plain scalar"`},
		{`"\u00e9\t\U0001F600"`, strconv.Quote("é\t😀")},
		{"\uFEFFa: 1", `{"a": 1}`},
		{strings.Repeat("[", maxNesting) + strings.Repeat("]", maxNesting), strings.Repeat("[", maxNesting) + strings.Repeat("]", maxNesting)},
	}
	for _, tt := range tests {
		docs, diags := parseTestSource(t, tt.in, true, false)
		if len(diags) > 0 {
			t.Errorf("Parse(%q): unexpected diagnostics:\n%s", tt.in, strings.Join(diags, "\n"))
			continue
		}
		if len(docs) != 1 || docs[0] != tt.want {
			t.Errorf("Parse(%q) = %q, want %q", tt.in, docs, tt.want)
		}
	}
}

func TestParseYAMLDocuments(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		docs  []string
		diags []string
	}{
		{"empty file", "", nil, nil},
		{"only comments", "# nothing\n\n# here\n", nil, nil},
		{"only separators", "---\n---\n...\n---\n", nil, nil},
		{
			"several documents, empty ones skipped",
			"---\na: 1\n---\n# only a comment\n---\n[x]\n...\n---\n--- ~\n---\nb: 2\n",
			[]string{`{"a"@2:1: 1@2:4}@2:1`, `["x"@6:2]@6:1`, `null@9:5`, `{"b"@11:1: 2@11:4}@11:1`},
			nil,
		},
		{
			"document without separator first",
			"a: 1\n--- b\n",
			[]string{`{"a"@1:1: 1@1:4}@1:1`, `"b"@2:5`},
			nil,
		},
		{
			"bad document dropped, others kept",
			"a: 1\n---\nb: .nan\n---\nc: 3\n",
			[]string{`{"a"@1:1: 1@1:4}@1:1`, `{"c"@5:1: 3@5:4}@5:1`},
			[]string{"a.avsc.yaml:3:4: .nan is not representable in JSON"},
		},
		{
			"syntax error keeps the documents before it",
			"a: 1\n---\nb: [\n",
			[]string{`{"a"@1:1: 1@1:4}@1:1`},
			[]string{"a.avsc.yaml:4:1: did not find expected node content"},
		},
		{
			"anchors do not cross documents",
			"a: &x 1\n---\nb: *x\n",
			[]string{`{"a"@1:1: 1@1:4}@1:1`},
			[]string{"a.avsc.yaml:3:4: alias *x refers to an anchor in another document"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, diags := parseTestSource(t, tt.in, true, true)
			if !slices.Equal(docs, tt.docs) {
				t.Errorf("documents:\n\t%s\nwant\n\t%s", strings.Join(docs, "\n\t"), strings.Join(tt.docs, "\n\t"))
			}
			if !slices.Equal(diags, tt.diags) {
				t.Errorf("diagnostics:\n\t%s\nwant\n\t%s", strings.Join(diags, "\n\t"), strings.Join(tt.diags, "\n\t"))
			}
		})
	}
}

func TestParseYAMLErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"bad indentation", "a: 1\n b: 2", []string{"a.avsc.yaml:2:1: mapping values are not allowed in this context"}},
		{"bad sequence indentation", "a:\n  - b\n - c", []string{"a.avsc.yaml:3:1: did not find expected key"}},
		{"unclosed flow sequence", "a: 1\nb: [\nc: 2", []string{"a.avsc.yaml:2:1: did not find expected ',' or ']'"}},
		{"unclosed flow mapping", "{a: 1, b", []string{"a.avsc.yaml:1:9: did not find expected ',' or '}'"}},
		{"unclosed flow mapping, later line", "x:\n  {a: 1, é", []string{"a.avsc.yaml:2:1: did not find expected ',' or '}'"}},
		{"tab indentation", "\ta: 1", []string{"a.avsc.yaml:1:1: found character that cannot start any token"}},
		{"unclosed quote", "a: 1\nb: \"abc", []string{"a.avsc.yaml:2:1: found unexpected end of stream"}},
		{"control character", "a: b\nc: d\x01", []string{"a.avsc.yaml:2:5: character U+0001 is not allowed in YAML"}},
		{"invalid utf-8", "a: é\nb: \xff", []string{"a.avsc.yaml:2:4: invalid UTF-8"}},
		{"unknown anchor", "a: *nope", []string{"a.avsc.yaml: unknown anchor 'nope' referenced"}},
		{"duplicate key", "a: 1\nb: 2\na: 3", []string{`a.avsc.yaml:3:1: duplicate key "a"`}},
		{"duplicate key spelled differently", "1: a\n\"1\": b", []string{`a.avsc.yaml:2:1: duplicate key "1"`}},
		{"binary", "a: !!binary aGk=", []string{"a.avsc.yaml:1:4: unsupported YAML tag !!binary"}},
		{"custom scalar tag", "a: !custom x", []string{"a.avsc.yaml:1:4: unsupported YAML tag !custom"}},
		{"custom mapping tag", "!thing {a: 1}", []string{"a.avsc.yaml:1:1: unsupported YAML tag !thing"}},
		{"set", "!!set {a, b}", []string{"a.avsc.yaml:1:1: unsupported YAML tag !!set"}},
		{"omap", "!!omap [a: 1]", []string{"a.avsc.yaml:1:1: unsupported YAML tag !!omap"}},
		{"tagged key", "!k a: 1", []string{"a.avsc.yaml:1:1: unsupported YAML tag !k"}},
		{"timestamp", "a: 2024-01-02", []string{`a.avsc.yaml:1:4: unsupported YAML tag !!timestamp for "2024-01-02" (quote it to make it a string)`}},
		{"infinity and nan", "- .inf\n- -.Inf\n- .NaN", []string{
			"a.avsc.yaml:1:3: .inf is not representable in JSON",
			"a.avsc.yaml:2:3: -.Inf is not representable in JSON",
			"a.avsc.yaml:3:3: .NaN is not representable in JSON",
		}},
		{"bad int", "a: !!int abc", []string{`a.avsc.yaml:1:4: invalid !!int value "abc"`}},
		{"float as int", "a: !!int 1.5", []string{`a.avsc.yaml:1:4: invalid !!int value "1.5"`}},
		{"bad float", "a: !!float x", []string{`a.avsc.yaml:1:4: invalid !!float value "x"`}},
		{"bad bool", "a: !!bool yes", []string{`a.avsc.yaml:1:4: invalid !!bool value "yes"`}},
		{"bad null", "a: !!null x", []string{`a.avsc.yaml:1:4: invalid !!null value "x"`}},
		{"sequence key", "? [a]\n: b", []string{"a.avsc.yaml:1:3: mapping key must be a scalar, not a sequence"}},
		{"mapping key", "? {a: 1}\n: b", []string{"a.avsc.yaml:1:3: mapping key must be a scalar, not a mapping"}},
		{"merge key", "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2", []string{"a.avsc.yaml:3:3: merge keys (<<) are not supported"}},
		{"recursive alias", "a: &x [1, *x]", []string{"a.avsc.yaml:1:11: alias *x refers to a value that contains it"}},
		{"too deep", strings.Repeat("[", maxNesting+1) + strings.Repeat("]", maxNesting+1), []string{"a.avsc.yaml:1:1001: exceeded maximum nesting depth of 1000"}},
		{
			"too deep through aliases",
			"a: &a " + strings.Repeat("[", 600) + strings.Repeat("]", 600) + "\nb: " + strings.Repeat("[", 400) + "*a" + strings.Repeat("]", 400),
			[]string{"a.avsc.yaml:1:606: exceeded maximum nesting depth of 1000"},
		},
		{
			"all problems of a document",
			"a: .inf\nb: !!binary x\na: 3\nc: [2001-02-03]",
			[]string{
				"a.avsc.yaml:1:4: .inf is not representable in JSON",
				"a.avsc.yaml:2:4: unsupported YAML tag !!binary",
				`a.avsc.yaml:3:1: duplicate key "a"`,
				`a.avsc.yaml:4:5: unsupported YAML tag !!timestamp for "2001-02-03" (quote it to make it a string)`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, diags := parseTestSource(t, tt.in, true, false)
			if len(docs) != 0 {
				t.Errorf("Parse(%q) returned documents %q", tt.in, docs)
			}
			if !slices.Equal(diags, tt.want) {
				t.Errorf("Parse(%q) diagnostics:\n\t%s\nwant\n\t%s", tt.in, strings.Join(diags, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

func TestParseYAMLAliasExpansionLimit(t *testing.T) {
	// Each level holds ten aliases of the one before: 10^9 nodes expanded.
	var b strings.Builder
	b.WriteString("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "l%d: &l%d [", i, i)
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]\n")
	}
	docs, diags := parseTestSource(t, b.String(), true, false)
	if len(docs) != 0 {
		t.Errorf("got %d documents, want none", len(docs))
	}
	want := fmt.Sprintf("aliases expand to more than %d nodes", maxAliasNodes)
	if len(diags) != 1 || !strings.HasSuffix(diags[0], want) {
		t.Errorf("diagnostics = %q, want one ending in %q", diags, want)
	}
}

func TestParseCollectsAllSources(t *testing.T) {
	srcs := []Source{
		{Path: "b.avsc", Data: []byte(`{"type": }`)},
		{Path: "a.avsc", Data: []byte(`"string"`)},
		{Path: "d.avsc.yaml", Data: []byte("a: [\n"), YAML: true},
		{Path: "c.avsc.yaml", Data: []byte("--- int\n--- long\n"), YAML: true},
		{Path: "e.avsc", Data: []byte(`{"a": 1, "a": 2}`)},
	}
	docs, diags := Parse(srcs)
	var got []string
	for _, d := range docs {
		got = append(got, d.Path+" "+dumpNode(d.Root, false))
	}
	wantDocs := []string{`a.avsc "string"`, `c.avsc.yaml "int"`, `c.avsc.yaml "long"`}
	if !slices.Equal(got, wantDocs) {
		t.Errorf("documents = %q, want %q", got, wantDocs)
	}
	wantDiags := "b.avsc:1:10: invalid character '}' looking for beginning of value\n" +
		"d.avsc.yaml:2:1: did not find expected node content\n" +
		`e.avsc:1:10: duplicate key "a"`
	if err := diags.Err(); err == nil || err.Error() != wantDiags {
		t.Errorf("diagnostics:\n%v\nwant\n%s", err, wantDiags)
	}
}

// TestParseSeedSchemas parses the example schemas: records whose name is
// the file's name in CamelCase.
func TestParseSeedSchemas(t *testing.T) {
	const dir = "../../examples/coffeebar/schemas"
	srcs, err := Read([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	docs, diags := Parse(srcs)
	if err := diags.Err(); err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(docs) == 0 || len(docs) != len(srcs) {
		t.Fatalf("got %d documents from %d sources", len(docs), len(srcs))
	}
	wantKeys := []string{"namespace", "name", "doc", "type", "fields"}
	byFile := make(map[string]*Node)
	for _, d := range docs {
		file := strings.TrimPrefix(d.Path, dir+"/")
		byFile[file] = d.Root
		var keys []string
		for _, m := range d.Root.Members {
			keys = append(keys, m.Key)
		}
		if !slices.Equal(keys, wantKeys) {
			t.Errorf("%s: top-level keys %q, want %q", d.Path, keys, wantKeys)
		}
		wantName := snakeToCamel(strings.TrimSuffix(file, ".avsc.yaml"))
		if name := d.Root.Get("name"); name == nil || name.Kind != StringNode || name.Text != wantName {
			t.Errorf("%s: name = %s, want %q", d.Path, dumpNode(name, false), wantName)
		}
		if f := d.Root.Get("fields"); f == nil || f.Kind != ArrayNode || len(f.Items) == 0 {
			t.Errorf("%s: fields = %s, want a non-empty array", d.Path, dumpNode(f, false))
		}
	}
	ordered := byFile["coffee_ordered.avsc.yaml"]
	if ordered == nil {
		t.Fatalf("no coffee_ordered.avsc.yaml in %s", dir)
	}
	// The union written as - "null" / - string holds two strings.
	field := ordered.Get("fields").Items[2]
	if got, want := dumpNode(field, true), `{"name"@12:5: "partition_key"@12:11, "doc"@13:5: "A string determining to which partition your record will be assigned"@13:10, "type"@14:5: ["null"@15:9, "string"@16:9]@15:7}@12:5`; got != want {
		t.Errorf("coffee_ordered field 2:\n got %s\nwant %s", got, want)
	}
}

// snakeToCamel turns snake_case into CamelCase.
func snakeToCamel(s string) string {
	var b strings.Builder
	for w := range strings.SplitSeq(s, "_") {
		if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}
