// Package bartender is the coffee bar's bartender. Once a coffee is billed
// (BillCreated, from the cash register) it asks the coffee maker to make
// it (the MakeCoffee command, on coffee-maker-commands); when the coffee
// maker answers (MakeCoffeeResult), it announces the coffee finished
// (CoffeeFinished, on bartender-events), for the waiter to hand over.
//
// The bartender keeps no state: what to make and for whom it reads from
// the order slip in the flow's context (see bar.Slip). It serves no
// routes.
package bartender
