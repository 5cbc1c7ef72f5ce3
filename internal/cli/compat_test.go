package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestValidateCompat(t *testing.T) {
	dir := writeSchemas(t, map[string]string{
		"old.avsc": `{"type": "record", "name": "R", "namespace": "n", "fields": [{"name": "a", "type": "int"}, {"name": "gone", "type": "string"}]}`,
		"new.avsc": `{"type": "record", "name": "R", "namespace": "n", "fields": [{"name": "a", "type": "long"}, {"name": "added", "type": "string", "default": ""}]}`,
		"bad.avsc": `{"type": "record", "name": "R", "namespace": "n", "fields": [{"name": "a", "type": "int"}, {"name": "needed", "type": "string"}]}`,
	})
	f := func(name string) string { return filepath.Join(dir, "schemas", name) }

	code, stdout, stderr := run(t, "validate", "--compat", f("old.avsc"), f("new.avsc"))
	want := "n.R:\n  backward (new reads old data): yes\n  forward (old reads new data): no\n" +
		"    n.R.a: long cannot be read as int (writer long, reader int)\n" +
		"    n.R.gone: the reader's field \"gone\" is not in the writer's schema and has no default; give it a default (writer (absent), reader string)\n" +
		"full: no\n"
	if code != 0 || stdout != want {
		t.Errorf("backward-compatible pair: exit %d, stderr %q, stdout:\n%s\nwant:\n%s", code, stderr, stdout, want)
	}
	if code, _, stderr := run(t, "validate", "--compat", "--require", "full", f("old.avsc"), f("new.avsc")); code != 1 || !strings.Contains(stderr, "not full compatible") {
		t.Errorf("--require full: exit %d, %q", code, stderr)
	}
	if code, stdout, _ := run(t, "validate", "--compat", f("old.avsc"), f("bad.avsc")); code != 1 || !strings.Contains(stdout, `"needed" is not in the writer's schema`) {
		t.Errorf("incompatible pair: exit %d, %q", code, stdout)
	}
	if code, _, _ := run(t, "validate", "--compat", f("old.avsc")); code != 2 {
		t.Errorf("one file: exit %d, want 2", code)
	}
}
