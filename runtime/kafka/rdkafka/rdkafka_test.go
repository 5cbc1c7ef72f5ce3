package rdkafka_test

import (
	"context"
	"maps"
	"testing"

	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/kafka/kafkatest"
	"github.com/tonga-go/tonga/runtime/kafka/rdkafka"
)

// TestConformance runs the transport conformance suite. Two librdkafka
// defaults are shortened for it, through Options, as a test may: a
// group member learns of a rebalance from its heartbeat (3 s by default,
// and a cooperative rebalance takes two), and a record to a topic that
// does not exist fails only once topic.metadata.propagation.max.ms (30 s,
// a grace for topics just created elsewhere in a cluster) has passed.
func TestConformance(t *testing.T) {
	kafkatest.Run(t, func(ctx context.Context, cfg kafka.Config) (kafka.Client, error) {
		opts := map[string]string{
			"heartbeat.interval.ms":             "100",
			"topic.metadata.propagation.max.ms": "1000",
		}
		maps.Copy(opts, cfg.Options)
		cfg.Options = opts
		return rdkafka.New(ctx, cfg)
	})
}
