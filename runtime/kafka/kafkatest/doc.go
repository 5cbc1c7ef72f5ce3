// Package kafkatest is the conformance suite of the [kafka.Client]
// transports: every implementation runs it against the embedded broker
// (runtime/broker), from its own tests:
//
//	func TestConformance(t *testing.T) {
//		kafkatest.Run(t, franz.New)
//	}
//
// [Run] runs one subtest per documented behaviour, grouped by the part of
// the interface it checks: Consume (OnlyOwn, All and Group assignment,
// Rebalanced, Poll), Start (earliest, latest, committed offsets),
// Positions (static Partitions, Seek, positions reaching the end offsets
// past transaction markers),
// Transaction (commit, abort and Rewind, offsets-only and partial
// commits, thousands of records exactly once), Fencing, Produce, Admin,
// Security (SCRAM, ACLs), Faults (kfake fault injection: retried produces,
// failed transaction requests) and Config. Each starts its own broker, so
// they run in parallel; every wait is on a condition, bounded by
// [Timeout], never a sleep.
//
// [New] has the signature of the transports' constructors, so that the
// suite checks New's errors too (bad configurations, wrong credentials); a
// transport's test may wrap it to add Options to every Config.
//
// The suite checks a transport from outside, through the interface, and
// uses franz-go's kadm only as an independent oracle (committed offsets,
// topic configs, ACLs).
package kafkatest
