package main

import (
	"fmt"
	"math"
	"strconv"

	"golang.org/x/perf/benchmath"
)

// formatTime formats seconds with three significant digits in the unit
// that suits them.
func formatTime(s float64) string {
	switch a := math.Abs(s); {
	case a < 1e-6:
		return sig3(s*1e9) + " ns"
	case a < 1e-3:
		return sig3(s*1e6) + " µs"
	case a < 1:
		return sig3(s*1e3) + " ms"
	}
	return sig3(s) + " s"
}

func sig3(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// formatCount formats a count: whole numbers as such, others with one
// decimal.
func formatCount(v float64) string {
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

func formatMiB(v float64) string { return sig3(v) + " MiB" }

// formatMs formats milliseconds.
func formatMs(v float64) string { return sig3(v) + " ms" }

// formatRate formats a rate with three significant digits: 1.16M, 372k.
func formatRate(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e6:
		return sig3(v/1e6) + "M"
	case a >= 1e3:
		return sig3(v/1e3) + "k"
	}
	return sig3(v)
}

// formatBytes formats a byte count per operation.
func formatBytes(v float64) string {
	switch {
	case v >= 1<<30:
		return sig3(v/(1<<30)) + " GiB"
	case v >= 1<<20:
		return sig3(v/(1<<20)) + " MiB"
	case v >= 1<<10:
		return sig3(v/(1<<10)) + " KiB"
	}
	return formatCount(v) + " B"
}

// spread gives the variation of a sample around its median: benchstat's
// 95% confidence interval where the sample is large enough for one, else
// the range of the values, marked "r".
func spread(s *benchmath.Sample) string {
	sum := benchmath.AssumeNothing.Summary(s, confidence)
	if !math.IsInf(sum.Lo, 0) && !math.IsInf(sum.Hi, 0) {
		return "± " + sum.PctRangeString()
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range s.Values {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if sum.Center == 0 {
		return "± 0% r"
	}
	return fmt.Sprintf("± %.0f%% r", 100*math.Max(hi/sum.Center-1, 1-lo/sum.Center))
}

// ratioText compares a row's median time with the baseline's: "5.8x
// faster" when the baseline is faster. The p-value of the Mann-Whitney U
// test (benchstat's) follows; above 0.05 the difference is not
// significant, which the text says.
func ratioText(base, other *benchmath.Sample) string {
	b := benchmath.AssumeNothing.Summary(base, confidence).Center
	o := benchmath.AssumeNothing.Summary(other, confidence).Center
	cmp := benchmath.AssumeNothing.Compare(base, other)
	var s string
	switch {
	case b == 0 || o == 0:
		return "?"
	case o >= b:
		s = fmt.Sprintf("**%.1fx faster**", o/b)
	default:
		s = fmt.Sprintf("%.1fx slower", b/o)
	}
	if cmp.P > cmp.Alpha {
		return fmt.Sprintf("%s (not significant, p=%.2f)", s, cmp.P)
	}
	return fmt.Sprintf("%s (p=%.3f)", s, cmp.P)
}

// median is the sample's median, as benchstat computes it.
func median(s *benchmath.Sample) float64 {
	return benchmath.AssumeNothing.Summary(s, confidence).Center
}
