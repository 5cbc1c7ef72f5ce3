package main

import (
	"fmt"
	"slices"
	"strings"
)

func (p *page) renderQuestion(b *strings.Builder, n int, q *question, t *table) {
	fmt.Fprintf(b, "## %d. %s\n\n%s\n\n", n, q.Title, q.Intro)
	if p.info["bench-quick"] != "" && q.QuickNote != "" {
		b.WriteString("Quick run: " + q.QuickNote + "\n\n")
	}
	b.WriteString(p.runNote(q))
	if t == nil || len(t.groups) == 0 {
		b.WriteString("Not measured in this run.\n\n")
		return
	}
	header := append([]string{}, q.Groups...)
	header = append(header, "implementation", "time/op", "±", "allocs/op", "B/op")
	for _, m := range q.Metrics {
		header = append(header, m.Label)
	}
	header = append(header, "tongagen vs this")
	b.WriteString("| " + strings.Join(header, " | ") + " |\n")
	b.WriteString(strings.Repeat("|---", len(header)) + "|\n")
	for _, g := range t.groups {
		base := g.row(ourImpl)
		for _, r := range g.rows {
			b.WriteString("| " + strings.Join(p.cells(q, g, base, r), " | ") + " |\n")
		}
	}
	b.WriteString("\n")
	p.renderSentences(b, t)
	if len(q.Targets) > 0 {
		b.WriteString("Targets:\n\n")
		for _, tg := range q.Targets {
			v := tg.Check(t)
			fmt.Fprintf(b, "- %s — **%s**: %s\n", tg.Text, v.State, v.Detail)
		}
		b.WriteString("\n")
	}
}

// runNote says how q's run differed from the others': its own
// -benchtime, fewer rounds.
func (p *page) runNote(q *question) string {
	var parts []string
	if bt := p.info["bench-benchtime-"+strings.ToLower(q.Bench)]; bt != "" {
		parts = append(parts, fmt.Sprintf("`-benchtime %s` (the other questions: %s)", bt, p.info["bench-benchtime"]))
	}
	quick := ""
	if p.info["bench-quick"] != "" {
		quick = " (a quick run)"
	}
	switch r := p.info["bench-rounds-"+strings.ToLower(q.Bench)]; r {
	case "":
	case "1":
		parts = append(parts, fmt.Sprintf("in the first of the run's %s rounds only%s: one sample a row, "+
			"so no spread and no significant ratio", p.info["bench-rounds"], quick))
	default:
		parts = append(parts, fmt.Sprintf("in the first %s of the run's %s rounds%s", r, p.info["bench-rounds"], quick))
	}
	if len(parts) == 0 {
		return ""
	}
	return "This question ran with " + strings.Join(parts, ", ") + ".\n\n"
}

// cells are one row of a question's table.
func (p *page) cells(q *question, g *group, base, r *row) []string {
	cells := append([]string{}, g.values...)
	cells = append(cells, p.implCell(q, r.impl))
	if s, ok := r.sample(unitTime); ok {
		cells = append(cells, formatTime(median(s)), spread(s))
	} else {
		cells = append(cells, "—", "")
	}
	if slices.Contains(q.NoAllocs, r.impl) {
		cells = append(cells, "—", "—")
	} else {
		cells = append(cells, medianCell(r, unitAllocs, formatCount), medianCell(r, unitBytes, formatBytes))
	}
	for _, m := range q.Metrics {
		cells = append(cells, medianCell(r, m.Unit, m.Format))
	}
	bs, okb := base.sample(unitTime)
	rs, okr := r.sample(unitTime)
	switch {
	case r == base:
		cells = append(cells, "baseline")
	case okb && okr:
		cells = append(cells, ratioText(bs, rs))
	default:
		cells = append(cells, "—")
	}
	return cells
}

func (p *page) implCell(q *question, impl string) string {
	l := q.label(impl)
	if strings.HasPrefix(impl, ourImpl) {
		return "**" + l + "**"
	}
	return l
}

func medianCell(r *row, unit string, format func(float64) string) string {
	if v, ok := r.median(unit); ok {
		return format(v)
	}
	return "—"
}

// renderSentences says each comparison in words: "CoffeeOrdered encode:
// tongagen is 5.8x faster than goavro, ...".
func (p *page) renderSentences(b *strings.Builder, t *table) {
	var lines []string
	for _, g := range t.groups {
		bs, ok := g.row(ourImpl).sample(unitTime)
		if !ok {
			continue
		}
		var parts []string
		for _, r := range g.rows {
			rs, ok := r.sample(unitTime)
			if !ok || strings.HasPrefix(r.impl, ourImpl) {
				continue
			}
			ratio := median(rs) / median(bs)
			if ratio >= 1 {
				parts = append(parts, fmt.Sprintf("%.1fx faster than %s", ratio, t.q.label(r.impl)))
			} else {
				parts = append(parts, fmt.Sprintf("%.1fx slower than %s", 1/ratio, t.q.label(r.impl)))
			}
		}
		if len(parts) == 0 {
			continue
		}
		what := t.q.describe(g.values)
		if what != "" {
			what += ": "
		}
		lines = append(lines, fmt.Sprintf("- %stongagen is %s.", what, strings.Join(parts, ", ")))
	}
	if len(lines) > 0 {
		b.WriteString(strings.Join(lines, "\n") + "\n\n")
	}
}
