package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestPlanMatchesGolden runs the generate recipe in process (so that -race
// sees the parallel rendering) on the seed schemas: it gives the committed
// files, the same on every run.
func TestPlanMatchesGolden(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "seed")
	for range 2 {
		files, err := plan([]string{filepath.Join(root, "schemas")}, genFlags{out: filepath.Join(root, "want"), pkg: "seed"})
		if err != nil {
			t.Fatal(err)
		}
		if len(files) < 2 {
			t.Fatalf("%d files", len(files))
		}
		for _, f := range files {
			want, err := os.ReadFile(filepath.Join(root, "want", f.Name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(f.Data, want) {
				t.Errorf("%s differs from the committed file", f.Name)
			}
		}
	}
}
