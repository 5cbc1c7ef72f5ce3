package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// runSuite builds the benchmarks, runs the rounds and returns the raw
// output, headed by the run's facts as benchfmt configuration lines.
func runSuite(o options) ([]byte, error) {
	tmp, err := os.MkdirTemp("", "bench-report-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	qs := o.selected()
	bins, err := prepare(qs, tmp, o)
	if err != nil {
		return nil, err
	}
	info := machineInfo(o)
	for _, b := range bins {
		if b.benchtime != o.benchtime {
			info["bench-benchtime-"+strings.ToLower(b.q.Bench)] = b.benchtime
		}
		if b.rounds != o.rounds {
			info["bench-rounds-"+strings.ToLower(b.q.Bench)] = strconv.Itoa(b.rounds)
		}
	}
	info["bench-load-before"] = loadavg()
	sampler := startLoadSampler(5 * time.Second)
	start := time.Now()
	var out bytes.Buffer
	for round := 1; round <= o.rounds; round++ {
		for _, b := range bins {
			if round > b.rounds {
				continue
			}
			fmt.Fprintf(os.Stderr, "report: round %d/%d: %s (%s so far)\n", round, o.rounds, b.q.Title, time.Since(start).Round(time.Second))
			if err := b.run(&out); err != nil {
				return nil, err
			}
		}
	}
	info["bench-elapsed"] = time.Since(start).Round(time.Second).String()
	info["bench-load-during"] = sampler.stop()
	info["bench-load-after"] = loadavg()
	var raw bytes.Buffer
	for _, k := range sortedKeys(info) {
		fmt.Fprintf(&raw, "%s: %s\n", k, info[k])
	}
	raw.WriteString("\n")
	raw.Write(out.Bytes())
	return raw.Bytes(), nil
}

// A binary is one question's compiled benchmark and how to run it.
type binary struct {
	q         *question
	path      string
	dir       string   // the package directory, where go test runs it
	env       []string // added to the environment
	benchtime string   // its -benchtime
	rounds    int      // the rounds that run it, the first ones
}

// prepare compiles each question's test binary once and runs its Setup.
func prepare(qs []*question, tmp string, o options) ([]*binary, error) {
	var bins []*binary
	for _, q := range qs {
		b := &binary{q: q, path: filepath.Join(tmp, q.Bench+".test"), benchtime: o.benchtimeOf(q), rounds: o.roundsOf(q)}
		fmt.Fprintf(os.Stderr, "report: building %s\n", q.Package)
		args := []string{"test", "-c", "-o", b.path}
		if q.BuildTags != nil {
			if tags := q.BuildTags(); len(tags) > 0 {
				args = append(args, "-tags", strings.Join(tags, ","))
			}
		}
		if out, err := exec.Command("go", append(args, q.Package)...).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go test -c %s: %w\n%s", q.Package, err, out)
		}
		dir, err := exec.Command("go", "list", "-f", "{{.Dir}}", q.Package).Output()
		if err != nil {
			return nil, fmt.Errorf("go list %s: %w", q.Package, err)
		}
		b.dir = strings.TrimSpace(string(dir))
		if q.Setup != nil {
			if b.env, err = q.Setup(tmp); err != nil {
				return nil, err
			}
		}
		if o.quick {
			b.env = append(b.env, "BENCH_QUICK=1")
		}
		bins = append(bins, b)
	}
	return bins, nil
}

// run runs every benchmark of the binary once, appending the output to out.
func (b *binary) run(out *bytes.Buffer) error {
	cmd := exec.Command(b.path, "-test.run=^$", "-test.bench=^Benchmark"+b.q.Bench+"$", "-test.benchmem",
		"-test.benchtime="+b.benchtime, "-test.count=1", "-test.timeout=0")
	cmd.Dir = b.dir
	cmd.Env = append(os.Environ(), b.env...)
	cmd.Stdout = out
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w (output so far:\n%s)", b.q.Package, err, tail(out.String(), 2000))
	}
	return nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// generators are the code generators the Generator question runs as
// binaries (its benchmark's tools, by the same names).
var generators = []struct{ name, pkg string }{
	{"tongagen", "github.com/tonga-go/tonga/cmd/tongagen"},
	{"gogen-avro", "github.com/actgardner/gogen-avro/v10/cmd/gogen-avro"},
	{"avrogen", "github.com/hamba/avro/v2/cmd/avrogen"},
}

// buildGenerators builds the generators once for every round and passes
// their directory to the benchmark in $BENCH_TOOLS.
func buildGenerators(tmp string) ([]string, error) {
	dir := filepath.Join(tmp, "tools")
	for _, g := range generators {
		fmt.Fprintf(os.Stderr, "report: building %s\n", g.pkg)
		if out, err := exec.Command("go", "build", "-o", filepath.Join(dir, g.name), g.pkg).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go build %s: %w\n%s", g.pkg, err, out)
		}
	}
	return []string{"BENCH_TOOLS=" + dir}, nil
}

// buildCoffeeBar builds the coffee bar's demo binary once for every round
// and passes its path to the benchmark in $BENCH_COFFEEBAR.
func buildCoffeeBar(tmp string) ([]string, error) {
	bin := filepath.Join(tmp, "tools", "coffeebar")
	fmt.Fprintln(os.Stderr, "report: building ./examples/coffeebar")
	cmd := exec.Command("go", "build", "-o", bin, "./examples/coffeebar")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build ./examples/coffeebar: %w\n%s", err, out)
	}
	return []string{"BENCH_COFFEEBAR=" + bin}, nil
}

// rocksdbHeader is where the RocksDB C library's header is installed
// (Debian's librocksdb-dev); runtime/store/rocksdb builds, with the tag
// rocksdb, only where it is.
const rocksdbHeader = "/usr/include/rocksdb/c.h"

// rocksdbTags returns the tag rocksdb if the library is installed.
func rocksdbTags() []string {
	if _, err := os.Stat(rocksdbHeader); err != nil {
		return nil
	}
	return []string{"rocksdb"}
}

// machineInfo gathers the facts the page reports about the machine and
// the run.
func machineInfo(o options) map[string]string {
	info := map[string]string{
		"bench-date":      time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		"bench-cores":     strconv.Itoa(runtime.NumCPU()),
		"bench-cpu":       procField("/proc/cpuinfo", "model name"),
		"bench-memory":    memTotal(),
		"bench-kernel":    strings.TrimSpace(readFile("/proc/sys/kernel/osrelease")),
		"bench-rounds":    strconv.Itoa(o.rounds),
		"bench-benchtime": o.benchtime,
		"bench-make":      "bench",
	}
	if o.quick {
		info["bench-make"] = "bench-quick"
		info["bench-quick"] = "yes"
	}
	if v, err := exec.Command("go", "env", "GOVERSION").Output(); err == nil {
		info["bench-go"] = strings.TrimSpace(string(v))
	}
	mods := map[string]bool{}
	for _, im := range impls {
		if im.Module != "" {
			mods[im.Module] = true
		}
	}
	for _, q := range questions {
		for _, im := range q.Impls {
			if im.Module != "" {
				mods[im.Module] = true
			}
		}
		for _, m := range q.Modules {
			mods[m] = true
		}
	}
	args := []string{"list", "-m", "-f", "{{.Path}} {{.Version}}"}
	for m := range mods {
		args = append(args, m)
	}
	sort.Strings(args[4:])
	if out, err := exec.Command("go", args...).Output(); err == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if path, version, ok := strings.Cut(line, " "); ok {
				info["bench-version-"+path] = version
			}
		}
	}
	return info
}

func readFile(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "unknown"
	}
	return string(data)
}

// procField returns the value of the first "name: value" line of a /proc
// file.
func procField(path, name string) string {
	for _, line := range strings.Split(readFile(path), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == name {
			return strings.Join(strings.Fields(v), " ")
		}
	}
	return "unknown"
}

// memTotal returns the machine's memory in GiB.
func memTotal() string {
	f := strings.Fields(procField("/proc/meminfo", "MemTotal"))
	if len(f) != 2 || f[1] != "kB" {
		return "unknown"
	}
	kb, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return "unknown"
	}
	return fmt.Sprintf("%.1f GiB", kb/(1<<20))
}

// loadavg returns the 1, 5 and 15-minute load averages.
func loadavg() string {
	f := strings.Fields(readFile("/proc/loadavg"))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], ", ")
}

// A loadSampler reads the 1-minute load average at an interval.
type loadSampler struct {
	done    chan struct{}
	wg      sync.WaitGroup
	samples []float64
}

func startLoadSampler(every time.Duration) *loadSampler {
	s := &loadSampler{done: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if f := strings.Fields(readFile("/proc/loadavg")); len(f) > 0 {
				if v, err := strconv.ParseFloat(f[0], 64); err == nil {
					s.samples = append(s.samples, v)
				}
			}
			select {
			case <-s.done:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// stop ends the sampling and summarises it.
func (s *loadSampler) stop() string {
	close(s.done)
	s.wg.Wait()
	if len(s.samples) == 0 {
		return "not sampled"
	}
	lo, hi, sum := s.samples[0], s.samples[0], 0.0
	for _, v := range s.samples {
		lo, hi, sum = min(lo, v), max(hi, v), sum+v
	}
	return fmt.Sprintf("min %.2f, mean %.2f, max %.2f (sampled %d times)", lo, sum/float64(len(s.samples)), hi, len(s.samples))
}
