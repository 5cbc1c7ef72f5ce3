package schema

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tonga-go/tonga/internal/diag"
)

// FuzzParse checks that Parse never panics, that every node carries a
// position, and that the JSON parser accepts exactly what encoding/json
// accepts, with the same values, save for what it rejects on purpose.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte, yaml bool) {
		docs, diags := Parse([]Source{{Path: "f", Data: data, YAML: yaml}})
		for _, d := range diags.Items() {
			if d.Pos.File != "f" || d.Pos.Line < 0 || d.Pos.Line > 0 && d.Pos.Col < 1 {
				t.Errorf("bad diagnostic position: %v", d)
			}
		}
		for _, doc := range docs {
			checkFuzzNode(t, doc.Root, data, !yaml)
		}
		if !yaml {
			checkFuzzJSON(t, data, docs, diags.Items())
		}
	})
}

// checkFuzzNode checks the positions and number literals of the tree n. For
// JSON it also checks that each position is that of the node's first
// character.
func checkFuzzNode(t *testing.T, n *Node, data []byte, isJSON bool) {
	t.Helper()
	if n == nil {
		t.Fatal("nil node")
	}
	if n.Pos.File != "f" || n.Pos.Line < 1 || n.Pos.Col < 1 {
		t.Fatalf("bad position %v for %s", n.Pos, n.Kind)
	}
	if n.Kind == NumberNode && !isJSONNumberText(n.Text) {
		t.Fatalf("%v: number %q is not in JSON syntax", n.Pos, n.Text)
	}
	if isJSON {
		first := map[NodeKind]string{NullNode: "n", BoolNode: "tf", NumberNode: "-0123456789", StringNode: `"`, ArrayNode: "[", ObjectNode: "{"}
		if c, ok := jsonCharAt(data, n.Pos.Line, n.Pos.Col); !ok || !strings.ContainsRune(first[n.Kind], c) {
			t.Fatalf("%v: %s starts with %q", n.Pos, n.Kind, c)
		}
	}
	for _, item := range n.Items {
		checkFuzzNode(t, item, data, isJSON)
	}
	for _, m := range n.Members {
		if m.KeyPos.File != "f" || m.KeyPos.Line < 1 || m.KeyPos.Col < 1 {
			t.Fatalf("bad key position %v", m.KeyPos)
		}
		if c, ok := jsonCharAt(data, m.KeyPos.Line, m.KeyPos.Col); isJSON && (!ok || c != '"') {
			t.Fatalf("%v: key starts with %q", m.KeyPos, c)
		}
		checkFuzzNode(t, m.Value, data, isJSON)
	}
}

// jsonCharAt returns the character at a line and column of JSON input,
// counting a leading byte order mark as nothing.
func jsonCharAt(data []byte, line, col int) (rune, bool) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	for ; line > 1; line-- {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return 0, false
		}
		data = data[i+1:]
	}
	for ; col > 1 && len(data) > 0; col-- {
		if data[0] == '\n' {
			return 0, false
		}
		_, size := utf8.DecodeRune(data)
		data = data[size:]
	}
	if len(data) == 0 {
		return 0, false
	}
	r, _ := utf8.DecodeRune(data)
	return r, true
}

func isJSONNumberText(s string) bool {
	var v any
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	if d.Decode(&v) != nil {
		return false
	}
	n, ok := v.(json.Number)
	return ok && n.String() == s
}

// jsonRejections are the messages of the JSON parser's deliberate
// departures from encoding/json, which accepts these inputs.
var jsonRejections = []string{
	"duplicate key ",
	"exceeded maximum nesting depth ",
	"unpaired surrogate",
	"invalid UTF-8 in string literal",
}

// checkFuzzJSON compares the outcome of parsing data as JSON with
// encoding/json's.
func checkFuzzJSON(t *testing.T, data []byte, docs []*Document, diags []diag.Diagnostic) {
	t.Helper()
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	valid := json.Valid(data)
	if len(diags) == 0 {
		if !valid {
			t.Fatalf("accepted input encoding/json rejects: %q", data)
		}
		if len(docs) != 1 {
			t.Fatalf("got %d documents, want 1", len(docs))
		}
		var want any
		d := json.NewDecoder(bytes.NewReader(data))
		d.UseNumber()
		if err := d.Decode(&want); err != nil {
			t.Fatalf("encoding/json: %v", err)
		}
		if got := jsonValueOf(docs[0].Root); !reflect.DeepEqual(got, want) {
			t.Fatalf("value %#v, encoding/json has %#v", got, want)
		}
		return
	}
	if len(docs) != 0 {
		t.Fatalf("got documents with diagnostics %v", diags)
	}
	if !valid {
		return
	}
	for _, d := range diags {
		if !slices.ContainsFunc(jsonRejections, func(r string) bool { return strings.Contains(d.Msg, r) }) {
			t.Fatalf("rejected input encoding/json accepts: %q: %v", data, d)
		}
	}
}

// jsonValueOf returns n as encoding/json decodes it with UseNumber.
func jsonValueOf(n *Node) any {
	switch n.Kind {
	case BoolNode:
		return n.Bool
	case NumberNode:
		return json.Number(n.Text)
	case StringNode:
		return n.Text
	case ArrayNode:
		a := make([]any, 0, len(n.Items))
		for _, item := range n.Items {
			a = append(a, jsonValueOf(item))
		}
		return a
	case ObjectNode:
		m := make(map[string]any, len(n.Members))
		for _, mem := range n.Members {
			m[mem.Key] = jsonValueOf(mem.Value)
		}
		return m
	}
	return nil
}
