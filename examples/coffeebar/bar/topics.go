package bar

import (
	"context"
	"fmt"

	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/kafka/franz"
)

// The topics of the flow, each written by one service.
const (
	// WaiterEvents holds CoffeeOrdered and CoffeeServed.
	WaiterEvents = "waiter-events"
	// CashRegisterEvents holds BillCreated and BillPaid.
	CashRegisterEvents = "cash-register-events"
	// CoffeeMakerCommands holds the bartender's MakeCoffee commands.
	CoffeeMakerCommands = "coffee-maker-commands"
	// CoffeeMakerEvents holds CoffeeStarted.
	CoffeeMakerEvents = "coffee-maker-events"
	// CoffeeMakerResults holds MakeCoffeeResult.
	CoffeeMakerResults = "coffee-maker-results"
	// BartenderEvents holds CoffeeFinished.
	BartenderEvents = "bartender-events"
)

// Topics returns the flow's topics in flow order. The stores' changelogs
// (<service>-stores) and the dead-letter topics (<topic>.dlq) are created
// by the services themselves.
func Topics() []string {
	return []string{WaiterEvents, CashRegisterEvents, CoffeeMakerCommands, CoffeeMakerEvents, CoffeeMakerResults, BartenderEvents}
}

// CreateTopics creates the flow's topics with one partition per replica,
// as only_own assignment needs. A topic that exists with that many
// partitions is left alone; one with another count is an error naming
// both.
func CreateTopics(ctx context.Context, brokers []string, replicas int) error {
	client, err := franz.New(ctx, kafka.Config{Brokers: brokers, ClientID: "coffeebar-topics"})
	if err != nil {
		return fmt.Errorf("create topics: %w", err)
	}
	defer client.Close()
	for _, topic := range Topics() {
		if err := client.Admin().CreateTopic(ctx, topic, replicas, nil); err != nil {
			return fmt.Errorf("create topics for %d replicas (one partition each): %w", replicas, err)
		}
	}
	return nil
}
