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
	detail := fmt.Sprintf("%.1fx faster than %s, the fastest peer (%s vs %s)", ratio, t.q.label(best.impl), formatTime(ours), formatTime(bestTime))
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

// The processing loop's targets: tongagen at least loopShare of the
// hand-written loop's records/s on the same transport, at every batch
// size; and its default configuration at least batchingGain times its
// records/s at one transaction per record, the pattern of Python Tonga.
const (
	loopShare    = 0.8
	batchingGain = 1000
	unitRate     = "records/s"
	handWritten  = "hand-written"
)

// loopBatches are the batch sizes of the exactly-once rows.
var loopBatches = []string{"1", "100", "1000", "default"}

// transportNames are the page's names of the loop's transports.
var transportNames = map[string]string{"franz": "franz-go", "rdkafka": "librdkafka"}

func transportName(t string) string {
	if n, ok := transportNames[t]; ok {
		return n
	}
	return t
}

// describeLoop names a group of the loop: "franz-go, exactly-once, 100
// records per transaction".
func describeLoop(values []string) string {
	if len(values) != 3 {
		return strings.Join(values, " ")
	}
	batch := values[2] + " records per transaction"
	switch values[2] {
	case "1":
		batch = "1 record per transaction"
	case "default":
		batch = "the default batch"
	}
	if values[1] == "at-least-once" {
		batch = strings.Replace(batch, "transaction", "offset commit", 1)
	}
	return fmt.Sprintf("%s, %s, %s", transportName(values[0]), values[1], batch)
}

func loopTargets() []target {
	var ts []target
	for _, tr := range []string{"franz", "rdkafka"} {
		ts = append(ts, target{
			Text: fmt.Sprintf("%s, exactly-once: tongagen at least %gx the records/s of the hand-written loop at every batch size",
				transportName(tr), loopShare),
			Check: func(t *table) verdict { return loopShareAt(t, tr, "exactly-once", loopBatches...) },
		})
	}
	ts = append(ts, target{
		Text:  fmt.Sprintf("librdkafka, at-least-once: tongagen at least %gx the records/s of the hand-written loop", loopShare),
		Check: func(t *table) verdict { return loopShareAt(t, "rdkafka", "at-least-once", "default") },
	})
	for _, tr := range []string{"franz", "rdkafka"} {
		ts = append(ts, target{
			Text: fmt.Sprintf("%s, exactly-once: tongagen's default configuration at least %dx the records/s of one transaction "+
				"per record (batch=1), the pattern of Python Tonga", transportName(tr), batchingGain),
			Check: func(t *table) verdict { return batchingGainOn(t, tr) },
		})
	}
	return ts
}

// loopShareAt checks tongagen's median records/s against the hand-written
// loop's at each batch size of transport and guarantee.
func loopShareAt(t *table, transport, guarantee string, batches ...string) verdict {
	var met, missed, unmeasured []string
	for _, b := range batches {
		ours, ok1 := t.row(ourImpl, transport, guarantee, b).median(unitRate)
		hand, ok2 := t.row(handWritten, transport, guarantee, b).median(unitRate)
		if !ok1 || !ok2 || hand == 0 {
			unmeasured = append(unmeasured, "batch="+b)
			continue
		}
		share := ours / hand
		s := fmt.Sprintf("batch=%s: %.2fx (%s vs %s records/s", b, share, formatRate(ours), formatRate(hand))
		if share >= loopShare {
			met = append(met, s+")")
			continue
		}
		need := loopShare * hand
		missed = append(missed, fmt.Sprintf("%s; %gx needs %s, %.1fx tongagen's rate now)", s, loopShare, formatRate(need), need/ours))
	}
	var parts []string
	if len(missed) > 0 {
		parts = append(parts, "missed at "+strings.Join(missed, "; "))
	}
	if len(met) > 0 {
		parts = append(parts, "met at "+strings.Join(met, "; "))
	}
	if len(unmeasured) > 0 {
		parts = append(parts, "not measured at "+strings.Join(unmeasured, ", "))
	}
	detail := strings.Join(parts, "; ")
	switch {
	case len(missed) > 0:
		return verdict{State: stateMissed, Detail: detail}
	case len(unmeasured) > 0:
		return verdict{State: stateUnmeasured, Detail: detail}
	}
	return verdict{State: stateMet, Detail: detail}
}

// batchingGainOn checks tongagen's median records/s at the default batch
// against its records/s at one record per transaction, exactly-once; the
// hand-written loop's gain on the same transport is given beside it.
func batchingGainOn(t *table, transport string) verdict {
	gain := func(impl string) (def, one float64, ok bool) {
		def, ok1 := t.row(impl, transport, "exactly-once", "default").median(unitRate)
		one, ok2 := t.row(impl, transport, "exactly-once", "1").median(unitRate)
		return def, one, ok1 && ok2 && one > 0
	}
	def, one, ok := gain(ourImpl)
	if !ok {
		return verdict{State: stateUnmeasured, Detail: "not measured in this run"}
	}
	detail := fmt.Sprintf("%.0fx (%s records/s at the default batch, %s at batch=1)", def/one, formatRate(def), formatRate(one))
	if hd, h1, ok := gain(handWritten); ok {
		detail += fmt.Sprintf("; the hand-written loop gains %.0fx (%s vs %s)", hd/h1, formatRate(hd), formatRate(h1))
	}
	if def/one >= batchingGain {
		return verdict{State: stateMet, Detail: detail}
	}
	need := batchingGain * one
	return verdict{State: stateMissed, Detail: fmt.Sprintf("%s; %dx needs %s records/s at the default batch, %.1fx its rate now",
		detail, batchingGain, formatRate(need), need/def)}
}

// The stores' target: a store's restore at least restoreShare of the
// records/s of a plain consumer reading the same changelog, on every
// backend.
const (
	restoreShare  = 0.8
	plainConsumer = "plain-consumer"
)

// storeBackends are the backends the stores question measures.
var storeBackends = []string{"memory", "pebble", "rocksdb"}

func storesTargets() []target {
	var ts []target
	for _, be := range storeBackends {
		ts = append(ts, target{
			Text:  fmt.Sprintf("restore on %s: at least %gx the records/s of the plain consumer reading the same changelog", be, restoreShare),
			Check: func(t *table) verdict { return restoreShareOn(t, be) },
		})
	}
	return ts
}

// restoreShareOn checks the store's median records/s of a restore on
// backend against the plain consumer's in the same group.
func restoreShareOn(t *table, backend string) verdict {
	ours, ok1 := t.row(ourImpl, "restore", backend).median(unitRate)
	plain, ok2 := t.row(plainConsumer, "restore", backend).median(unitRate)
	if !ok1 || !ok2 || plain == 0 {
		return verdict{State: stateUnmeasured, Detail: "not measured in this run"}
	}
	share := ours / plain
	detail := fmt.Sprintf("%.2fx (%s vs %s records/s)", share, formatRate(ours), formatRate(plain))
	if share >= restoreShare {
		return verdict{State: stateMet, Detail: detail}
	}
	need := restoreShare * plain
	return verdict{State: stateMissed, Detail: fmt.Sprintf("%s; %gx needs %s records/s, %.1fx the store's rate now",
		detail, restoreShare, formatRate(need), need/ours)}
}
