package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/tonga-go/tonga/internal/diag"
	"github.com/tonga-go/tonga/internal/emit"
	"github.com/tonga-go/tonga/internal/model"
	"github.com/tonga-go/tonga/internal/schema"
)

// genFlags are the flags generate and check share.
type genFlags struct {
	out string
	pkg string
}

func (g *genFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&g.out, "out", "o", ".", "directory of the generated package")
	cmd.Flags().StringVar(&g.pkg, "package", "", "Go package name (default: $GOPACKAGE under go generate, else the output directory's name)")
}

func newGenerate(stdout io.Writer) *cobra.Command {
	var g genFlags
	cmd := &cobra.Command{
		Use:   "generate [-o DIR] [--package NAME] PATH...",
		Short: "Generate Go code from Avro schema files and directories",
		Long: `generate reads the schemas in each PATH (a file, or a directory walked
recursively for *.avsc, *.json, *.avsc.yaml and *.avsc.yml) and writes one
<schema-file>.tonga.go per schema file, plus registry.tonga.go, into the
output directory. Files there that carry tongagen's "Code generated" header
but are no longer produced are removed; no other file is touched.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, paths []string) error {
			files, err := plan(paths, g)
			if err != nil {
				return err
			}
			written, removed, err := write(g.out, files)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(stdout, "tongagen: %d files in %s (%d written, %d removed)\n", len(files), g.out, written, removed)
			return err
		},
	}
	g.register(cmd)
	return cmd
}

func newCheck(stdout io.Writer) *cobra.Command {
	var g genFlags
	cmd := &cobra.Command{
		Use:   "check [-o DIR] [--package NAME] PATH...",
		Short: "Fail, with a diff, when generated files differ from what generate would write",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, paths []string) error {
			files, err := plan(paths, g)
			if err != nil {
				return err
			}
			report, err := check(g.out, files)
			if err != nil {
				return err
			}
			if report != "" {
				return &failure{msg: report + "tongagen: generated files are out of date; run tongagen generate"}
			}
			_, err = fmt.Fprintf(stdout, "tongagen: %d files in %s are up to date\n", len(files), g.out)
			return err
		},
	}
	g.register(cmd)
	return cmd
}

func newValidate(stdout io.Writer) *cobra.Command {
	var compat bool
	var require string
	cmd := &cobra.Command{
		Use:   "validate PATH... | validate --compat OLD NEW",
		Short: "Check schemas without writing anything, or the compatibility of two versions",
		Long: `validate checks the schemas in each PATH as generate would, writing nothing.

With --compat it compares two versions of a schema, OLD and NEW (files,
their records paired by full name or alias), and reports in both
directions, with the reasons:

    backward  NEW reads data written with OLD (deploy readers first)
    forward   OLD reads data written with NEW (deploy writers first)
    full      both

It exits 1 when the pair is not compatible in the --require direction.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, paths []string) error {
			if compat {
				return runCompat(stdout, paths, require)
			}
			set, versions, err := compile(paths)
			if err != nil {
				return err
			}
			if _, err := model.Build(set, model.Options{Package: "validate", Versions: versions}); err != nil {
				return err
			}
			_, err = fmt.Fprintf(stdout, "tongagen: %d schemas, %d named types: ok\n", len(set.Roots), len(set.Named))
			return err
		},
	}
	cmd.Flags().BoolVar(&compat, "compat", false, "compare two versions, OLD NEW, of a schema")
	cmd.Flags().StringVar(&require, "require", "backward", "with --compat: the direction that must hold: backward, forward, full or none")
	return cmd
}

// compile runs the schema stages: read, parse, compile. Files in a
// directory named "versions" hold older versions of records; each is
// compiled on its own, beside the current set.
func compile(paths []string) (*schema.Set, []*schema.Set, error) {
	srcs, err := schema.Read(paths)
	if err != nil {
		return nil, nil, err
	}
	docs, diags := schema.Parse(srcs)
	if err := diags.Err(); err != nil {
		return nil, nil, err
	}
	var current []*schema.Document
	byFile := map[string][]*schema.Document{}
	var files []string
	for _, d := range docs {
		if !schema.IsVersionPath(d.Path) {
			current = append(current, d)
			continue
		}
		if byFile[d.Path] == nil {
			files = append(files, d.Path)
		}
		byFile[d.Path] = append(byFile[d.Path], d)
	}
	var all diag.List
	set, err := schema.Compile(current)
	all.AppendError(err)
	var versions []*schema.Set
	for _, f := range files {
		v, err := schema.Compile(byFile[f])
		all.AppendError(err)
		versions = append(versions, v)
	}
	if err := all.Err(); err != nil {
		return nil, nil, err
	}
	return set, versions, nil
}

// plan is the generate recipe: every stage, in order, up to the files to
// write. Nothing is written.
func plan(paths []string, g genFlags) ([]emit.File, error) {
	pkgName, err := packageName(g)
	if err != nil {
		return nil, err
	}
	set, versions, err := compile(paths)
	if err != nil {
		return nil, err
	}
	sources, err := sourceNames(set, g.out)
	if err != nil {
		return nil, err
	}
	pkg, err := model.Build(set, model.Options{Package: pkgName, Sources: sources, Versions: versions})
	if err != nil {
		return nil, err
	}
	return emit.Emit(pkg)
}

// packageName picks the Go package name: --package, else $GOPACKAGE when
// go generate runs us in the output directory, else the directory's name.
func packageName(g genFlags) (string, error) {
	name := g.pkg
	if name == "" && filepath.Clean(g.out) == "." {
		name = os.Getenv("GOPACKAGE")
	}
	if name == "" {
		abs, err := filepath.Abs(g.out)
		if err != nil {
			return "", err
		}
		name = strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
				return unicode.ToLower(r)
			}
			return -1
		}, filepath.Base(abs))
	}
	if name == "" || !unicode.IsLetter([]rune(name)[0]) || !isGoIdent(name) {
		return "", &usageError{fmt.Errorf("cannot use %q as a Go package name; pass --package", name)}
	}
	return name, nil
}

func isGoIdent(s string) bool {
	for i, r := range s {
		if !unicode.IsLetter(r) && r != '_' && (i == 0 || !unicode.IsDigit(r)) {
			return false
		}
	}
	return s != ""
}

// sourceNames decides how each schema file appears in the output: its path
// relative to the output directory in the header, and an output file name
// made of its path below the schema files' common directory.
func sourceNames(set *schema.Set, out string) (map[string]model.SourceName, error) {
	var paths []string
	for _, d := range set.RootDocs {
		if !slices.Contains(paths, d.Path) {
			paths = append(paths, d.Path)
		}
	}
	common := commonDir(paths)
	absOut, err := filepath.Abs(out)
	if err != nil {
		return nil, err
	}
	names := map[string]model.SourceName{}
	byFile := map[string]string{}
	for _, p := range paths {
		header := filepath.ToSlash(p)
		if abs, err := filepath.Abs(p); err == nil {
			if rel, err := filepath.Rel(absOut, abs); err == nil {
				header = filepath.ToSlash(rel)
			}
		}
		rel, err := filepath.Rel(common, p)
		if err != nil {
			rel = filepath.Base(p)
		}
		file := strings.ReplaceAll(filepath.ToSlash(trimSchemaExt(rel)), "/", "_") + ".tonga.go"
		if file == emit.RegistryFile {
			return nil, fmt.Errorf("schema file %s would generate %s, the name of tongagen's registry file; rename the schema file", p, file)
		}
		if other, dup := byFile[file]; dup {
			return nil, fmt.Errorf("schema files %s and %s would both generate %s; rename one", other, p, file)
		}
		byFile[file] = p
		names[p] = model.SourceName{Header: header, File: file}
	}
	return names, nil
}

func trimSchemaExt(p string) string {
	for _, ext := range []string{".avsc.yaml", ".avsc.yml", ".avsc", ".json", ".yaml", ".yml"} {
		if strings.HasSuffix(p, ext) {
			return strings.TrimSuffix(p, ext)
		}
	}
	return p
}

// commonDir returns the deepest directory holding every path.
func commonDir(paths []string) string {
	if len(paths) == 0 {
		return "."
	}
	common := filepath.Dir(filepath.Clean(paths[0]))
	for _, p := range paths[1:] {
		d := filepath.Dir(filepath.Clean(p))
		for common != "." && common != string(filepath.Separator) && d != common && !strings.HasPrefix(d, common+string(filepath.Separator)) {
			common = filepath.Dir(common)
		}
	}
	return common
}

// write puts files in dir atomically, each through a temporary file and a
// rename, skips files whose content is unchanged, and removes stale
// generated files. Files are written by a few goroutines at once: on a
// slow file system the system calls, not the CPU, take the time.
func write(dir string, files []emit.File) (written, removed int, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, 0, err
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		errs  []error
		next  = make(chan emit.File)
		count atomic.Int64
	)
	for range min(8, len(files)) {
		wg.Go(func() {
			for f := range next {
				path := filepath.Join(dir, f.Name)
				if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, f.Data) {
					continue
				}
				if err := writeAtomic(path, f.Data); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					continue
				}
				count.Add(1)
			}
		})
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	written = int(count.Load())
	if err := errors.Join(errs...); err != nil {
		return written, 0, err
	}
	stale, err := staleFiles(dir, files)
	if err != nil {
		return written, removed, err
	}
	for _, name := range stale {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			return written, removed, err
		}
		removed++
	}
	return written, removed, nil
}

// writeAtomic writes path so that a reader sees the old content or the
// new, never part of it: through a temporary file and a rename when path
// exists; a new file is created in place, exclusively (creating files is
// what takes the time on a slow file system, and a new file has no old
// content to keep).
func writeAtomic(path string, data []byte) error {
	if f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644); err == nil {
		_, werr := f.Write(data)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			_ = os.Remove(path)
		}
		return werr
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tongagen-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		_ = os.Remove(tmp.Name())
	}
	return werr
}

// staleFiles lists the .go files of dir that carry the generated-code
// marker but are not among files.
func staleFiles(dir string, files []emit.File) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var stale []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || slices.ContainsFunc(files, func(f emit.File) bool { return f.Name == name }) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		if bytes.HasPrefix(data, []byte(emit.Marker+"\n")) {
			stale = append(stale, name)
		}
	}
	return stale, nil
}

// check compares files with dir and returns a report of the differences,
// empty when there are none.
func check(dir string, files []emit.File) (string, error) {
	var b strings.Builder
	for _, f := range files {
		path := filepath.Join(dir, f.Name)
		old, err := os.ReadFile(path)
		switch {
		case os.IsNotExist(err):
			fmt.Fprintf(&b, "missing: %s\n", path)
		case err != nil:
			return "", err
		case !bytes.Equal(old, f.Data):
			b.WriteString(unifiedDiff(path, string(old), string(f.Data)))
		}
	}
	stale, err := staleFiles(dir, files)
	if err != nil && !os.IsNotExist(err) {
		return "", err
	}
	for _, name := range stale {
		fmt.Fprintf(&b, "stale: %s (generated, no longer produced)\n", filepath.Join(dir, name))
	}
	return b.String(), nil
}
