// Package coffeemaker is the coffee bar's coffee maker. It executes the
// bartender's MakeCoffee commands: for each, it announces the coffee it
// starts (CoffeeStarted, on coffee-maker-events) and answers the command
// (MakeCoffeeResult, on coffee-maker-results). Both records go out in the
// transaction that commits the command's offset, so a crash never leaves a
// coffee started without its result, or answered twice.
//
// It keeps no state and serves no routes.
package coffeemaker
