package generator_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// writeSchemas writes n record schemas into dir, one per file, and returns
// the files in an order where each schema comes after those it references
// (avrogen needs that). Record i has ten fields of mixed types: string,
// long, int, double, boolean, a nullable string, an array, a map, an enum
// and a fixed of its own. Records come in groups of ten, like the events
// of one service sharing a few types: the first of each group references
// nothing, the others add a nullable reference to it, and the sixth also
// an array of the fifth. References stay two levels deep, as in real
// schema sets; a chain through every record would make each record's
// schema, which embeds the schemas it references, grow with the set.
func writeSchemas(dir string, n int) ([]string, error) {
	files := make([]string, 0, n)
	for i := range n {
		path := filepath.Join(dir, fmt.Sprintf("record%04d.avsc", i))
		if err := os.WriteFile(path, []byte(schema(i)), 0o644); err != nil {
			return nil, err
		}
		files = append(files, path)
	}
	return files, nil
}

func schema(i int) string {
	name := fmt.Sprintf("Record%04d", i)
	fields := []string{
		`{"name": "id", "type": "string", "doc": "The record's identifier."}`,
		`{"name": "seq", "type": "long"}`,
		`{"name": "count", "type": "int", "default": 0}`,
		`{"name": "ratio", "type": "double"}`,
		`{"name": "active", "type": "boolean", "default": true}`,
		`{"name": "label", "type": ["null", "string"], "default": null}`,
		`{"name": "tags", "type": {"type": "array", "items": "string"}}`,
		`{"name": "scores", "type": {"type": "map", "values": "long"}}`,
		fmt.Sprintf(`{"name": "kind", "type": {"type": "enum", "name": "Kind%04d", "symbols": ["ALPHA", "BETA", "GAMMA"]}}`, i),
		fmt.Sprintf(`{"name": "digest", "type": {"type": "fixed", "name": "Digest%04d", "size": 8}}`, i),
	}
	if i%10 != 0 {
		fields = append(fields, fmt.Sprintf(`{"name": "parent", "type": ["null", "bench.gen.Record%04d"], "default": null}`, i-i%10))
	}
	if i%10 == 5 {
		fields = append(fields, fmt.Sprintf(`{"name": "related", "type": {"type": "array", "items": "bench.gen.Record%04d"}}`, i-1))
	}
	return fmt.Sprintf(`{
  "type": "record",
  "name": %q,
  "namespace": "bench.gen",
  "doc": "%s is synthesised record %d of the generator benchmark.",
  "fields": [
    %s
  ]
}
`, name, name, i, strings.Join(fields, ",\n    "))
}
