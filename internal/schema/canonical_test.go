package schema

import (
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// Schema trees for the canonical-form tests, built by hand so these tests
// need no parser. Every helper is prefixed pcf to keep clear of other test
// files in the package.

func pcfPrim(k Kind) *Schema { return &Schema{Kind: k} }

func pcfNamed(k Kind, namespace, name string) *Schema {
	full := name
	if namespace != "" {
		full = namespace + "." + name
	}
	return &Schema{Kind: k, FullName: full, Namespace: namespace}
}

func pcfRecord(namespace, name string, fields ...*Field) *Schema {
	s := pcfNamed(Record, namespace, name)
	s.Fields = fields
	return s
}

func pcfField(name string, t *Schema) *Field { return &Field{Name: name, Type: t} }

func pcfUnion(branches ...*Schema) *Schema { return &Schema{Kind: Union, Branches: branches} }

func pcfArray(items *Schema) *Schema { return &Schema{Kind: Array, Items: items} }

func pcfMap(values *Schema) *Schema { return &Schema{Kind: Map, Values: values} }

func pcfString(v string) *Node { return &Node{Kind: StringNode, Text: v} }

func pcfNumber(v string) *Node { return &Node{Kind: NumberNode, Text: v} }

func pcfProp(key, value string) Prop { return Prop{Key: key, Value: pcfString(value)} }

// pcfCase is a hand-built schema with its canonical form and fingerprint.
// The want values, canonical form and fingerprint alike, were computed by
// the reference implementation, Java's org.apache.avro.SchemaNormalization
// (toParsingForm and parsingFingerprint64; Debian's libavro-java 1.8.2),
// from the schema JSON quoted in the comment of the function that builds
// the case; the tree mirrors that JSON.
type pcfCase struct {
	name   string
	schema *Schema
	want   string
	wantFP int64
}

// pcfLongList builds the tree of
//
//	{"type":"record","name":"LongList","aliases":["LinkedLongs"],"doc":"A linked list of longs.","go.name":"List",
//	 "fields":[{"name":"value","type":"long","doc":"The head.","default":0},
//	           {"name":"next","type":["null","LongList"],"default":null}]}
func pcfLongList() pcfCase {
	longList := pcfRecord("", "LongList")
	longList.Aliases = []string{"LinkedLongs"}
	longList.Doc = "A linked list of longs."
	longList.Props = []Prop{pcfProp("go.name", "List")}
	value := pcfField("value", pcfPrim(Long))
	value.Doc = "The head."
	value.Default = pcfNumber("0")
	next := pcfField("next", pcfUnion(pcfPrim(Null), longList))
	next.Default = &Node{Kind: NullNode}
	longList.Fields = []*Field{value, next}
	return pcfCase{"recursive record", longList,
		`{"name":"LongList","type":"record","fields":[{"name":"value","type":"long"},{"name":"next","type":["null","LongList"]}]}`,
		8943312752287993490}
}

// pcfNamedTwice builds the tree of
//
//	{"type":"record","name":"Pair","namespace":"com.example","fields":[
//	  {"name":"a","type":{"type":"fixed","name":"MD5","size":16,"doc":"digest","aliases":["Hash"]}},
//	  {"name":"b","type":"MD5"}]}
func pcfNamedTwice() pcfCase {
	md5 := pcfNamed(Fixed, "com.example", "MD5")
	md5.Size = 16
	md5.Doc = "digest"
	md5.Aliases = []string{"com.example.Hash"}
	return pcfCase{"named type used twice", pcfRecord("com.example", "Pair", pcfField("a", md5), pcfField("b", md5)),
		`{"name":"com.example.Pair","type":"record","fields":[{"name":"a","type":{"name":"com.example.MD5","type":"fixed","size":16}},{"name":"b","type":"com.example.MD5"}]}`,
		381263484850628054}
}

// pcfEnum builds the tree of
//
//	{"type":"enum","name":"Suit","namespace":"cards","doc":"A card suit.","aliases":["Suits"],
//	 "symbols":["SPADES","HEARTS","DIAMONDS","CLUBS"],"default":"SPADES","go.name":"CardSuit"}
func pcfEnum() pcfCase {
	suit := pcfNamed(Enum, "cards", "Suit")
	suit.Doc = "A card suit."
	suit.Aliases = []string{"cards.Suits"}
	suit.Symbols = []string{"SPADES", "HEARTS", "DIAMONDS", "CLUBS"}
	suit.EnumDefault, suit.HasEnumDefault = "SPADES", true
	suit.Props = []Prop{pcfProp("go.name", "CardSuit")}
	return pcfCase{"enum", suit,
		`{"name":"cards.Suit","type":"enum","symbols":["SPADES","HEARTS","DIAMONDS","CLUBS"]}`,
		-4848939025334193015}
}

// pcfFixed builds the tree of
//
//	{"type":"fixed","name":"Span","namespace":"t","size":12,"logicalType":"duration","doc":"d"}
func pcfFixed() pcfCase {
	span := pcfNamed(Fixed, "t", "Span")
	span.Size = 12
	span.Logical = DurationLogical
	span.Doc = "d"
	return pcfCase{"fixed with logical type", span,
		`{"name":"t.Span","type":"fixed","size":12}`,
		-4228622288715002986}
}

// pcfMapOfArray builds the tree of
//
//	{"type":"map","values":{"type":"array","items":{"type":"record","name":"Item","fields":[{"name":"id","type":"string"}]}}}
func pcfMapOfArray() pcfCase {
	return pcfCase{"map of array of record",
		pcfMap(pcfArray(pcfRecord("", "Item", pcfField("id", pcfPrim(String))))),
		`{"type":"map","values":{"type":"array","items":{"name":"Item","type":"record","fields":[{"name":"id","type":"string"}]}}}`,
		-8082241632449404100}
}

// pcfArrayOfMap builds the tree of
//
//	{"type":"array","items":{"type":"map","values":"int","go.name":"Counts"},"go.name":"CountsList"}
func pcfArrayOfMap() pcfCase {
	counts := pcfMap(pcfPrim(Int))
	counts.Props = []Prop{pcfProp("go.name", "Counts")}
	list := pcfArray(counts)
	list.Props = []Prop{pcfProp("go.name", "CountsList")}
	return pcfCase{"array of map with props", list,
		`{"type":"array","items":{"type":"map","values":"int"}}`,
		6849679548046869432}
}

// pcfNestedUnions builds the tree of
//
//	["null",
//	 {"type":"record","name":"A","namespace":"n","fields":[
//	   {"name":"b","type":["null",{"type":"record","name":"B","fields":[{"name":"a","type":["A","null"]}]}]},
//	   {"name":"e","type":{"type":"enum","name":"E","symbols":["X","Y"]}}]},
//	 "n.B","n.E",{"type":"array","items":"n.A"}]
func pcfNestedUnions() pcfCase {
	a := pcfRecord("n", "A")
	b := pcfRecord("n", "B", pcfField("a", pcfUnion(a, pcfPrim(Null))))
	e := pcfNamed(Enum, "n", "E")
	e.Symbols = []string{"X", "Y"}
	a.Fields = []*Field{pcfField("b", pcfUnion(pcfPrim(Null), b)), pcfField("e", e)}
	return pcfCase{"nested unions of named types", pcfUnion(pcfPrim(Null), a, b, e, pcfArray(a)),
		`["null",{"name":"n.A","type":"record","fields":[{"name":"b","type":["null",{"name":"n.B","type":"record","fields":[{"name":"a","type":["n.A","null"]}]}]},{"name":"e","type":{"name":"n.E","type":"enum","symbols":["X","Y"]}}]},"n.B","n.E",{"type":"array","items":"n.A"}]`,
		7086786484055456093}
}

// pcfLogicalTypes builds the tree of
//
//	{"type":"record","name":"Payment","namespace":"tonga.cashregister.event","tonga.kind":"event",
//	 "fields":[
//	  {"name":"timestamp","type":{"type":"double","logicalType":"timestamp-millis"}},
//	  {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}},
//	  {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
//	  {"name":"id","type":{"type":"string","logicalType":"uuid"}},
//	  {"name":"day","type":{"type":"int","logicalType":"date"}}]}
func pcfLogicalTypes() pcfCase {
	payment := pcfRecord("tonga.cashregister.event", "Payment",
		pcfField("timestamp", &Schema{Kind: Double, IgnoredLogical: TimestampMillis}),
		pcfField("at", &Schema{Kind: Long, Logical: TimestampMillis}),
		pcfField("amount", &Schema{Kind: Bytes, Logical: Decimal, Precision: 10, Scale: 2}),
		pcfField("id", &Schema{Kind: String, Logical: UUID}),
		pcfField("day", &Schema{Kind: Int, Logical: Date}))
	payment.Props = []Prop{pcfProp("tonga.kind", "event")}
	return pcfCase{"logical types dropped", payment,
		`{"name":"tonga.cashregister.event.Payment","type":"record","fields":[{"name":"timestamp","type":"double"},{"name":"at","type":"long"},{"name":"amount","type":"bytes"},{"name":"id","type":"string"},{"name":"day","type":"int"}]}`,
		5983451295544324612}
}

// pcfFieldAttributes builds the tree of
//
//	{"type":"record","name":"Order","namespace":"shop","doc":"An order.","aliases":["Purchase"],"tonga.version":"1",
//	 "fields":[
//	  {"name":"qty","type":"int","doc":"How many.","default":1,"aliases":["quantity"],"order":"descending","go.name":"Quantity"},
//	  {"name":"note","type":["null","string"],"default":null,"order":"ignore"}]}
func pcfFieldAttributes() pcfCase {
	qty := pcfField("qty", pcfPrim(Int))
	qty.Doc = "How many."
	qty.Default = pcfNumber("1")
	qty.Aliases = []string{"quantity"}
	qty.Order = "descending"
	qty.Props = []Prop{pcfProp("go.name", "Quantity")}
	note := pcfField("note", pcfUnion(pcfPrim(Null), pcfPrim(String)))
	note.Default = &Node{Kind: NullNode}
	note.Order = "ignore"
	order := pcfRecord("shop", "Order", qty, note)
	order.Doc = "An order."
	order.Aliases = []string{"shop.Purchase"}
	order.Props = []Prop{pcfProp("tonga.version", "1")}
	return pcfCase{"field attributes dropped", order,
		`{"name":"shop.Order","type":"record","fields":[{"name":"qty","type":"int"},{"name":"note","type":["null","string"]}]}`,
		809240900030602057}
}

// pcfNamespaces builds the tree of
//
//	{"type":"record","name":"Outer","namespace":"a.b","fields":[
//	  {"name":"x","type":{"type":"record","name":"c.D","fields":[
//	     {"name":"y","type":{"type":"enum","name":"F","symbols":["G"]}}]}},
//	  {"name":"z","type":{"type":"record","name":"Inner","namespace":"","fields":[
//	     {"name":"w","type":"c.F"}]}},
//	  {"name":"v","type":"Outer"}]}
func pcfNamespaces() pcfCase {
	f := pcfNamed(Enum, "c", "F")
	f.Symbols = []string{"G"}
	outer := pcfRecord("a.b", "Outer",
		pcfField("x", pcfRecord("c", "D", pcfField("y", f))),
		pcfField("z", pcfRecord("", "Inner", pcfField("w", f))))
	outer.Fields = append(outer.Fields, pcfField("v", outer))
	return pcfCase{"full names across namespaces", outer,
		`{"name":"a.b.Outer","type":"record","fields":[{"name":"x","type":{"name":"c.D","type":"record","fields":[{"name":"y","type":{"name":"c.F","type":"enum","symbols":["G"]}}]}},{"name":"z","type":{"name":"Inner","type":"record","fields":[{"name":"w","type":"c.F"}]}},{"name":"v","type":"a.b.Outer"}]}`,
		2582307889952162996}
}

// pcfTree builds the tree of
//
//	{"type":"record","name":"Tree","fields":[{"name":"label","type":"string"},{"name":"children","type":{"type":"map","values":"Tree"}}]}
func pcfTree() pcfCase {
	tree := pcfRecord("", "Tree", pcfField("label", pcfPrim(String)))
	tree.Fields = append(tree.Fields, pcfField("children", pcfMap(tree)))
	return pcfCase{"recursion through a map", tree,
		`{"name":"Tree","type":"record","fields":[{"name":"label","type":"string"},{"name":"children","type":{"type":"map","values":"Tree"}}]}`,
		6203951452873348083}
}

func TestCanonical(t *testing.T) {
	tests := []pcfCase{
		pcfLongList(),
		pcfNamedTwice(),
		// {"name":"R","type":"record","fields":[]}
		{"empty record", pcfRecord("", "R"), `{"name":"R","type":"record","fields":[]}`, -4944168350069493447},
		pcfEnum(),
		pcfFixed(),
		pcfMapOfArray(),
		pcfArrayOfMap(),
		pcfNestedUnions(),
		pcfLogicalTypes(),
		pcfFieldAttributes(),
		pcfNamespaces(),
		pcfTree(),
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.schema.Canonical(); got != tc.want {
				t.Errorf("Canonical() =\n%s\nwant\n%s", got, tc.want)
			}
			if got := int64(tc.schema.Fingerprint()); got != tc.wantFP {
				t.Errorf("Fingerprint() = %d, want %d", got, tc.wantFP)
			}
		})
	}
}

// TestCanonicalPrimitives checks the primitives, whatever logical type or
// properties they carry. Canonical forms and fingerprints are those of
// cases 000 to 014 of the Avro project's share/test/data/schema-tests.txt
// (testdata/pcf-vectors.txt).
func TestCanonicalPrimitives(t *testing.T) {
	tests := []struct {
		kind   Kind
		want   string
		wantFP int64
	}{
		{Null, `"null"`, 7195948357588979594},
		{Boolean, `"boolean"`, -6970731678124411036},
		{Int, `"int"`, 8247732601305521295},
		{Long, `"long"`, -3434872931120570953},
		{Float, `"float"`, 5583340709985441680},
		{Double, `"double"`, -8181574048448539266},
		{Bytes, `"bytes"`, 5746618253357095269},
		{String, `"string"`, -8142146995180207161},
	}
	for _, tc := range tests {
		plain := pcfPrim(tc.kind)
		decorated := &Schema{Kind: tc.kind, Logical: TimestampMillis, IgnoredLogical: Date,
			Precision: 4, Scale: 2, Props: []Prop{pcfProp("go.name", "X")}}
		for _, s := range []*Schema{plain, decorated} {
			if got := s.Canonical(); got != tc.want {
				t.Errorf("%v: Canonical() = %s, want %s", tc.kind, got, tc.want)
			}
			if got := int64(s.Fingerprint()); got != tc.wantFP {
				t.Errorf("%v: Fingerprint() = %d, want %d", tc.kind, got, tc.wantFP)
			}
		}
	}
}

// TestCanonicalIndependentWalks checks that each call starts a new walk: a
// named type met in an earlier call is written in full again.
func TestCanonicalIndependentWalks(t *testing.T) {
	r := pcfRecord("", "R")
	u := pcfUnion(r, pcfArray(r))
	// From Java's SchemaNormalization (libavro-java 1.8.2) for
	// [{"name":"R","type":"record","fields":[]},{"type":"array","items":"R"}].
	const (
		want   = `[{"name":"R","type":"record","fields":[]},{"type":"array","items":"R"}]`
		wantFP = 2069106163988538580
	)
	for i := range 2 {
		if got := u.Canonical(); got != want {
			t.Errorf("call %d: Canonical() = %s, want %s", i, got, want)
		}
		if got := int64(u.Fingerprint()); got != wantFP {
			t.Errorf("call %d: Fingerprint() = %d, want %d", i, got, wantFP)
		}
	}
}

func TestWriteJSONString(t *testing.T) {
	// Want is what Jackson (jackson-core-asl 1.9.13, the JSON writer of
	// Java Avro) writes for the same string with JsonGenerator.writeString.
	in := "A\x00\x01\a\b\t\n\v\f\r\x0e\x1f \"\\/\x7fé\u2028\U0001F600B"
	want := `"A\u0000\u0001\u0007\b\t\n\u000B\f\r\u000E\u001F \"\\/` + "\x7fé\u2028\U0001F600B\""
	var b strings.Builder
	writeJSONString(&b, in)
	if got := b.String(); got != want {
		t.Errorf("writeJSONString(%q) = %q, want %q", in, got, want)
	}
}

func TestFingerprint64(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want uint64
	}{
		// The Avro specification: EMPTY, the fingerprint of no bytes.
		{"empty", "", 0xc15d213aa4d7a795},
		// Apache Avro lang/ruby/test/test_fingerprints.rb and linkedin/goavro
		// crc64avro_test.go.
		{"int", `"int"`, 0x7275d51a3f395c8f},
		// linkedin/goavro crc64avro_test.go.
		{"string", `"string"`, 0x8f014872634503c7},
	}
	for _, tc := range tests {
		if got := Fingerprint64([]byte(tc.in)); got != tc.want {
			t.Errorf("%s: Fingerprint64(%q) = %#x, want %#x", tc.name, tc.in, got, tc.want)
		}
	}

	// Single-object encoding writes the fingerprint little-endian after
	// C3 01. The header of "int", from Apache Avro
	// lang/ruby/test/test_fingerprints.rb.
	header := binary.LittleEndian.AppendUint64([]byte{0xc3, 0x01}, Fingerprint64([]byte(`"int"`)))
	want := []byte{0xc3, 0x01, 0x8f, 0x5c, 0x39, 0x3f, 0x1a, 0xd5, 0x75, 0x72}
	if string(header) != string(want) {
		t.Errorf("single-object header of \"int\" = % x, want % x", header, want)
	}
}

// pcfVector is one case of testdata/pcf-vectors.txt; the file's header
// describes the format.
type pcfVector struct {
	id        string
	input     string
	canonical string
	// fingerprint is the CRC-64-AVRO fingerprint as a Java long; valid
	// when hasFP.
	fingerprint int64
	hasFP       bool
}

func readPCFVectors(t *testing.T) []pcfVector {
	t.Helper()
	const path = "testdata/pcf-vectors.txt"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	vectors, err := parsePCFVectors(string(data))
	if err != nil {
		t.Fatalf("%s:%v", path, err)
	}
	return vectors
}

// parsePCFVectors parses the text of testdata/pcf-vectors.txt. Errors are
// prefixed by the line number.
func parsePCFVectors(text string) ([]pcfVector, error) {
	var (
		vectors []pcfVector
		v       *pcfVector
		section string // the open section, "" between cases
		body    []string
	)
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	for i, line := range append(lines, "=== end") {
		rest, isHeader := strings.CutPrefix(line, "=== ")
		if !isHeader {
			switch {
			case section != "":
				body = append(body, line)
			case line != "" && (v != nil || !strings.HasPrefix(line, "#")):
				return nil, fmt.Errorf("%d: text outside a section: %q", i+1, line)
			}
			continue
		}
		if section != "" {
			if err := v.set(section, body); err != nil {
				return nil, fmt.Errorf("%d: case %s: %w", i+1, v.id, err)
			}
		}
		section, body = "", nil
		switch id, isCase := strings.CutPrefix(rest, "case "); {
		case isCase || rest == "end":
			if v != nil && (v.input == "" || v.canonical == "") {
				return nil, fmt.Errorf("%d: case %s lacks its input or canonical form", i+1, v.id)
			}
			vectors = append(vectors, pcfVector{id: id})
			v = &vectors[len(vectors)-1]
		case v == nil:
			return nil, fmt.Errorf("%d: section %q before the first case", i+1, rest)
		case rest == "input" || rest == "canonical" || rest == "fingerprint":
			section = rest
		default:
			return nil, fmt.Errorf("%d: unknown section %q", i+1, rest)
		}
	}
	return vectors[:len(vectors)-1], nil
}

// set stores the body of one section of v.
func (v *pcfVector) set(section string, body []string) error {
	if section == "input" {
		v.input = strings.Join(body, "\n")
		return nil
	}
	for len(body) > 0 && body[len(body)-1] == "" {
		body = body[:len(body)-1]
	}
	if len(body) != 1 {
		return fmt.Errorf("section %s has %d lines, want 1", section, len(body))
	}
	if section == "canonical" {
		v.canonical = body[0]
		return nil
	}
	fp, err := strconv.ParseInt(body[0], 10, 64)
	if err != nil {
		return err
	}
	v.fingerprint, v.hasFP = fp, true
	return nil
}

// TestFingerprintVectors checks Fingerprint64 against the Avro project's
// vectors, over each case's canonical form.
func TestFingerprintVectors(t *testing.T) {
	vectors := readPCFVectors(t)
	if len(vectors) != 34 {
		t.Errorf("read %d vectors, want 34", len(vectors))
	}
	n := 0
	for _, v := range vectors {
		if !v.hasFP {
			continue
		}
		n++
		if got := int64(Fingerprint64([]byte(v.canonical))); got != v.fingerprint {
			t.Errorf("case %s: Fingerprint64(%s) = %d, want %d", v.id, v.canonical, got, v.fingerprint)
		}
	}
	if n != 26 {
		t.Errorf("checked %d fingerprints, want 26", n)
	}
}
