package schema

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// treeSources are the schema files of testdata/read/tree in walk order,
// with "y" marking YAML.
var treeSources = []string{
	"testdata/read/tree/a.json",
	"testdata/read/tree/b.avsc",
	"testdata/read/tree/c.avsc.yaml y",
	"testdata/read/tree/dir.avsc/w.avsc",
	"testdata/read/tree/sub/deeper/y.avsc",
	"testdata/read/tree/sub/z.avsc.yml y",
	"testdata/read/tree/sub.avsc",
}

func TestRead(t *testing.T) {
	tests := []struct {
		name  string
		paths []string
		want  []string // path, then " y" if YAML
	}{
		{"none", nil, nil},
		{"tree", []string{"testdata/read/tree"}, treeSources},
		{"tree with trailing slash", []string{"testdata/read/tree/"}, treeSources},
		{
			"explicit files of any name",
			[]string{"testdata/read/odd.schema", "testdata/read/explicit.yml", "testdata/read/tree/notes.txt", "testdata/read/tree/schema.yaml"},
			[]string{"testdata/read/odd.schema", "testdata/read/explicit.yml y", "testdata/read/tree/notes.txt", "testdata/read/tree/schema.yaml y"},
		},
		{
			"explicit hidden file and directory",
			[]string{"testdata/read/tree/.hidden.avsc", "testdata/read/tree/.hiddendir"},
			[]string{"testdata/read/tree/.hidden.avsc", "testdata/read/tree/.hiddendir/x.avsc"},
		},
		{
			"file before its directory is read once",
			[]string{"testdata/read/tree/sub/z.avsc.yml", "testdata/read/tree"},
			append([]string{"testdata/read/tree/sub/z.avsc.yml y"}, slices.Delete(slices.Clone(treeSources), 5, 6)...),
		},
		{
			"file after its directory, spelled differently, is read once",
			[]string{"testdata/read/tree", "./testdata/read/tree/sub/../b.avsc", "testdata/read/tree/sub"},
			treeSources,
		},
		{
			"directory named twice",
			[]string{"testdata/read/tree/sub", "testdata/read/tree/sub/"},
			[]string{"testdata/read/tree/sub/deeper/y.avsc", "testdata/read/tree/sub/z.avsc.yml y"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srcs, err := Read(tt.paths)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			var got []string
			for _, s := range srcs {
				want, err := os.ReadFile(s.Path)
				if err != nil {
					t.Fatal(err)
				}
				if string(s.Data) != string(want) {
					t.Errorf("%s: Data = %q, want %q", s.Path, s.Data, want)
				}
				if s.YAML {
					got = append(got, s.Path+" y")
				} else {
					got = append(got, s.Path)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Read(%q) =\n\t%s\nwant\n\t%s", tt.paths, strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name     string
		paths    []string
		want     string
		notExist bool // the error is fs.ErrNotExist
	}{
		{
			"missing file",
			[]string{"testdata/read/tree", "testdata/read/missing.avsc"},
			"stat testdata/read/missing.avsc: no such file or directory",
			true,
		},
		{
			"missing directory",
			[]string{"testdata/read/nodir/"},
			"stat testdata/read/nodir/: no such file or directory",
			true,
		},
		{
			"directory without schema files",
			[]string{"testdata/read/empty"},
			"testdata/read/empty: no schema files (*.avsc, *.json, *.avsc.yaml, *.avsc.yml) in directory",
			false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srcs, err := Read(tt.paths)
			if err == nil {
				t.Fatalf("Read(%q) = %d sources, want error %q", tt.paths, len(srcs), tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Read(%q) error = %q, want %q", tt.paths, err, tt.want)
			}
			if got := errors.Is(err, fs.ErrNotExist); got != tt.notExist {
				t.Errorf("errors.Is(err, fs.ErrNotExist) = %v, want %v", got, tt.notExist)
			}
		})
	}
}

func TestReadSymlinkedDirectory(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	if err := os.MkdirAll(filepath.Join(target, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "sub", "a.avsc"), []byte(`"int"`), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("cannot make symbolic links: %v", err)
	}
	srcs, err := Read([]string{link})
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(link, "sub", "a.avsc")
	if len(srcs) != 1 || srcs[0].Path != want || string(srcs[0].Data) != `"int"` {
		t.Errorf("Read(%q) = %+v, want one source %s", link, srcs, want)
	}
}
