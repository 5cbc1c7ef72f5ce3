package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The golden cases live in testdata/<case>/ at the repository root. Each
// has a schemas/ directory and either want/ (the generated package) or
// stderr.txt (the exact diagnostics). An optional args.txt holds extra
// arguments for generate, one per line. Run `go test ./cmd/tongagen
// -update` to rewrite the expectations, then review the diff.
var update = flag.Bool("update", false, "rewrite the golden files")

const repoRoot = "../.."

// tongagen is the binary under test, built once by TestMain.
var tongagen string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "tongagen-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tongagen = filepath.Join(dir, "tongagen")
	build := exec.Command("go", "build", "-o", tongagen, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building tongagen:", err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func cases(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(repoRoot, "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(repoRoot, "testdata", e.Name(), "schemas")); err == nil {
			out = append(out, e.Name())
		}
	}
	if len(out) == 0 {
		t.Fatal("no golden cases found")
	}
	return out
}

// run executes the real tongagen binary in dir.
func run(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(tongagen, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOPACKAGE=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

func TestGolden(t *testing.T) {
	for _, name := range cases(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src := filepath.Join(repoRoot, "testdata", name)
			work := t.TempDir()
			copyDir(t, filepath.Join(src, "schemas"), filepath.Join(work, "schemas"))
			args := []string{"generate", "-o", "want", "--package", strings.ReplaceAll(name, "-", "")}
			args = append(args, extraArgs(t, src)...)
			args = append(args, "schemas")
			_, stderr, code := run(t, work, args...)

			wantStderr := filepath.Join(src, "stderr.txt")
			if _, err := os.Stat(wantStderr); err == nil || (*update && code != 0) {
				if code != 1 {
					t.Errorf("exit code %d, want 1", code)
				}
				compareFile(t, wantStderr, stderr)
				return
			}
			if code != 0 {
				t.Fatalf("tongagen failed (exit %d):\n%s", code, stderr)
			}
			compareDirs(t, filepath.Join(src, "want"), filepath.Join(work, "want"))
		})
	}
}

func extraArgs(t *testing.T, dir string) []string {
	data, err := os.ReadFile(filepath.Join(dir, "args.txt"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(data))
}

func compareFile(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// compareDirs fails on missing, extra and differing files; with -update it
// replaces want by got.
func compareDirs(t *testing.T, want, got string) {
	t.Helper()
	gotFiles := readDir(t, got)
	if *update {
		if err := os.RemoveAll(want); err != nil {
			t.Fatal(err)
		}
		copyDir(t, got, want)
		return
	}
	wantFiles := readDir(t, want)
	var names []string
	for n := range wantFiles {
		names = append(names, n)
	}
	for n := range gotFiles {
		if _, ok := wantFiles[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		w, inWant := wantFiles[n]
		g, inGot := gotFiles[n]
		switch {
		case !inGot:
			t.Errorf("missing file %s", n)
		case !inWant:
			t.Errorf("extra file %s", n)
		default:
			if diff := cmp.Diff(w, g); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", n, diff)
			}
		}
	}
}

func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return files
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestGoldenCompiles builds and vets every want/ package: `./...` skips
// testdata, so nothing else would notice generated code that does not
// compile.
func TestGoldenCompiles(t *testing.T) {
	var pkgs []string
	for _, name := range cases(t) {
		if _, err := os.Stat(filepath.Join(repoRoot, "testdata", name, "want")); err == nil {
			pkgs = append(pkgs, "./testdata/"+name+"/want")
		}
	}
	cmd := exec.Command("go", append([]string{"vet"}, pkgs...)...)
	cmd.Dir = repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet %s: %v\n%s", strings.Join(pkgs, " "), err, out)
	}
}
