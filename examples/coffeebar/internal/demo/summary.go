package demo

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/tonga-go/tonga/examples/coffeebar/internal/audit"
	"github.com/tonga-go/tonga/examples/coffeebar/internal/crowd"
)

// summarize prints the summary and reports whether the run was right.
func summarize(w io.Writer, cfg Config, res crowd.Result, r *audit.Report, failures []error) bool {
	secs := res.Elapsed.Seconds()
	_, _ = fmt.Fprintf(w, "\n%d orders taken, %d paid, in %.1fs: %.1f coffees/s, %.0f flow records/s\n",
		len(res.Tickets), res.Paid, secs, float64(res.Paid)/secs, float64(r.Records)/secs)
	_, _ = fmt.Fprintf(w, "\n%-44s %8s %8s %8s\n", "latency", "p50", "p90", "p99")
	for k := audit.Billed; k < audit.Kind(audit.NumKinds); k++ {
		row(w, "  "+audit.StageName(k), r.Stages[k])
	}
	row(w, "  CoffeeOrdered → BillPaid (the whole flow)", r.Total)
	_, _ = fmt.Fprintln(w, "customers, over HTTP:")
	row(w, "  POST order-coffee", res.Order)
	row(w, "  ordered → seen awaiting", res.Ready)
	row(w, "  POST collect", res.Collect)
	row(w, "  collected → bill seen paid", res.Payment)

	_, _ = fmt.Fprintf(w, "\nread back, read_committed, from every topic: %d records of %d coffees", r.Records, r.Coffees)
	if r.Earlier > 0 {
		_, _ = fmt.Fprintf(w, " (and %d of coffees ordered in an earlier run, not checked)", r.Earlier)
	}
	_, _ = fmt.Fprintln(w)
	ok := r.OK() && len(res.Failures) == 0 && len(failures) == 0 && len(res.Tickets) == cfg.Orders
	if ok {
		_, _ = fmt.Fprintf(w, "exactly once: each of the %d coffees was ordered, billed, made, finished, served and paid exactly once, "+
			"every record linked to its order by correlation id; nothing dead-lettered\n", r.Coffees)
		return true
	}
	_, _ = fmt.Fprintf(w, "NOT exactly once: %d of %d coffees complete, %d problems, %d customers gave up\n",
		r.Complete, r.Coffees, r.NumProblems, len(res.Failures))
	for _, p := range r.Problems {
		_, _ = fmt.Fprintln(w, "  "+p)
	}
	for _, f := range first(res.Failures, 20) {
		_, _ = fmt.Fprintln(w, "  "+f)
	}
	for _, err := range failures {
		_, _ = fmt.Fprintln(w, "  "+err.Error())
	}
	return false
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }

func row(w io.Writer, name string, d []time.Duration) {
	if len(d) == 0 {
		_, _ = fmt.Fprintf(w, "%-44s %8s\n", name, "-")
		return
	}
	p := percentiles(d, 50, 90, 99)
	_, _ = fmt.Fprintf(w, "%-44s %8s %8s %8s\n", name, ms(p[0]), ms(p[1]), ms(p[2]))
}

// percentiles returns the nearest-rank percentiles of d.
func percentiles(d []time.Duration, ps ...int) []time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	out := make([]time.Duration, len(ps))
	for i, p := range ps {
		rank := (p*len(s) + 99) / 100 // ceil(p/100 * n)
		out[i] = s[max(0, rank-1)]
	}
	return out
}

func ms(d time.Duration) string {
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%dms", d.Milliseconds())
}
