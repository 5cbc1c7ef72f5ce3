package generator_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/tonga-go/tonga/bench/internal/benchutil"
	"github.com/tonga-go/tonga/internal/cli"
)

// sizes are the numbers of schemas generated from.
var sizes = []int{10, 100, 1000}

// tools are the generators run as binaries: the name in benchmark output,
// the package to build, and the command line for an output directory and
// the schema files (and their directory).
var tools = []struct {
	name, pkg string
	args      func(out, dir string, files []string) []string
}{
	{"tongagen", "github.com/tonga-go/tonga/cmd/tongagen", func(out, dir string, _ []string) []string {
		return []string{"generate", "-o", out, "--package", "gen", dir}
	}},
	{"gogen-avro", "github.com/actgardner/gogen-avro/v10/cmd/gogen-avro", func(out, _ string, files []string) []string {
		return append([]string{"-package", "gen", out}, files...)
	}},
	{"avrogen", "github.com/hamba/avro/v2/cmd/avrogen", func(out, _ string, files []string) []string {
		return append([]string{"-pkg", "gen", "-o", filepath.Join(out, "gen.go")}, files...)
	}},
}

// quick is set by cmd/report -quick: above quickMax schemas only the
// tongagen binary runs, which keeps the target's figure and drops the
// peers' slowest runs.
var quick = os.Getenv("BENCH_QUICK") != ""

const quickMax = 100

func BenchmarkGenerate(b *testing.B) {
	bin := toolsDir(b)
	// The warm-up runs each generator once on the smallest set: the
	// binary and the schema reader are then in memory; a larger set would
	// only repeat the timed work.
	small := b.TempDir()
	smallFiles, err := writeSchemas(small, sizes[0])
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range sizes {
		dir := b.TempDir()
		files, err := writeSchemas(dir, n)
		if err != nil {
			b.Fatal(err)
		}
		for _, tool := range tools {
			exe := filepath.Join(bin, tool.name)
			b.Run(fmt.Sprintf("schemas=%d/impl=%s", n, tool.name), func(b *testing.B) {
				if quick && n > quickMax && tool.name != "tongagen" {
					b.Skipf("quick run: only tongagen above %d schemas", quickMax)
				}
				outs := outDirs(b)
				warm := func() error {
					_, err := runTool(exe, tool.args(outs(), small, smallFiles))
					return err
				}
				var peak int64
				run := func() error {
					rss, err := runTool(exe, tool.args(outs(), dir, files))
					peak = max(peak, rss)
					return err
				}
				benchutil.WarmOnce(b, warm)
				for b.Loop() {
					if err := run(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(peak)/1024, "peak-RSS-MiB")
			})
		}
		b.Run(fmt.Sprintf("schemas=%d/impl=tongagen-inprocess", n), func(b *testing.B) {
			if quick && n > quickMax {
				b.Skipf("quick run: only tongagen above %d schemas", quickMax)
			}
			outs := outDirs(b)
			benchutil.WarmOnce(b, func() error { return generateInProcess(outs(), small) })
			b.ReportAllocs()
			for b.Loop() {
				if err := generateInProcess(outs(), dir); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// generateInProcess runs tongagen's generate command as its main does,
// in this process.
func generateInProcess(out, dir string) error {
	var stderr strings.Builder
	args := []string{"generate", "-o", out, "--package", "gen", dir}
	if code := cli.Main(context.Background(), args, io.Discard, &stderr); code != 0 {
		return fmt.Errorf("tongagen exit %d: %s", code, stderr.String())
	}
	return nil
}

// outDirs returns a function that makes a new, empty output directory on
// each call, so that no generator finds the files of an earlier run.
func outDirs(b *testing.B) func() string {
	root := b.TempDir()
	i := 0
	return func() string {
		i++
		d := filepath.Join(root, fmt.Sprint(i))
		if err := os.Mkdir(d, 0o755); err != nil {
			b.Fatal(err)
		}
		return d
	}
}

// runTool runs exe and returns its peak resident memory in KiB.
func runTool(exe string, args []string) (int64, error) {
	cmd := exec.Command(exe, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("%s: %w\n%s", filepath.Base(exe), err, out)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss, nil
	}
	return 0, nil
}

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// toolsDir returns the directory holding the generators' binaries: $BENCH_TOOLS
// if set, else a temporary directory they are built into, once per process.
func toolsDir(b *testing.B) string {
	if dir := os.Getenv("BENCH_TOOLS"); dir != "" {
		return dir
	}
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "bench-tools-")
		for _, tool := range tools {
			if buildErr != nil {
				break
			}
			cmd := exec.Command("go", "build", "-o", filepath.Join(buildDir, tool.name), tool.pkg)
			if out, err := cmd.CombinedOutput(); err != nil {
				buildErr = fmt.Errorf("go build %s: %w\n%s", tool.pkg, err, out)
			}
		}
	})
	if buildErr != nil {
		b.Fatal(buildErr)
	}
	return buildDir
}
