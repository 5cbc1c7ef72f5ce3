package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestInitScaffold runs tongagen init, then the commands its output says
// to run next, against this checkout: the new service resolves its
// modules, generates its records, builds, vets and passes its own test,
// which runs it on the embedded broker.
func TestInitScaffold(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a new module")
	}
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	stdout, stderr, code := run(t, work, "init", "example.com/greeter")
	if code != 0 {
		t.Fatalf("init: exit %d\n%s", code, stderr)
	}
	dir := filepath.Join(work, "greeter")
	// Whatever version this tongagen stamps in go.mod, the test builds
	// against this checkout.
	goIn(t, dir, "mod", "edit", "-replace", "github.com/tonga-go/tonga="+root)

	_, next, ok := strings.Cut(stdout, "\nNext:\n")
	if !ok {
		t.Fatalf("init printed no next steps:\n%s", stdout)
	}
	at := work
	for _, line := range strings.Split(strings.TrimSpace(next), "\n") {
		args := strings.Fields(strings.ReplaceAll(line, "/path/to/tonga", root))
		switch {
		case len(args) == 2 && args[0] == "cd":
			at = filepath.Join(at, args[1])
		case len(args) > 1 && args[0] == "go":
			goIn(t, at, args[1:]...)
		default:
			t.Fatalf("init printed a step the test cannot run: %q", line)
		}
	}
	if at != dir {
		t.Errorf("the steps ran in %s, want %s", at, dir)
	}

	goIn(t, dir, "build", "./...")
	goIn(t, dir, "vet", "./...")
	goIn(t, dir, "tool", "tongagen", "check", "-o", "records", "schemas")
	if out, err := exec.Command("gofmt", "-l", dir).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("gofmt -l: %v\n%s", err, out)
	}
	for _, f := range []string{"records/greet.tonga.go", "records/greeted.tonga.go", "records/registry.tonga.go"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("go generate did not write %s: %v", f, err)
		}
	}
}

// goIn runs the go command in dir, outside any workspace, and fails the
// test with its output if it fails.
func goIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOPACKAGE=")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("go %s (%v)", strings.Join(args, " "), time.Since(start).Round(time.Millisecond))
	if err != nil {
		t.Fatalf("go %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
}
