package main

import (
	"fmt"
	"strings"
)

// ourImpl is the implementation every ratio is about.
const ourImpl = "tongagen"

// codecSpeedup is the codec target: tongagen at least this many times
// faster than the fastest peer.
const codecSpeedup = 3

// decodeBudgets are the allocations a decoded value needs, so that the
// target "decode allocates only what the decoded strings, slices and maps
// need" can be checked: Go's maps take two allocations (the map and its
// first group of slots), every other heap object one, and the text of all
// strings can share one block (it is copied out of the message once).
var decodeBudgets = []struct {
	record string
	allocs int
	why    string
}{
	{"CoffeeOrdered", 3, "the record, its partition-key pointer, and one block for the text of its nine strings (the context is empty, so no map)"},
	{"Order", 22, "the record; one block for the text of its strings; payload; Customer.Email; Customer.Tags; Lines; " +
		"3 option maps (2 each); Attributes and Counters (2 each); Note; Shipping; the Card; History; 2 Event.By"},
}

func codecTargets() []target {
	var ts []target
	for _, rec := range []string{"CoffeeOrdered", "Order"} {
		for _, op := range []string{"encode", "decode"} {
			ts = append(ts, target{
				Text:  fmt.Sprintf("%s %s: tongagen at least %dx faster than the fastest peer", rec, op, codecSpeedup),
				Check: func(t *table) verdict { return fasterThanPeers(t, codecSpeedup, rec, op) },
			})
		}
	}
	for _, rec := range []string{"CoffeeOrdered", "Order"} {
		ts = append(ts, target{
			Text:  rec + " encode: no allocation (into a reused buffer)",
			Check: func(t *table) verdict { return allocsAtMost(t, 0, "nothing", rec, "encode") },
		})
	}
	for _, b := range decodeBudgets {
		ts = append(ts, target{
			Text:  fmt.Sprintf("%s decode: only the allocations the value needs, %d: %s", b.record, b.allocs, b.why),
			Check: func(t *table) verdict { return allocsAtMost(t, b.allocs, fmt.Sprint(b.allocs), b.record, "decode") },
		})
	}
	return ts
}

func generatorTargets() []target {
	return []target{{
		Text: "1000 schemas generated in under 1 s (the tongagen binary)",
		Check: func(t *table) verdict {
			r := t.row(ourImpl, "1000")
			s, ok := r.median(unitTime)
			if !ok {
				return verdict{State: stateUnmeasured, Detail: "not measured in this run"}
			}
			if s < 1 {
				return verdict{State: stateMet, Detail: fmt.Sprintf("%s (%.0f%% of the budget)", formatTime(s), 100*s)}
			}
			return verdict{State: stateMissed, Detail: fmt.Sprintf("%s: %.1fx the 1 s budget, %s too slow", formatTime(s), s, formatTime(s-1))}
		},
	}}
}

// fasterThanPeers checks that tongagen's median time is at least factor
// times below every peer's in the group.
func fasterThanPeers(t *table, factor float64, group ...string) verdict {
	g := t.group(group...)
	if g == nil {
		return verdict{State: stateUnmeasured, Detail: "not measured in this run"}
	}
	ours, ok := g.row(ourImpl).median(unitTime)
	if !ok {
		return verdict{State: stateUnmeasured, Detail: "tongagen not measured in this run"}
	}
	var best *row
	var bestTime float64
	for _, r := range g.rows {
		if strings.HasPrefix(r.impl, ourImpl) {
			continue
		}
		if v, ok := r.median(unitTime); ok && (best == nil || v < bestTime) {
			best, bestTime = r, v
		}
	}
	if best == nil {
		return verdict{State: stateUnmeasured, Detail: "no peer measured in this run"}
	}
	ratio := bestTime / ours
	detail := fmt.Sprintf("%.1fx faster than %s, the fastest peer (%s vs %s)", ratio, label(best.impl), formatTime(ours), formatTime(bestTime))
	if ratio >= factor {
		return verdict{State: stateMet, Detail: detail}
	}
	need := bestTime / factor
	return verdict{State: stateMissed, Detail: fmt.Sprintf("%s; %gx needs tongagen at %s or less, %.1fx faster than now", detail, factor, formatTime(need), ours/need)}
}

// allocsAtMost checks tongagen's median allocations in the group.
func allocsAtMost(t *table, limit int, limitText string, group ...string) verdict {
	allocs, ok := t.row(ourImpl, group...).median(unitAllocs)
	if !ok {
		return verdict{State: stateUnmeasured, Detail: "not measured in this run"}
	}
	if allocs <= float64(limit) {
		return verdict{State: stateMet, Detail: fmt.Sprintf("%s allocs/op", formatCount(allocs))}
	}
	return verdict{State: stateMissed, Detail: fmt.Sprintf("%s allocs/op, %s over %s", formatCount(allocs), formatCount(allocs-float64(limit)), limitText)}
}
