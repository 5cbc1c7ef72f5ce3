package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run calls Main in-process and returns its exit code and output.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

const pointSchema = `{"type": "record", "name": "Point", "namespace": "geo", "fields": [{"name": "x", "type": "int"}]}`

func writeSchemas(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		path := filepath.Join(dir, "schemas", name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestGenerateCheckAndStaleFiles(t *testing.T) {
	dir := writeSchemas(t, map[string]string{"point.avsc": pointSchema, "extra/line.avsc": `{"type": "record", "name": "Line", "namespace": "geo", "fields": [{"name": "a", "type": "Point"}]}`})
	out, schemas := filepath.Join(dir, "geo"), filepath.Join(dir, "schemas")
	if code, _, stderr := run(t, "generate", "-o", out, schemas); code != 0 {
		t.Fatalf("generate: %d %s", code, stderr)
	}
	for _, name := range []string{"point.tonga.go", "extra_line.tonga.go", "registry.tonga.go"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("generate did not write %s: %v", name, err)
		}
	}
	if code, stdout, _ := run(t, "check", "-o", out, schemas); code != 0 || !strings.Contains(stdout, "up to date") {
		t.Fatalf("check after generate: %d %q", code, stdout)
	}

	// A hand edit shows up as a diff and exit 1.
	path := filepath.Join(out, "point.tonga.go")
	data, _ := os.ReadFile(path)
	if err := os.WriteFile(path, bytes.Replace(data, []byte("X int32"), []byte("X int64"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "check", "-o", out, schemas)
	if code != 1 || !strings.Contains(stderr, "-\tX int64") || !strings.Contains(stderr, "+\tX int32") {
		t.Errorf("check of an edited file: exit %d, stderr:\n%s", code, stderr)
	}

	// A schema file removed leaves a stale generated file, which check
	// reports and generate removes; a hand-written file stays.
	if err := os.Remove(filepath.Join(schemas, "extra", "line.avsc")); err != nil {
		t.Fatal(err)
	}
	handWritten := filepath.Join(out, "mine.go")
	if err := os.WriteFile(handWritten, []byte("package geo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "check", "-o", out, schemas); code != 1 || !strings.Contains(stderr, "stale: ") {
		t.Errorf("check with a stale file: exit %d, stderr:\n%s", code, stderr)
	}
	if code, stdout, _ := run(t, "generate", "-o", out, schemas); code != 0 || !strings.Contains(stdout, "1 removed") {
		t.Errorf("generate: %d %q", code, stdout)
	}
	if _, err := os.Stat(filepath.Join(out, "extra_line.tonga.go")); !os.IsNotExist(err) {
		t.Error("stale generated file not removed")
	}
	if _, err := os.Stat(handWritten); err != nil {
		t.Error("generate removed a hand-written file")
	}
}

func TestValidateAndErrors(t *testing.T) {
	dir := writeSchemas(t, map[string]string{"point.avsc": pointSchema})
	if code, stdout, _ := run(t, "validate", filepath.Join(dir, "schemas")); code != 0 || !strings.Contains(stdout, "1 schemas, 1 named types: ok") {
		t.Errorf("validate: %d %q", code, stdout)
	}
	bad := writeSchemas(t, map[string]string{"a.avsc": `{"type": "record", "name": "A", "fields": [{"name": "b", "type": "Pont"}]}`})
	code, _, stderr := run(t, "validate", filepath.Join(bad, "schemas"))
	if code != 1 || !strings.Contains(stderr, `a.avsc:1:66: unknown type "Pont"`) {
		t.Errorf("validate of a bad schema: %d %q", code, stderr)
	}
	if code, _, stderr := run(t, "validate", filepath.Join(dir, "missing")); code != 1 || !strings.Contains(stderr, "no such file") {
		t.Errorf("validate of a missing path: %d %q", code, stderr)
	}
	if code, _, stderr := run(t, "generate"); code != 2 || !strings.Contains(stderr, "--help") {
		t.Errorf("generate without paths: %d %q", code, stderr)
	}
	if code, _, _ := run(t, "no-such-command"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
}

// TestSchemaCommands checks the canonical form and fingerprints of the
// specification's examples: "int" (a published CRC-64-AVRO value) and a
// record whose canonical form drops what the spec strips.
func TestSchemaCommands(t *testing.T) {
	dir := writeSchemas(t, map[string]string{
		"int.json":   `"int"`,
		"rec.avsc":   `{"type": "record", "name": "R", "namespace": "n", "doc": "d", "fields": [{"name": "t", "type": {"type": "double", "logicalType": "timestamp-millis"}, "default": 1}]}`,
		"multi.yaml": "type: fixed\nname: F\nsize: 2\n---\n\"long\"\n",
	})
	s := filepath.Join(dir, "schemas")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"schema", "fingerprint", filepath.Join(s, "int.json")}, "8247732601305521295\n"},
		{[]string{"schema", "fingerprint", "--hex", filepath.Join(s, "int.json")}, "8f5c393f1ad57572\n"},
		{[]string{"schema", "canonical", filepath.Join(s, "rec.avsc")}, `{"name":"n.R","type":"record","fields":[{"name":"t","type":"double"}]}` + "\n"},
		{[]string{"schema", "canonical", filepath.Join(s, "multi.yaml")}, `{"name":"F","type":"fixed","size":2}` + "\n\"long\"\n"},
	}
	for _, tt := range tests {
		code, stdout, stderr := run(t, tt.args...)
		if code != 0 || stdout != tt.want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q", tt.args, code, stdout, stderr, tt.want)
		}
	}
}

func TestVersionAndHelp(t *testing.T) {
	if code, stdout, _ := run(t, "version"); code != 0 || !strings.HasPrefix(stdout, "tongagen ") {
		t.Errorf("version: %d %q", code, stdout)
	}
	code, stdout, _ := run(t, "--help")
	for _, cmd := range []string{"generate", "check", "validate", "schema", "version", "completion", "go:generate"} {
		if code != 0 || !strings.Contains(stdout, cmd) {
			t.Errorf("--help does not mention %s", cmd)
		}
	}
	if code, stdout, _ := run(t, "completion", "bash"); code != 0 || !strings.Contains(stdout, "bash completion") {
		t.Errorf("completion bash: %d, %d bytes", code, len(stdout))
	}
}

func TestPackageName(t *testing.T) {
	tests := []struct {
		flags   genFlags
		env     string
		want    string
		wantErr bool
	}{
		{genFlags{out: ".", pkg: "given"}, "", "given", false},
		{genFlags{out: "."}, "fromenv", "fromenv", false},
		{genFlags{out: "some/dir/my-pkg"}, "ignored", "mypkg", false},
		{genFlags{out: "x", pkg: "9bad"}, "", "", true},
	}
	for _, tt := range tests {
		t.Setenv("GOPACKAGE", tt.env)
		got, err := packageName(tt.flags)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("packageName(%+v) with GOPACKAGE=%q = %q, %v; want %q", tt.flags, tt.env, got, err, tt.want)
		}
	}
}
