package main

import (
	"fmt"
	"strings"
)

// page holds everything the page shows.
type page struct {
	info      map[string]string // run facts: the raw file's bench-* lines
	tables    map[string]*table
	benchstat string // benchstat's own report of the raw file
	rawPath   string // the raw file, relative to the page
}

func (p *page) render() string {
	var b strings.Builder
	b.WriteString("# Benchmarks\n\n")
	fmt.Fprintf(&b, "Written by `make %s` (`bench/cmd/report`) from one run on %s; do not edit by hand, run it again. "+
		"The raw `go test -bench` output of that run is [%s](%s): `go tool benchstat` (a tool of bench/go.mod) "+
		"reads it.\n\n", p.info["bench-make"], p.info["bench-date"], p.rawPath, p.rawPath)
	p.renderRules(&b)
	p.renderMachine(&b)
	p.renderTargets(&b)
	for i := range questions {
		q := &questions[i]
		p.renderQuestion(&b, i+1, q, p.tables[q.Bench])
	}
	b.WriteString("## benchstat\n\nbenchstat's summary of the same raw file, for cross-checking the tables above.\n\n")
	b.WriteString("<details><summary>benchstat output</summary>\n\n```\n")
	b.WriteString(strings.TrimRight(p.benchstat, "\n"))
	b.WriteString("\n```\n\n</details>\n")
	return b.String()
}

func (p *page) renderRules(b *strings.Builder) {
	b.WriteString("## Rules these figures follow\n\n")
	rules := []string{
		"**Every peer is configured as its documentation recommends for speed:**\n" + indentList(peerSetup),
		"**Same inputs.** Every implementation encodes the same value (`bench/internal/fixture`, converted from " +
			"tongagen's type into each peer's) and decodes the same bytes (what tongagen wrote). Before timing, each " +
			"benchmark checks that its implementation round-trips that value (`go test ./...` in bench runs the same checks). " +
			"The processing loops all read the same input records and are checked to deliver each exactly once.",
		"**Warm-up.** Each benchmark runs its operation for 20 ms (at most 10 000 times) before timing; the generators " +
			"run once on the 10-schema set. `b.Loop` then times the steady state. The processing loops start up and run " +
			"their first transactions untimed.",
		"**The machine's load is noted** below: it is sampled every 5 s during the run. The machine is shared with " +
			"other agents' builds and tests, so absolute times are inflated and noisy; ratios hold up better.",
		"**Ratios come from the same run.** The run is " + p.info["bench-rounds"] + " rounds; each round runs every " +
			"benchmark once (`-count 1`) in turn, so a change of load hits all implementations alike. Medians, " +
			"95% confidence intervals and p-values are benchstat's (golang.org/x/perf/benchmath: median, " +
			"Mann-Whitney U test). Below 6 rounds no confidence interval exists: the ± column then gives the " +
			"range of the rounds (marked r), and below 4 rounds no difference can reach p < 0.05.",
		"**No figure in the README that this page does not back.**",
		"**Where a target is missed, this page says so and by how much.**",
	}
	for i, r := range rules {
		fmt.Fprintf(b, "%d. %s\n", i+1, r)
	}
	b.WriteString("\n")
}

func indentList(items []string) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString("   - " + it + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (p *page) renderMachine(b *strings.Builder) {
	b.WriteString("## Machine and run\n\n| | |\n|---|---|\n")
	rows := [][2]string{
		{"CPU", p.info["bench-cpu"] + " (`/proc/cpuinfo`), " + p.info["bench-cores"] + " cores"},
		{"memory", p.info["bench-memory"]},
		{"OS", "linux " + p.info["bench-kernel"]},
		{"Go", p.info["bench-go"]},
		{"date", p.info["bench-date"]},
		{"run", fmt.Sprintf("`make %s`: %s rounds, `-benchtime %s`, %s in all", p.info["bench-make"], p.info["bench-rounds"], p.info["bench-benchtime"], p.info["bench-elapsed"])},
		{"load average (1, 5, 15 min)", "before " + p.info["bench-load-before"] + "; after " + p.info["bench-load-after"]},
		{"1-min load during the run", p.info["bench-load-during"] + fmt.Sprintf(" — on %s cores; the machine is shared with other agents' work", p.info["bench-cores"])},
		{"peers", p.versions()},
	}
	for _, r := range rows {
		fmt.Fprintf(b, "| %s | %s |\n", r[0], r[1])
	}
	b.WriteString("\n")
}

// versions lists the peer modules with the versions bench/go.mod resolves.
func (p *page) versions() string {
	var out []string
	seen := map[string]bool{}
	for _, k := range sortedKeys(p.info) {
		if mod, ok := strings.CutPrefix(k, "bench-version-"); ok && !seen[mod] {
			seen[mod] = true
			out = append(out, fmt.Sprintf("%s %s", mod, p.info[k]))
		}
	}
	return strings.Join(out, ", ")
}

func (p *page) renderTargets(b *strings.Builder) {
	b.WriteString("## Targets\n\n| question | target | result | |\n|---|---|---|---|\n")
	for i := range questions {
		q := &questions[i]
		for _, t := range q.Targets {
			v := t.Check(p.tables[q.Bench])
			fmt.Fprintf(b, "| %s | %s | **%s** | %s |\n", q.Title, t.Text, v.State, v.Detail)
		}
	}
	b.WriteString("\n")
}
