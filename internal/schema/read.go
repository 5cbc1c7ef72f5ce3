package schema

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Source is one schema file's contents.
type Source struct {
	// Path is the file's path as given or as found by walking a
	// directory; diagnostics print it verbatim.
	Path string
	Data []byte
	// YAML reports whether Data is YAML, possibly holding several
	// documents, rather than JSON.
	YAML bool
}

// Read loads the schema sources named by paths. It is the only stage that
// touches the file system.
//
// A directory is walked recursively in lexical order, taking the files
// named *.avsc and *.json as JSON and *.avsc.yaml and *.avsc.yml as YAML;
// files and directories whose names start with "." are skipped. A file
// named explicitly is read whatever its name: as YAML if it ends in .yaml
// or .yml, as JSON otherwise. A file reached twice (named and inside a
// named directory, say) is read once, where it is first reached.
//
// Paths keep the form they were given in: the directory "schemas" yields
// "schemas/a/b.avsc". A missing path is an error, and so is a directory
// holding no schema file. Read with no paths returns no sources.
func Read(paths []string) ([]Source, error) {
	r := reader{seen: make(map[string]bool)}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			if err := r.add(p, hasYAMLExt(p)); err != nil {
				return nil, err
			}
			continue
		}
		if err := r.walk(p); err != nil {
			return nil, err
		}
	}
	return r.srcs, nil
}

// reader accumulates sources, reading each file once.
type reader struct {
	srcs []Source
	seen map[string]bool // cleaned paths already read
}

// add reads the file at path unless it has been read already.
func (r *reader) add(path string, yaml bool) error {
	key := filepath.Clean(path)
	if r.seen[key] {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	r.seen[key] = true
	r.srcs = append(r.srcs, Source{Path: path, Data: data, YAML: yaml})
	return nil
}

// walk reads the schema files under the directory root.
func (r *reader) walk(root string) error {
	// A trailing separator makes WalkDir follow root if it is a symbolic
	// link; the paths it yields are the same.
	start := root
	if !os.IsPathSeparator(start[len(start)-1]) {
		start += string(filepath.Separator)
	}
	found := false
	err := filepath.WalkDir(start, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != start && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		yaml, ok := schemaFileKind(d.Name())
		if !ok {
			return nil
		}
		found = true
		return r.add(path, yaml)
	})
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("%s: %w", root, errNoSchemaFiles)
	}
	return nil
}

var errNoSchemaFiles = errors.New("no schema files (*.avsc, *.json, *.avsc.yaml, *.avsc.yml) in directory")

// schemaFileKind reports whether a file found in a directory is a schema
// file, and if so whether it is YAML.
func schemaFileKind(name string) (yaml, ok bool) {
	switch {
	case strings.HasSuffix(name, ".avsc.yaml"), strings.HasSuffix(name, ".avsc.yml"):
		return true, true
	case strings.HasSuffix(name, ".avsc"), strings.HasSuffix(name, ".json"):
		return false, true
	}
	return false, false
}

// hasYAMLExt reports whether a file named explicitly is YAML.
func hasYAMLExt(path string) bool {
	ext := filepath.Ext(path)
	return ext == ".yaml" || ext == ".yml"
}
