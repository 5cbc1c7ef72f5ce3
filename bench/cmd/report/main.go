// Command report runs the benchmark suite of bench/ and writes
// docs/BENCHMARKS.md from the results: the machine and its load, and for
// each question (see spec.go) a table of medians with their spread,
// allocations, the ratio of tongagen against each peer measured in the
// same run, and whether each target is met.
//
// From the bench directory:
//
//	go run ./cmd/report            # make bench: 10 rounds, -benchtime 1s
//	go run ./cmd/report -quick     # make bench-quick: 3 rounds, -benchtime 200ms
//	go run ./cmd/report -from ../docs/BENCHMARKS.raw.txt   # re-render only
//
// It builds each question's test binary once, then runs the rounds: each
// round runs every benchmark once, so that the machine's changing load
// falls on all implementations alike. A question may set its own
// -benchtime, and a quick run may run it in fewer rounds (see question).
// The raw output, with the run's facts as benchfmt configuration lines, is
// kept beside the page.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

type options struct {
	quick     bool
	rounds    int
	benchtime string
	// roundsSet and benchtimeSet record -rounds and -benchtime given
	// explicitly: they then hold for every question.
	roundsSet, benchtimeSet bool
	out, raw                string
	from                    string
	only                    string
}

func run() error {
	var o options
	flag.BoolVar(&o.quick, "quick", false, "quick run: 3 rounds, -benchtime 200ms, the slowest generator peers skipped, the processing loop in one round")
	flag.IntVar(&o.rounds, "rounds", 0, "rounds (default 10, or 3 with -quick)")
	flag.StringVar(&o.benchtime, "benchtime", "", "go test -benchtime (default 1s, or 200ms with -quick)")
	flag.StringVar(&o.out, "o", "../docs/BENCHMARKS.md", "the page to write")
	flag.StringVar(&o.raw, "raw", "../docs/BENCHMARKS.raw.txt", "where to keep the raw benchmark output")
	flag.StringVar(&o.from, "from", "", "render the page from this raw file instead of running")
	flag.StringVar(&o.only, "only", "", "run only the questions whose title contains this (for trying things; the page then lacks the others)")
	flag.Parse()
	flag.Visit(func(f *flag.Flag) {
		o.roundsSet = o.roundsSet || f.Name == "rounds"
		o.benchtimeSet = o.benchtimeSet || f.Name == "benchtime"
	})
	o.defaults()

	rawPath := o.raw
	if o.from != "" {
		rawPath = o.from
	} else {
		data, err := runSuite(o)
		if err != nil {
			return err
		}
		if err := writeFile(o.raw, data); err != nil {
			return err
		}
	}
	data, err := os.ReadFile(rawPath)
	if err != nil {
		return err
	}
	tables, info, err := parseResults(data)
	if err != nil {
		return err
	}
	stat, err := exec.Command("go", "tool", "benchstat", "run="+rawPath).CombinedOutput()
	if err != nil {
		return fmt.Errorf("benchstat: %w\n%s", err, stat)
	}
	rel, err := relPath(filepath.Dir(o.out), rawPath)
	if err != nil {
		return err
	}
	p := &page{info: info, tables: tables, benchstat: string(stat), rawPath: filepath.ToSlash(rel)}
	if err := writeFile(o.out, []byte(p.render())); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "report: wrote %s and %s\n", o.out, rawPath)
	return nil
}

// relPath is target relative to dir, both made absolute first.
func relPath(dir, target string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	t, err := filepath.Abs(target)
	if err != nil {
		return "", err
	}
	return filepath.Rel(d, t)
}

// writeFile writes data to path, making its directory if needed.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

func (o *options) defaults() {
	if o.rounds == 0 {
		o.rounds = 10
		if o.quick {
			o.rounds = 3
		}
	}
	if o.benchtime == "" {
		o.benchtime = "1s"
		if o.quick {
			o.benchtime = "200ms"
		}
	}
}

// benchtimeOf returns q's -benchtime in this run.
func (o *options) benchtimeOf(q *question) string {
	switch {
	case o.benchtimeSet:
	case o.quick && q.QuickBenchtime != "":
		return q.QuickBenchtime
	case !o.quick && q.Benchtime != "":
		return q.Benchtime
	}
	return o.benchtime
}

// roundsOf returns how many rounds run q.
func (o *options) roundsOf(q *question) int {
	if o.quick && !o.roundsSet && q.QuickRounds > 0 {
		return min(o.rounds, q.QuickRounds)
	}
	if !o.quick && !o.roundsSet && q.Rounds > 0 {
		return min(o.rounds, q.Rounds)
	}
	return o.rounds
}

// selected returns the questions the run covers.
func (o *options) selected() []*question {
	var qs []*question
	for i := range questions {
		if o.only == "" || strings.Contains(questions[i].Title, o.only) {
			qs = append(qs, &questions[i])
		}
	}
	return qs
}
