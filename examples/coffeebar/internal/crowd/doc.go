// Package crowd simulates the coffee bar's customers: each orders a
// coffee from a waiter over HTTP, asks after it until it is ready,
// collects it, and checks at the cash register that the bill is paid.
// Customers talk to every instance: they order at one waiter and ask at
// another, so the answers come from local and global stores alike.
package crowd
