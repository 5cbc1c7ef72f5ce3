// Command gen writes the seed schemas of the differential test in
// internal/oracle: one standalone .avsc file per record type of
// testdata/seed/want, taken from the generated AvroSchema().JSON, so that
// gogen-avro reads exactly the schema our generated code was built from.
//
// Run it through go generate from internal/oracle (see doc.go there):
//
//	go generate ./internal/oracle/...
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

// prefix starts the name of every file gen writes; other .avsc files in the
// directory (mixed.avsc) are written by hand and left alone.
const prefix = "seed."

func main() {
	dir := flag.String("o", "schemas", "directory to write the .avsc files to")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	want := make(map[string]bool)
	for _, s := range seed.Schemas() {
		name := prefix + s.FullName + ".avsc"
		want[name] = true
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s.JSON+"\n"), 0o644); err != nil {
			return err
		}
	}
	// Remove the files of record types that are gone.
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, prefix) && strings.HasSuffix(n, ".avsc") && !want[n] {
			if err := os.Remove(filepath.Join(dir, n)); err != nil {
				return err
			}
		}
	}
	return nil
}
