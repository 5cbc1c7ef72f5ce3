package coffeebar_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// quick is a run of make bench-quick: fewer orders.
var quick = os.Getenv("BENCH_QUICK") != ""

// binary returns the demo binary: $BENCH_COFFEEBAR, which cmd/report
// builds once, or one built into dir.
func binary(b *testing.B, dir string) string {
	b.Helper()
	if p := os.Getenv("BENCH_COFFEEBAR"); p != "" {
		return p
	}
	p := filepath.Join(dir, "coffeebar")
	cmd := exec.Command("go", "build", "-o", p, "./examples/coffeebar")
	cmd.Dir = "../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build ./examples/coffeebar: %v\n%s", err, out)
	}
	return p
}

// BenchmarkCoffeeBar runs the demo once per iteration, and reports the
// means of its summary's figures: ns/op is the time per coffee paid
// (the inverse of coffees/s), start-up excluded.
func BenchmarkCoffeeBar(b *testing.B) {
	bin := binary(b, b.TempDir())
	orders := 300
	if quick {
		orders = 100
	}
	b.Run(fmt.Sprintf("orders=%d/impl=tongagen", orders), func(b *testing.B) {
		var sum summary
		for range b.N {
			out, err := exec.Command(bin, "--orders", strconv.Itoa(orders), "--exit-when-done").CombinedOutput()
			if err != nil {
				b.Fatalf("coffeebar: %v\n%s", err, out)
			}
			s, err := parseSummary(out)
			if err != nil {
				b.Fatalf("%v\n%s", err, out)
			}
			sum.rate += s.rate
			for i := range sum.flow {
				sum.flow[i] += s.flow[i]
			}
		}
		n := float64(b.N)
		b.ReportMetric(1e9*n/sum.rate, "ns/op")
		b.ReportMetric(sum.rate/n, "coffees/s")
		for i, unit := range []string{"p50-ms", "p90-ms", "p99-ms"} {
			b.ReportMetric(float64(sum.flow[i].Microseconds())/1000/n, unit)
		}
	})
}

// A summary holds the demo's figures the benchmark reports.
type summary struct {
	rate float64          // coffees paid per second
	flow [3]time.Duration // p50, p90, p99 of CoffeeOrdered → BillPaid
}

var (
	rateLine = regexp.MustCompile(`(?m)^\d+ orders taken, (\d+) paid, in [\d.]+s: ([\d.]+) coffees/s`)
	flowLine = regexp.MustCompile(`(?m)^\s*CoffeeOrdered → BillPaid \(the whole flow\)\s+(\S+)\s+(\S+)\s+(\S+)\s*$`)
)

// parseSummary reads the demo's summary, which must also say that every
// coffee went through exactly once.
func parseSummary(out []byte) (summary, error) {
	var s summary
	if !bytes.Contains(out, []byte("\nexactly once: ")) {
		return s, fmt.Errorf("coffeebar: the run was not exactly once")
	}
	m := rateLine.FindSubmatch(out)
	if m == nil {
		return s, fmt.Errorf("coffeebar: no orders/s line in the summary")
	}
	rate, err := strconv.ParseFloat(string(m[2]), 64)
	if err != nil || rate <= 0 {
		return s, fmt.Errorf("coffeebar: coffees/s %q", m[2])
	}
	s.rate = rate
	m = flowLine.FindSubmatch(out)
	if m == nil {
		return s, fmt.Errorf("coffeebar: no whole-flow latency line in the summary")
	}
	for i := range s.flow {
		d, err := time.ParseDuration(strings.TrimSpace(string(m[i+1])))
		if err != nil {
			return s, fmt.Errorf("coffeebar: whole-flow latency: %w", err)
		}
		s.flow[i] = d
	}
	return s, nil
}
