package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"text/template"

	"github.com/spf13/cobra"

	"github.com/tonga-go/tonga/internal/emit"
	"github.com/tonga-go/tonga/templates"
)

// tongaModule is the module a new service requires.
const tongaModule = "github.com/tonga-go/tonga"

// develVersion is what a new service requires when this tongagen has no
// version of its own: a development build. It resolves only through a
// replace directive.
const develVersion = "v0.0.0"

// scaffoldData is what the templates see; templates/doc.go lists it.
type scaffoldData struct {
	Module       string
	Service      string
	Namespace    string
	TongaVersion string
}

func newInit(stdout io.Writer) *cobra.Command {
	var serviceName, version string
	cmd := &cobra.Command{
		Use:   "init [--service NAME] [--tonga-version VERSION] MODULE [DIR]",
		Short: "Create a new service: schemas, a handler, main, a test and a Makefile",
		Long: `init writes a new Tonga service, module MODULE, into DIR (by default the last
element of MODULE, below the current directory), which must be new or
empty. The service executes a command and emits an event:

    schemas/      an example command and event in Tonga's envelope
    records/      the package go generate fills from schemas/
    main.go       flags --brokers, --instance, --replicas, --http; SIGTERM stops
    handler.go    the command's handler, which emits the event
    main_test.go  the service on an embedded broker, end to end
    Makefile, go.mod, README.md, .gitignore

go.mod requires github.com/tonga-go/tonga at this tongagen's version
(--tonga-version overrides it; a development build writes v0.0.0, which
needs a replace directive) and pins tongagen as a tool. Then:

    cd DIR && go mod tidy && go generate ./... && go test ./...`,
		Args:                  cobra.RangeArgs(1, 2),
		DisableFlagsInUseLine: true,
		RunE: func(_ *cobra.Command, args []string) error {
			dir, data, err := initConfig(args, serviceName, version)
			if err != nil {
				return &usageError{err}
			}
			files, err := scaffold(templates.FS, templates.Service, data)
			if err != nil {
				return err
			}
			if err := writeScaffold(dir, files); err != nil {
				return fmt.Errorf("init: %w", err)
			}
			return printScaffold(stdout, dir, data, files)
		},
	}
	cmd.Flags().StringVar(&serviceName, "service", "", "the service's name: its consumer group, topic prefix and transactional id prefix (default: the last element of MODULE)")
	cmd.Flags().StringVar(&version, "tonga-version", "", "the version of "+tongaModule+" go.mod requires (default: this tongagen's)")
	return cmd
}

// initConfig checks init's arguments and decides the directory and what
// the templates see.
func initConfig(args []string, serviceName, version string) (string, scaffoldData, error) {
	module := args[0]
	if err := checkModulePath(module); err != nil {
		return "", scaffoldData{}, fmt.Errorf("init: %w", err)
	}
	last := lastElement(module)
	dir := last
	if len(args) == 2 {
		dir = args[1]
	}
	if dir == "" {
		return "", scaffoldData{}, errors.New("init: the directory is empty")
	}
	if serviceName == "" {
		serviceName = last
		if err := checkServiceName(serviceName); err != nil {
			return "", scaffoldData{}, fmt.Errorf("init: the last element of %s, %q, is not a service name: %w; pass --service", module, last, err)
		}
	} else if err := checkServiceName(serviceName); err != nil {
		return "", scaffoldData{}, fmt.Errorf("init: --service %q: %w", serviceName, err)
	}
	if version == "" {
		version = binaryVersion()
	} else if !moduleVersion.MatchString(version) {
		return "", scaffoldData{}, fmt.Errorf("init: --tonga-version %q is not a module version such as v0.1.0", version)
	}
	return dir, scaffoldData{
		Module:       module,
		Service:      serviceName,
		Namespace:    avroNamespace(serviceName),
		TongaVersion: version,
	}, nil
}

// moduleVersion matches a semantic version the go command accepts in a
// require line: a release, a pre-release or a pseudo-version, with no
// build metadata (+dirty, as a build from a modified checkout is stamped).
var moduleVersion = regexp.MustCompile(`^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`)

// binaryVersion is the version of the tonga module this binary was built
// from, as go install .../cmd/tongagen@v0.2.0 or go tool tongagen in a
// module that requires it stamps it; develVersion for a build of a
// checkout (no version, or one marked +dirty) and for a fork.
func binaryVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Path != tongaModule || !moduleVersion.MatchString(info.Main.Version) {
		return develVersion
	}
	return info.Main.Version
}

// checkModulePath is close to golang.org/x/mod/module.CheckImportPath
// (which go mod init applies): slash-separated non-empty elements of ASCII
// letters, digits and - . _ ~, none starting or ending with a dot. Like go
// mod init it accepts a first element without a dot (example/greeter),
// which suits a module that is never fetched.
func checkModulePath(p string) error {
	if p == "" {
		return errors.New("the module path is empty")
	}
	for i, elem := range strings.Split(p, "/") {
		bad := func(why string) error { return fmt.Errorf("module path %q: element %q %s", p, elem, why) }
		switch {
		case elem == "":
			return fmt.Errorf("module path %q has an empty element (a leading, trailing or double slash)", p)
		case elem[0] == '.' || elem[len(elem)-1] == '.':
			return bad("starts or ends with a dot")
		case i == 0 && elem[0] == '-':
			return bad("starts with a dash")
		}
		for _, r := range elem {
			if !isModulePathRune(r) {
				return bad(fmt.Sprintf("has %q; use ASCII letters, digits and - . _ ~", r))
			}
		}
	}
	return nil
}

func isModulePathRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune("-._~", r)
}

// majorSuffix matches a module path's major version element (/v2).
var majorSuffix = regexp.MustCompile(`^v[0-9]+$`)

// lastElement is the element of a module path that names it: the last
// one, or the one before a major version suffix (example.com/greeter/v2).
func lastElement(module string) string {
	elems := strings.Split(module, "/")
	last := elems[len(elems)-1]
	if len(elems) > 1 && majorSuffix.MatchString(last) {
		last = elems[len(elems)-2]
	}
	return last
}

// checkServiceName accepts a name that can prefix Kafka topics
// (<name>-commands.dlq must stay within Kafka's 249 characters) and a
// transactional id: a letter, then letters, digits and - . _.
func checkServiceName(name string) error {
	if name == "" {
		return errors.New("it is empty")
	}
	if len(name) > 200 {
		return errors.New("it is longer than 200 characters")
	}
	first := name[0]
	if (first < 'a' || first > 'z') && (first < 'A' || first > 'Z') {
		return errors.New("it does not start with a letter")
	}
	for _, r := range name {
		if !isModulePathRune(r) || r == '~' {
			return fmt.Errorf("it has %q; use letters, digits and - . _", r)
		}
	}
	return nil
}

// avroNamespace turns a service name into an Avro namespace element:
// lowercase letters, digits and underscores.
func avroNamespace(service string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		}
		return '_'
	}, service)
}

// scaffold renders the tree under root in fsys: files ending in
// templates.Suffix through text/template, without the suffix; others as
// they are. The files come in path order; nothing is written.
func scaffold(fsys fs.FS, root string, data scaffoldData) ([]emit.File, error) {
	var files []emit.File
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, root+"/")
		if rendered, ok := strings.CutSuffix(name, templates.Suffix); ok {
			tmpl, err := template.New(name).Option("missingkey=error").Parse(string(src))
			if err != nil {
				return fmt.Errorf("template %s: %w", p, err)
			}
			var b bytes.Buffer
			if err := tmpl.Execute(&b, data); err != nil {
				return fmt.Errorf("template %s: %w", p, err)
			}
			name, src = rendered, b.Bytes()
		}
		files = append(files, emit.File{Name: name, Data: src})
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(files, func(a, b emit.File) int { return strings.Compare(a.Name, b.Name) })
	return files, nil
}

// writeScaffold writes files into dir, which must not exist or be empty.
// It never replaces a file; on failure it removes what it wrote.
func writeScaffold(dir string, files []emit.File) (err error) {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return fmt.Errorf("%s exists and is not a directory", dir)
	}
	entries, rerr := os.ReadDir(dir)
	switch {
	case rerr == nil && len(entries) > 0:
		return fmt.Errorf("%s is not empty; init writes only into a new or empty directory", dir)
	case rerr != nil && !errors.Is(rerr, fs.ErrNotExist):
		return rerr
	}
	created := rerr != nil
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var made []string // files and directories below dir, in creation order
	defer func() {
		if err == nil {
			return
		}
		if created {
			_ = os.RemoveAll(dir)
			return
		}
		for i := len(made) - 1; i >= 0; i-- {
			_ = os.Remove(made[i])
		}
	}()
	for _, f := range files {
		for _, sub := range parentDirs(f.Name) {
			p := filepath.Join(dir, filepath.FromSlash(sub))
			if _, err := os.Stat(p); err == nil {
				continue
			}
			if err := os.Mkdir(p, 0o755); err != nil {
				return err
			}
			made = append(made, p)
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		out, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		made = append(made, p)
		_, werr := out.Write(f.Data)
		if cerr := out.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return werr
		}
	}
	return nil
}

// parentDirs returns the directories of a slash-separated relative path,
// outermost first: a/b/c.go gives a and a/b.
func parentDirs(name string) []string {
	var dirs []string
	for d := path.Dir(name); d != "."; d = path.Dir(d) {
		dirs = append(dirs, d)
	}
	slices.Reverse(dirs)
	return dirs
}

// printScaffold lists what init wrote and what to run next.
func printScaffold(stdout io.Writer, dir string, data scaffoldData, files []emit.File) error {
	var b strings.Builder
	fmt.Fprintf(&b, "tongagen: wrote %s, module %s, service %s:\n", dir, data.Module, data.Service)
	for _, f := range files {
		fmt.Fprintf(&b, "  %s\n", filepath.FromSlash(f.Name))
	}
	if data.TongaVersion == develVersion {
		fmt.Fprintf(&b, "go.mod requires %s %s: this tongagen is a development build, so point\n", tongaModule, develVersion)
		fmt.Fprintf(&b, "go.mod at your checkout (below) or at a release (go get %s@latest).\n", tongaModule)
	}
	b.WriteString("Next:\n")
	fmt.Fprintf(&b, "  cd %s\n", dir)
	if data.TongaVersion == develVersion {
		fmt.Fprintf(&b, "  go mod edit -replace %s=/path/to/tonga\n", tongaModule)
	}
	b.WriteString("  go mod tidy\n  go generate ./...\n  go test ./...\n")
	_, err := io.WriteString(stdout, b.String())
	return err
}
