package rdkafka

import (
	"context"
	"errors"
	"fmt"
	"maps"

	ckafka "github.com/confluentinc/confluent-kafka-go/v2/kafka"

	"github.com/tonga-go/tonga/runtime/kafka"
)

// errPartitionCount is the cause of CreateTopic's error for a topic that
// exists with another partition count.
var errPartitionCount = errors.New("rdkafka: topic exists with another partition count")

// admin is the client's kafka.Admin, on an admin client derived from the
// producer.
type admin struct{ c *client }

func (a admin) CreateTopic(ctx context.Context, name string, partitions int, configs map[string]string) error {
	if err := checkTopic(name); err != nil {
		return wrap("create topic", name, -1, fmt.Errorf("%w: %w", errInvalidArgument, err))
	}
	if partitions < 1 {
		return wrap("create topic", name, -1, fmt.Errorf("%w: topic %q: %d partitions", errInvalidArgument, name, partitions))
	}
	spec := ckafka.TopicSpecification{
		Topic:             name,
		NumPartitions:     partitions,
		ReplicationFactor: -1, // the broker's default
		Config:            maps.Clone(configs),
	}
	res, err := a.c.admin.CreateTopics(ctx, []ckafka.TopicSpecification{spec})
	if err != nil {
		return a.c.wrap("create topic", name, -1, err)
	}
	for _, r := range res {
		switch r.Error.Code() {
		case ckafka.ErrNoError:
		case ckafka.ErrTopicAlreadyExists:
			n, err := a.Partitions(ctx, name)
			if err != nil {
				return err
			}
			if n != partitions {
				return &kafka.Error{Op: "create topic", Topic: name, Partition: -1,
					Err: fmt.Errorf("%w: %q has %d, not %d", errPartitionCount, name, n, partitions)}
			}
		default:
			return a.c.wrap("create topic", name, -1, r.Error)
		}
	}
	return nil
}

func (a admin) Partitions(ctx context.Context, topic string) (int, error) {
	n, err := partitions(ctx, a.c.admin, topic)
	if err != nil {
		return 0, a.c.wrap("partitions", topic, -1, err)
	}
	return n, nil
}

// EndOffsets lists the latest offsets under read_committed: the last
// stable offset, which a read_committed consumer's position reaches.
func (a admin) EndOffsets(ctx context.Context, tps []kafka.TopicPartition) (map[kafka.TopicPartition]int64, error) {
	return a.c.listOffsets(ctx, tps, ckafka.LatestOffsetSpec, ckafka.IsolationLevelReadCommitted)
}

func (a admin) StartOffsets(ctx context.Context, tps []kafka.TopicPartition) (map[kafka.TopicPartition]int64, error) {
	return a.c.listOffsets(ctx, tps, ckafka.EarliestOffsetSpec, ckafka.IsolationLevelReadCommitted)
}

func (c *client) listOffsets(ctx context.Context, tps []kafka.TopicPartition, spec ckafka.OffsetSpec, iso ckafka.IsolationLevel) (map[kafka.TopicPartition]int64, error) {
	out := make(map[kafka.TopicPartition]int64, len(tps))
	if len(tps) == 0 {
		return out, nil
	}
	req := make(map[ckafka.TopicPartition]ckafka.OffsetSpec, len(tps))
	for _, tp := range tps {
		if err := checkTopic(tp.Topic); err != nil {
			return nil, wrap("list offsets", tp.Topic, tp.Partition, fmt.Errorf("%w: %w", errInvalidArgument, err))
		}
		req[ckafka.TopicPartition{Topic: &tp.Topic, Partition: tp.Partition}] = spec
	}
	res, err := c.admin.ListOffsets(ctx, req, ckafka.SetAdminIsolationLevel(iso))
	if err != nil {
		// librdkafka says "no leaders found" for a topic that does not
		// exist; the metadata says which.
		for _, tp := range tps {
			if _, merr := partitions(ctx, c.admin, tp.Topic); merr != nil {
				return nil, c.wrap("list offsets", tp.Topic, -1, merr)
			}
		}
		return nil, c.wrap("list offsets", "", -1, err)
	}
	for tp, info := range res.ResultInfos {
		if info.Error.Code() != ckafka.ErrNoError {
			return nil, c.wrap("list offsets", *tp.Topic, tp.Partition, info.Error)
		}
		out[kafka.TopicPartition{Topic: *tp.Topic, Partition: tp.Partition}] = int64(info.Offset)
	}
	for _, tp := range tps {
		if _, ok := out[tp]; !ok {
			return nil, wrap("list offsets", tp.Topic, tp.Partition,
				ckafka.NewError(ckafka.ErrUnknownTopicOrPart, "no offset returned", false))
		}
	}
	return out, nil
}
