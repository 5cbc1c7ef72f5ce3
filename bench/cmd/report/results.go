package main

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"sort"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
)

// Units as benchfmt tidies them.
const (
	unitTime   = "sec/op"
	unitAllocs = "allocs/op"
	unitBytes  = "B/op"
)

// A question is one section of the page: the benchmark that answers it,
// how its results are grouped, and the targets checked against them.
type question struct {
	Title   string
	Package string // the bench package holding the benchmark, "./codec"
	Bench   string // the benchmark's name without "Benchmark"
	// Groups are the name keys (record=..., op=...) whose values split
	// the results into comparisons; the key "impl" names the
	// implementation within one.
	Groups  []string
	Metrics []metric // units reported with b.ReportMetric, shown as columns
	// NoAllocs are implementations whose B/op and allocs/op say nothing
	// about them; the page shows "—".
	NoAllocs []string
	Intro    string
	Targets  []target
	// Setup prepares what the benchmark needs in every round, once, and
	// returns environment variables for its process.
	Setup func(tmp string) ([]string, error)
	// Benchtime and QuickBenchtime replace the run's -benchtime for this
	// question (unless -benchtime is given), and QuickRounds limits a
	// quick run to its first rounds (unless -rounds is given): for
	// benchmarks whose every call costs a start-up.
	Benchtime, QuickBenchtime string
	QuickRounds               int
	// Rounds limits a full run to its first rounds likewise (unless
	// -rounds is given), for benchmarks whose round takes minutes.
	Rounds int
	// Impls names implementations differently from the package-wide
	// impls, for this question; Modules are more modules whose versions
	// the page gives.
	Impls   map[string]implInfo
	Modules []string
	// Describe names a group in sentences and verdicts; by default its
	// values joined with spaces.
	Describe func(values []string) string
	// QuickNote says on the page how a quick run measured this question
	// differently.
	QuickNote string
	// BuildTags returns the build tags its test binary is built with.
	BuildTags func() []string
}

// label is the page's name of an implementation in q.
func (q *question) label(impl string) string {
	if info, ok := q.Impls[impl]; ok {
		return info.Label
	}
	return label(impl)
}

// describe names a group of q.
func (q *question) describe(values []string) string {
	if q.Describe != nil {
		return q.Describe(values)
	}
	return strings.Join(values, " ")
}

// A metric is a custom unit shown in a column.
type metric struct {
	Unit, Label string
	Format      func(float64) string
}

type implInfo struct {
	Label  string
	Module string // where the version comes from; "" for this repository
}

type target struct {
	Text  string
	Check func(*table) verdict
}

const (
	stateMet        = "met"
	stateMissed     = "missed"
	stateUnmeasured = "not measured"
)

type verdict struct {
	State, Detail string
}

// A table holds one question's results.
type table struct {
	q      *question
	groups []*group
}

// A group is one comparison: the rows sharing the values of the question's
// group keys.
type group struct {
	values []string
	rows   []*row
}

// A row is one implementation's samples, by unit.
type row struct {
	impl    string
	samples map[string][]float64
}

func (t *table) group(values ...string) *group {
	for _, g := range t.groups {
		if slices.Equal(g.values, values) {
			return g
		}
	}
	return nil
}

// row returns the row of impl in the group of values, or nil.
func (t *table) row(impl string, values ...string) *row {
	return t.group(values...).row(impl)
}

func (g *group) row(impl string) *row {
	if g == nil {
		return nil
	}
	for _, r := range g.rows {
		if r.impl == impl {
			return r
		}
	}
	return nil
}

func (r *row) sample(unit string) (*benchmath.Sample, bool) {
	if r == nil || len(r.samples[unit]) == 0 {
		return nil, false
	}
	return benchmath.NewSample(r.samples[unit], &benchmath.DefaultThresholds), true
}

// median is the row's median in unit, as benchstat computes it.
func (r *row) median(unit string) (float64, bool) {
	s, ok := r.sample(unit)
	if !ok {
		return 0, false
	}
	return benchmath.AssumeNothing.Summary(s, confidence).Center, true
}

const confidence = 0.95

// parseResults reads benchmark output and sorts its results into one
// table per question, keyed by the benchmark's name without "Benchmark"
// (which benchfmt drops). Groups and rows keep the order in which the
// benchmarks first reported them.
func parseResults(data []byte) (map[string]*table, map[string]string, error) {
	tables := map[string]*table{}
	for i := range questions {
		tables[questions[i].Bench] = &table{q: &questions[i]}
	}
	config := map[string]string{}
	rd := benchfmt.NewReader(bytes.NewReader(data), "bench")
	for rd.Scan() {
		res, ok := rd.Result().(*benchfmt.Result)
		if !ok {
			continue
		}
		for _, c := range res.Config {
			if c.File {
				config[c.Key] = string(c.Value)
			}
		}
		base, parts := res.Name.Parts()
		t := tables[string(base)]
		if t == nil {
			continue
		}
		t.add(nameConfig(parts), res.Values)
	}
	if err := rd.Err(); err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, err
	}
	return tables, config, nil
}

// nameConfig turns "/key=value" name parts into a map; "-N" (GOMAXPROCS)
// and positional parts are dropped.
func nameConfig(parts [][]byte) map[string]string {
	m := map[string]string{}
	for _, p := range parts {
		k, v, ok := strings.Cut(strings.TrimPrefix(string(p), "/"), "=")
		if ok && p[0] == '/' {
			m[k] = v
		}
	}
	return m
}

func (t *table) add(cfg map[string]string, values []benchfmt.Value) {
	vals := make([]string, len(t.q.Groups))
	for i, k := range t.q.Groups {
		vals[i] = cfg[k]
	}
	g := t.group(vals...)
	if g == nil {
		g = &group{values: vals}
		t.groups = append(t.groups, g)
	}
	r := g.row(cfg["impl"])
	if r == nil {
		r = &row{impl: cfg["impl"], samples: map[string][]float64{}}
		g.rows = append(g.rows, r)
	}
	for _, v := range values {
		r.samples[v.Unit] = append(r.samples[v.Unit], v.Value)
	}
}

// label is the page's name of an implementation.
func label(impl string) string {
	if info, ok := impls[impl]; ok {
		return info.Label
	}
	return impl
}

// sortedKeys returns m's keys, sorted.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
