package wire_test

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tonga-go/tonga/runtime/avrobin"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

var update = flag.Bool("update", false, "rewrite the files Python writes in testdata/python (needs python3-avro)")

// The files of testdata/python that Python's avro writes, from a schema of
// Python Tonga's coffee bar (loaded from YAML as Python Tonga loads it) and
// records in JSON, with interop.py.
var pythonFiles = []struct {
	file, schema, datums string
	codec                wire.Codec
}{
	{"coffee_ordered.null.avro", "coffee_ordered", "coffee_ordered.json", wire.CodecNull},
	{"coffee_ordered.deflate.avro", "coffee_ordered", "coffee_ordered.json", wire.CodecDeflate},
	{"coffee_ordered.bzip2.avro", "coffee_ordered", "coffee_ordered.json", wire.CodecBzip2},
	{"coffee_ordered_x3.null.avro", "coffee_ordered", "coffee_ordered_x3.json", wire.CodecNull},
	{"make_coffee_result.null.avro", "make_coffee_result", "make_coffee_result.json", wire.CodecNull},
}

// pythonBomb is a file Python writes of one bzip2 block of 4 MiB of zeros.
const pythonBomb = "bomb.bzip2.avro"

// pythonWant are the records of the JSON files of testdata/python, as Go
// decodes them: Python's writer picks the last union branch that matches
// a value, so context numbers come as doubles.
func pythonWant(datums string) []tonga.Record {
	switch datums {
	case "coffee_ordered.json":
		id := "6f1c2a4e-7d3b-4c1a-9b8e-2f5d6c7a8b9c"
		return []tonga.Record{&seed.CoffeeOrdered{
			Envelope: tonga.Envelope{
				SchemaVersion: "0.0.0", RecordID: id, PartitionKey: ptr("waiter"),
				Timestamp: 1700000000123.5, Datetime: "2023-11-14T22:13:20.123500+00:00", CorrelationID: id,
				Context: tonga.Context{
					"null": nil, "int": tonga.ContextDouble(3), "float": tonga.ContextDouble(0.5), "string": tonga.ContextString("s"),
				},
			},
			UUID: "c1", CupType: "large", CoffeeType: "latte", CoffeeFor: "ana", Amount: 2.5,
		}}
	case "coffee_ordered_x3.json":
		env := func(id string, key *string, ts float64, dt string) tonga.Envelope {
			return tonga.Envelope{SchemaVersion: "0.0.0", RecordID: id, PartitionKey: key, Timestamp: ts, Datetime: dt, CorrelationID: "c"}
		}
		second := env("r2", ptr("k"), 2, "d2")
		second.Context = tonga.Context{"n": tonga.ContextDouble(7)}
		return []tonga.Record{
			&seed.CoffeeOrdered{Envelope: env("r1", nil, 1, "d1"), UUID: "u1", CupType: "small", CoffeeType: "espresso", CoffeeFor: "ana", Amount: 1.25},
			&seed.CoffeeOrdered{Envelope: second, UUID: "u2", CupType: "medium", CoffeeType: "latte", CoffeeFor: "bob", Amount: 2.5},
			&seed.CoffeeOrdered{Envelope: env("r3", nil, 3, "d3"), UUID: "u3", CupType: "large", CoffeeType: "mocha", CoffeeFor: "eve", Amount: 3.75},
		}
	case "make_coffee_result.json":
		return []tonga.Record{&seed.MakeCoffeeResult{
			Envelope: tonga.Envelope{
				SchemaVersion: "0.0.0", RecordID: "r1", PartitionKey: ptr("c1"),
				Timestamp: 1700000000000, Datetime: "2023-11-14T22:13:20+00:00", CorrelationID: "c",
			},
			Error: &tonga.ResultError{Label: "no-milk", Message: ptr("out of milk")},
			UUID:  "c1",
		}}
	}
	panic("no records for " + datums)
}

// checkPythonFiles checks the files Python wrote in dir: Go reads each and
// decodes its records, and for the null codec writes the same bytes again
// from the same schema text, records and sync marker.
func checkPythonFiles(t *testing.T, dir string) {
	for _, pf := range pythonFiles {
		t.Run(pf.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, pf.file))
			if err != nil {
				t.Fatal(err)
			}
			if got := wire.Detect(data); got != wire.FramingContainer {
				t.Errorf("Detect = %v", got)
			}
			c := mustParse(t, data)
			want := pythonWant(pf.datums)
			s := want[0].AvroSchema()
			if c.Codec != pf.codec || len(c.Meta) != 2 || len(c.Blocks) != 1 || c.Blocks[0].Count != int64(len(want)) {
				t.Fatalf("codec %q, %d metadata entries, blocks %v", c.Codec, len(c.Meta), c.Blocks)
			}
			// Python Tonga's decoder reads these two keys.
			var named struct{ Name, Namespace string }
			if err := json.Unmarshal([]byte(c.Schema), &named); err != nil || named.Namespace+"."+named.Name != s.FullName {
				t.Errorf("header schema names %+v (%v), want %s", named, err, s.FullName)
			}
			if diff := cmp.Diff(want, decodeBlock(t, s, c.Blocks[0].Count, c.Blocks[0].Data)); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			if pf.codec != wire.CodecNull {
				return
			}
			objects := splitObjects(t, s, c.Blocks[0].Count, c.Blocks[0].Data)
			again, err := wire.AppendContainer(nil, c.Schema, objects, wire.ContainerOptions{Sync: c.Sync})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again, data) {
				t.Errorf("Go writes other bytes than Python, from offset %d:\n% x\nPython:\n% x",
					firstDiff(again, data), again, data)
			}
		})
	}
	t.Run(pythonBomb, func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(dir, pythonBomb))
		if err != nil {
			t.Fatal(err)
		}
		const limit = 1 << 20
		var c *wire.Container
		alloc := allocated(func() { _, err = wire.ParseContainerLimit(data, 2*limit) })
		wantFrameError(t, err, wire.ErrTooLarge, "bzip2")
		if alloc > 4*limit+maxState {
			t.Errorf("a %d-byte bzip2 bomb allocated %d bytes with a limit of %d", len(data), alloc, 2*limit)
		}
		if c, err = wire.ParseContainerLimit(data, 4<<20+4*900_000); err != nil || len(c.Blocks[0].Data) != 4<<20 {
			t.Errorf("within the limit: %v", err)
		}
	})
}

// splitObjects returns the encodings of the count records of one type that
// data holds.
func splitObjects(t *testing.T, s *tonga.Schema, count int64, data []byte) [][]byte {
	t.Helper()
	r := avrobin.NewReader(data)
	var objects [][]byte
	for range count {
		start := r.Offset()
		s.New().DecodeAvro(r)
		objects = append(objects, data[start:r.Offset()])
	}
	if err := r.Finish(); err != nil {
		t.Fatal(err)
	}
	return objects
}

// firstDiff returns the offset of the first byte where a and b differ.
func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestPythonFiles reads the files Python's avro wrote, committed in
// testdata/python: it needs no Python.
func TestPythonFiles(t *testing.T) {
	checkPythonFiles(t, filepath.Join("testdata", "python"))
}

// TestPythonDeflateTrailer shows what Python's deflate writer does: it cuts
// zlib's output with [2:-1], leaving three of the four bytes of the Adler-32
// checksum after the DEFLATE stream, which readers must ignore.
func TestPythonDeflateTrailer(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "python", "coffee_ordered.deflate.avro"))
	if err != nil {
		t.Fatal(err)
	}
	c := mustParse(t, data)
	r := avrobin.NewReader(data[bytes.Index(data, c.Sync[:])+len(c.Sync):]) // after the header
	if count := r.ReadLong(); count != 1 {
		t.Fatalf("count %d", count)
	}
	compressed := r.ReadBytes()
	in := bytes.NewReader(compressed)
	if _, err := bytes.NewBuffer(nil).ReadFrom(flate.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	if in.Len() != 3 {
		t.Errorf("%d bytes after the DEFLATE stream, want 3", in.Len())
	}
}

// findPython returns a python3 that has the avro package: $TONGA_PYTHON,
// python3 on the PATH, or /usr/bin/python3 (where Debian's python3-avro
// installs, which a pyenv or venv python3 on the PATH does not see).
func findPython(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("TONGA_PYTHON"), "python3", "/usr/bin/python3"}
	for _, py := range candidates {
		if py == "" {
			continue
		}
		if exec.Command(py, "-c", "import avro, yaml").Run() == nil {
			return py
		}
	}
	t.Skip("python3-avro not installed: apt-get install python3-avro python3-yaml")
	return ""
}

// runPython runs interop.py with args and returns its standard output.
func runPython(t *testing.T, py string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(py, append([]string{filepath.Join("testdata", "python", "interop.py")}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("interop.py %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return out
}

// schemaFile is the YAML file of a seed schema.
func schemaFile(name string) string {
	return filepath.Join("..", "..", "testdata", "seed", "schemas", "coffeebar", name+".avsc.yaml")
}

// TestPythonWrites has Python write the files of testdata/python again and
// checks them as TestPythonFiles does; with -update it rewrites them.
func TestPythonWrites(t *testing.T) {
	py := findPython(t)
	dir := t.TempDir()
	if *update {
		dir = filepath.Join("testdata", "python")
	}
	for _, pf := range pythonFiles {
		runPython(t, py, "write", schemaFile(pf.schema), filepath.Join("testdata", "python", pf.datums),
			string(pf.codec), filepath.Join(dir, pf.file))
	}
	runPython(t, py, "bzip2-bomb", schemaFile("coffee_ordered"), "4194304", filepath.Join(dir, pythonBomb))
	checkPythonFiles(t, dir)
}

// pythonSummary is what interop.py read prints about each file.
type pythonSummary struct {
	MetaKeys   []string         `json:"meta_keys"`
	Codec      string           `json:"codec"`
	SchemaName string           `json:"schema_name"`
	Records    []map[string]any `json:"records"`
}

// TestPythonReads has Python read files Go wrote, as Python Tonga's
// decoder does, and write the records it read again, which Go then decodes.
func TestPythonReads(t *testing.T) {
	py := findPython(t)
	dir := t.TempDir()
	type file struct {
		name  string
		codec wire.Codec
		recs  []tonga.Record
	}
	var files []file
	// Python has only the null and deflate codecs here (and bzip2, which Go
	// does not write); snappy and zstandard need python-snappy and
	// zstandard.
	for _, codec := range []wire.Codec{wire.CodecNull, wire.CodecDeflate} {
		for i, rec := range seedRecords() {
			files = append(files, file{fmt.Sprintf("%s-%d-%s", codec, i, rec.AvroSchema().FullName), codec, []tonga.Record{rec}})
		}
		a, b, c := seed.NewCoffeeOrdered(), seed.NewCoffeeOrdered(), seed.NewCoffeeOrdered()
		a.UUID, b.UUID, c.UUID = "a", "b", "c"
		files = append(files, file{string(codec) + "-3-objects", codec, []tonga.Record{a, b, c}})
	}
	var args []string
	for _, f := range files {
		var data []byte
		var err error
		if len(f.recs) == 1 {
			data, err = wire.AppendContainerRecord(nil, f.recs[0], wire.ContainerOptions{Codec: f.codec})
		} else {
			objects, _ := encodeAll(t, f.recs...)
			data, err = wire.AppendContainer(nil, f.recs[0].AvroSchema().JSON, objects, wire.ContainerOptions{Codec: f.codec})
		}
		if err != nil {
			t.Fatal(err)
		}
		in, out := filepath.Join(dir, f.name+".avro"), filepath.Join(dir, f.name+".py.avro")
		if err := os.WriteFile(in, data, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, in, out)
	}
	var summaries []pythonSummary
	if err := json.Unmarshal(runPython(t, py, append([]string{"read"}, args...)...), &summaries); err != nil {
		t.Fatal(err)
	}
	if len(summaries) != len(files) {
		t.Fatalf("%d summaries for %d files", len(summaries), len(files))
	}
	for i, f := range files {
		t.Run(f.name, func(t *testing.T) {
			sum, s := summaries[i], f.recs[0].AvroSchema()
			if diff := cmp.Diff([]string{"avro.codec", "avro.schema"}, sum.MetaKeys); diff != "" {
				t.Errorf("metadata keys (-want +got):\n%s", diff)
			}
			if sum.Codec != string(f.codec) || sum.SchemaName != s.FullName || len(sum.Records) != len(f.recs) {
				t.Fatalf("Python read codec %q, name %q, %d records", sum.Codec, sum.SchemaName, len(sum.Records))
			}
			if env, ok := f.recs[0].(tonga.Enveloped); ok && sum.Records[0]["record_id"] != env.TongaEnvelope().RecordID {
				t.Errorf("Python read record_id %v, want %s", sum.Records[0]["record_id"], env.TongaEnvelope().RecordID)
			}
			data, err := os.ReadFile(args[2*i+1])
			if err != nil {
				t.Fatal(err)
			}
			c := mustParse(t, data)
			if len(c.Blocks) != 1 {
				t.Fatalf("%d blocks", len(c.Blocks))
			}
			if diff := cmp.Diff(f.recs, decodeBlock(t, s, c.Blocks[0].Count, c.Blocks[0].Data)); diff != "" {
				t.Errorf("through Python (-want +got):\n%s", diff)
			}
		})
	}
}
