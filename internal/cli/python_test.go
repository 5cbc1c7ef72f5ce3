package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
)

const pythonDir = "../../runtime/wire/testdata/python"

// sameJSON compares two JSON values by meaning: numbers as float64, so
// that Python's 3.0 for an int written as a double equals 3.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(x, y)
}

// TestDecodePythonFile decodes, with tongagen decode, a message Python
// Tonga's serializer wrote (avro.datafile.DataFileWriter, committed under
// runtime/wire/testdata/python), and gets the values Python was given.
func TestDecodePythonFile(t *testing.T) {
	for _, file := range []string{"coffee_ordered.null.avro", "coffee_ordered.deflate.avro"} {
		code, stdout, stderr := run(t, "decode", filepath.Join(pythonDir, file))
		if code != 0 {
			t.Fatalf("decode %s: %d %s", file, code, stderr)
		}
		var got message
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(pythonDir, "coffee_ordered.json"))
		if err != nil {
			t.Fatal(err)
		}
		var want []json.RawMessage
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatal(err)
		}
		if got.Schema != "tonga.waiter.event.CoffeeOrdered" || got.Framing != "tonga" || !sameJSON(t, got.Record, want[0]) {
			t.Errorf("%s decoded as %s\nwant record %s", file, stdout, want[0])
		}
	}
}

// pythonWithAvro returns a python3 with Debian's python3-avro and
// python3-yaml, or skips.
func pythonWithAvro(t *testing.T) string {
	t.Helper()
	for _, py := range []string{os.Getenv("TONGA_PYTHON"), "python3", "/usr/bin/python3"} {
		if py != "" && exec.Command(py, "-c", "import avro, yaml").Run() == nil {
			return py
		}
	}
	t.Skip("python3-avro not installed: apt-get install python3-avro python3-yaml (CI does)")
	return ""
}

// TestEncodeForPython writes a message with tongagen encode --framing
// tonga and has Python's avro library read it as Python Tonga does.
func TestEncodeForPython(t *testing.T) {
	py := pythonWithAvro(t)
	var msg string
	withStdin(t, []byte(orderedJSON), func() {
		var code int
		var stderr string
		code, msg, stderr = run(t, "encode", "--schemas", seedSchemas, "--type", "tonga.waiter.event.CoffeeOrdered", "--framing", "tonga")
		if code != 0 {
			t.Fatalf("encode: %d %s", code, stderr)
		}
	})
	dir := t.TempDir()
	in, out := filepath.Join(dir, "msg.avro"), filepath.Join(dir, "again.avro")
	if err := os.WriteFile(in, []byte(msg), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, filepath.Join(pythonDir, "interop.py"), "read", in, out)
	cmd.Stderr = os.Stderr
	summary, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	var files []struct {
		SchemaName string            `json:"schema_name"`
		Records    []json.RawMessage `json:"records"`
	}
	if err := json.Unmarshal(summary, &files); err != nil {
		t.Fatalf("python printed %s: %v", summary, err)
	}
	if len(files) != 1 || files[0].SchemaName != "tonga.waiter.event.CoffeeOrdered" || len(files[0].Records) != 1 ||
		!sameJSON(t, files[0].Records[0], []byte(orderedJSON)) {
		t.Errorf("Python read %s\nwant %s", summary, orderedJSON)
	}
}
