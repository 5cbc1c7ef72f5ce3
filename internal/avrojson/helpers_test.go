package avrojson

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/tonga-go/tonga/internal/schema"
	"github.com/tonga-go/tonga/runtime/avrobin"
)

// compile compiles one JSON schema document and returns its root.
func compile(t *testing.T, src string) *schema.Schema {
	t.Helper()
	docs, diags := schema.Parse([]schema.Source{{Path: "test.avsc", Data: []byte(src)}})
	if err := diags.Err(); err != nil {
		t.Fatalf("parse %s: %v", src, err)
	}
	set, err := schema.Compile(docs)
	if err != nil {
		t.Fatalf("compile %s: %v", src, err)
	}
	return set.Roots[0]
}

// compileFiles compiles the schema files or directories at paths.
func compileFiles(t testing.TB, paths ...string) *schema.Set {
	t.Helper()
	srcs, err := schema.Read(paths)
	if err != nil {
		t.Fatal(err)
	}
	docs, diags := schema.Parse(srcs)
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	set, err := schema.Compile(docs)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// unhex decodes space-separated hex bytes: "04 04 d2".
func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// decodeAll decodes data as one value of s, which must use all of it.
func decodeAll(s *schema.Schema, data []byte) (string, error) {
	r := avrobin.NewReader(data)
	j, err := Decode(s, r)
	if err != nil {
		return "", err
	}
	if err := r.Finish(); err != nil {
		return "", err
	}
	return string(j), nil
}

// encodeString encodes the JSON text j as a value of s.
func encodeString(s *schema.Schema, j string) ([]byte, error) {
	return Encode(nil, s, []byte(j))
}
