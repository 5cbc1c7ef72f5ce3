package cli

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tonga-go/tonga/templates"
)

// wantScaffold is the tree init writes: the templates' files, without the
// .tmpl suffix. A template added or removed shows up here, in review.
var wantScaffold = []string{
	".gitignore",
	"Makefile",
	"README.md",
	"go.mod",
	"handler.go",
	"main.go",
	"main_test.go",
	"records/doc.go",
	"schemas/greet.avsc.yaml",
	"schemas/greeted.avsc.yaml",
}

// TestInitFiles checks that init writes exactly the templates' files, that
// it lists them, and that the same arguments give the same bytes.
func TestInitFiles(t *testing.T) {
	var fromTemplates []string
	err := fs.WalkDir(templates.FS, templates.Service, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			fromTemplates = append(fromTemplates, strings.TrimSuffix(strings.TrimPrefix(p, templates.Service+"/"), templates.Suffix))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantScaffold, fromTemplates); diff != "" {
		t.Errorf("templates/%s holds other files than wantScaffold (-want +got):\n%s", templates.Service, diff)
	}

	var trees []map[string]string
	for _, name := range []string{"a", "b"} {
		dir := filepath.Join(t.TempDir(), name)
		code, stdout, stderr := run(t, "init", "--tonga-version", "v1.2.3", "example.com/greeter", dir)
		if code != 0 {
			t.Fatalf("init: exit %d\n%s", code, stderr)
		}
		tree := readTree(t, dir)
		if diff := cmp.Diff(wantScaffold, slices.Sorted(maps.Keys(tree))); diff != "" {
			t.Errorf("init wrote other files than the templates (-want +got):\n%s", diff)
		}
		want := "tongagen: wrote " + dir + ", module example.com/greeter, service greeter:\n"
		for _, f := range wantScaffold {
			want += "  " + filepath.FromSlash(f) + "\n"
		}
		want += "Next:\n  cd " + dir + "\n  go mod tidy\n  go generate ./...\n  go test ./...\n"
		if diff := cmp.Diff(want, stdout); diff != "" {
			t.Errorf("init's output (-want +got):\n%s", diff)
		}
		trees = append(trees, tree)
	}
	if diff := cmp.Diff(trees[0], trees[1]); diff != "" {
		t.Errorf("two runs wrote different files (-first +second):\n%s", diff)
	}
	if gomod := trees[0]["go.mod"]; !strings.Contains(gomod, "\nrequire github.com/tonga-go/tonga v1.2.3\n") || !strings.HasPrefix(gomod, "module example.com/greeter\n") {
		t.Errorf("go.mod:\n%s", gomod)
	}
}

// TestInitNames checks the directory, service name and Avro namespace init
// derives from its arguments.
func TestInitNames(t *testing.T) {
	for _, tt := range []struct {
		name      string
		args      []string
		dir       string // relative to the working directory
		service   string
		namespace string
	}{
		{"default dir", []string{"example.com/greeter"}, "greeter", "greeter", "greeter"},
		{"major version", []string{"example.com/greeter/v2"}, "greeter", "greeter", "greeter"},
		{"no dot", []string{"local/Order-Desk"}, "Order-Desk", "Order-Desk", "order_desk"},
		{"explicit dir", []string{"example.com/greeter", "svc/here"}, "svc/here", "greeter", "greeter"},
		{"--service", []string{"--service", "front.desk", "example.com/x"}, "x", "front.desk", "front_desk"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			code, stdout, stderr := run(t, append([]string{"init"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("init %v: exit %d\n%s", tt.args, code, stderr)
			}
			if !strings.Contains(stdout, "\n  cd "+tt.dir+"\n") {
				t.Errorf("output does not name %s:\n%s", tt.dir, stdout)
			}
			tree := readTree(t, tt.dir)
			if main := tree["main.go"]; !strings.Contains(main, `serviceName   = "`+tt.service+`"`) || !strings.Contains(main, `commandsTopic = "`+tt.service+`-commands"`) {
				t.Errorf("main.go does not name service %s:\n%s", tt.service, main)
			}
			if s := tree["schemas/greet.avsc.yaml"]; !strings.Contains(s, "\nnamespace: "+tt.namespace+".command\n") {
				t.Errorf("greet.avsc.yaml does not have namespace %s.command:\n%s", tt.namespace, s)
			}
			if s := tree["schemas/greeted.avsc.yaml"]; !strings.Contains(s, "\nnamespace: "+tt.namespace+".event\n") {
				t.Errorf("greeted.avsc.yaml does not have namespace %s.event:\n%s", tt.namespace, s)
			}
			if !strings.Contains(tree["go.mod"], "\nrequire github.com/tonga-go/tonga "+binaryVersion()+"\n") {
				t.Errorf("go.mod does not require tonga %s:\n%s", binaryVersion(), tree["go.mod"])
			}
		})
	}
}

func TestInitErrors(t *testing.T) {
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "keep.txt"), []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{}, 2, "accepts between 1 and 2 arg(s)"},
		{[]string{"example.com/a b"}, 2, `module path "example.com/a b": element "a b" has ' '`},
		{[]string{"/greeter"}, 2, "has an empty element"},
		{[]string{"example.com//greeter"}, 2, "has an empty element"},
		{[]string{"example.com/.greeter"}, 2, "starts or ends with a dot"},
		{[]string{"--", "-x/greeter"}, 2, "starts with a dash"},
		{[]string{"example.com/9lives"}, 2, `the last element of example.com/9lives, "9lives", is not a service name: it does not start with a letter; pass --service`},
		{[]string{"--service", "a~b", "example.com/greeter"}, 2, `--service "a~b": it has '~'`},
		{[]string{"--tonga-version", "1.2.3", "example.com/greeter"}, 2, `--tonga-version "1.2.3" is not a module version`},
		{[]string{"--tonga-version", "v1.2.3+dirty", "example.com/greeter"}, 2, "is not a module version"},
		{[]string{"example.com/greeter", full}, 1, full + " is not empty; init writes only into a new or empty directory"},
		{[]string{"example.com/greeter", file}, 1, file + " exists and is not a directory"},
	} {
		code, stdout, stderr := run(t, append([]string{"init"}, tt.args...)...)
		if code != tt.code || !strings.Contains(stderr, tt.stderr) || stdout != "" {
			t.Errorf("init %q: exit %d, stdout %q, stderr %q; want exit %d and %q", tt.args, code, stdout, stderr, tt.code, tt.stderr)
		}
	}
	if got := readTree(t, full); len(got) != 1 || got["keep.txt"] != "mine\n" {
		t.Errorf("init touched a non-empty directory: %v", slices.Sorted(maps.Keys(got)))
	}
}

// TestInitIntoEmptyDir checks that an existing empty directory is used.
func TestInitIntoEmptyDir(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := run(t, "init", "example.com/greeter", dir); code != 0 {
		t.Fatalf("init into an empty directory: exit %d\n%s", code, stderr)
	}
	if n := len(readTree(t, dir)); n != len(wantScaffold) {
		t.Errorf("wrote %d files, want %d", n, len(wantScaffold))
	}
}

// TestInitDevelopmentBuild checks the advice for a v0.0.0 require.
func TestInitDevelopmentBuild(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "greeter")
	code, stdout, stderr := run(t, "init", "--tonga-version", develVersion, "example.com/greeter", dir)
	if code != 0 {
		t.Fatalf("init: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "this tongagen is a development build") || !strings.Contains(stdout, "\n  go mod edit -replace github.com/tonga-go/tonga=/path/to/tonga\n") {
		t.Errorf("no replace advice for %s:\n%s", develVersion, stdout)
	}
}

// readTree returns the files below dir by slash-separated relative path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
