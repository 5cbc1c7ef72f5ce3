// Package bar holds what the coffee bar's four services share: the names
// of the topics between them, the [Options] every service is started
// with, the [Instance] a service's New returns, and the order [Slip] that
// travels with each coffee in its flow's context.
//
// Every record of a coffee's flow is keyed by the coffee's uuid (the
// customer's ticket), and every topic has one partition per replica, so a
// coffee lands on the same partition number in every topic: instance i of
// each service handles the same coffees, and the cash register finds, in
// its own local store, the bill it wrote for the coffee being served.
package bar
