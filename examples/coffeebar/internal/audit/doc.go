// Package audit reads what the coffee bar really did: it follows every
// topic of the flow with a read_committed consumer, as any downstream
// reader would, counts the records of each kind as they commit (the demo's
// progress line), and checks at the end that every coffee of the run
// produced exactly one record of each kind, linked by its correlation id
// (see Check).
package audit
