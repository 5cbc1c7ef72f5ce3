package templates_test

import (
	"io/fs"
	"path"
	"strings"
	"testing"
	"text/template"

	"github.com/tonga-go/tonga/templates"
)

// TestTemplates checks what keeps the scaffolds out of this module's build:
// no file the go command would read as Go source or as a module boundary,
// and that every template parses.
func TestTemplates(t *testing.T) {
	n := 0
	err := fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		switch base := path.Base(p); {
		case strings.HasSuffix(base, ".go"), base == "go.mod", base == "go.sum", base == "go.work":
			t.Errorf("%s: name it %s%s, or go build ./... compiles it (or go.mod cuts it out of the module)", p, base, templates.Suffix)
		}
		if !strings.HasSuffix(p, templates.Suffix) {
			return nil
		}
		src, err := fs.ReadFile(templates.FS, p)
		if err != nil {
			return err
		}
		if _, err := template.New(p).Option("missingkey=error").Parse(string(src)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Stat(templates.FS, templates.Service); err != nil || n == 0 {
		t.Fatalf("no %s scaffold embedded (%d files): %v", templates.Service, n, err)
	}
}
