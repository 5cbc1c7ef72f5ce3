package franz_test

import (
	"context"
	"maps"
	"testing"

	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/kafka/franz"
	"github.com/tonga-go/tonga/runtime/kafka/kafkatest"
)

// testOptions shorten franz-go's waits against the embedded broker: group
// members notice a rebalance within a heartbeat, and a retry after a
// leadership error refreshes metadata at once (franz-go waits 5 s between
// refreshes by default).
var testOptions = map[string]string{
	"heartbeat.interval.ms": "100",
	"metadata.min.age.ms":   "10",
}

func newClient(ctx context.Context, cfg kafka.Config) (kafka.Client, error) {
	opts := maps.Clone(testOptions)
	maps.Copy(opts, cfg.Options)
	cfg.Options = opts
	return franz.New(ctx, cfg)
}

func TestConformance(t *testing.T) {
	kafkatest.Run(t, newClient)
}
