package franz

import (
	"context"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/tonga-go/tonga/runtime/kafka"
)

// admin is the kafka.Admin on kadm.
type admin struct {
	adm *kadm.Client
	cl  *kgo.Client
}

// CreateTopic implements kafka.Admin, with the broker's default
// replication factor.
func (a admin) CreateTopic(ctx context.Context, name string, partitions int, configs map[string]string) error {
	const op = "create topic"
	if partitions < 1 || partitions > 1<<31-1 {
		return &kafka.Error{Op: op, Topic: name, Partition: -1, Err: fmt.Errorf("%d partitions, want at least 1", partitions)}
	}
	var kconfigs map[string]*string
	if len(configs) > 0 {
		kconfigs = make(map[string]*string, len(configs))
		for k, v := range configs {
			kconfigs[k] = &v
		}
	}
	resp, err := a.adm.CreateTopic(ctx, int32(partitions), -1, kconfigs, name)
	if err == nil {
		err = resp.Err
	}
	if errors.Is(err, kerr.TopicAlreadyExists) {
		n, perr := a.Partitions(ctx, name)
		switch {
		case perr != nil:
			return perr
		case n != partitions:
			return &kafka.Error{Op: op, Topic: name, Partition: -1,
				Err: fmt.Errorf("the topic exists with %d partitions, not %d", n, partitions)}
		}
		return nil
	}
	return newError(op, name, -1, err)
}

// Partitions implements kafka.Admin. It asks the cluster rather than
// kadm's metadata cache, which keeps a topic unknown for up to
// MetadataMinAge (5 s) after another client, or this one, created it.
func (a admin) Partitions(ctx context.Context, topic string) (int, error) {
	req := kmsg.NewPtrMetadataRequest()
	rt := kmsg.NewMetadataRequestTopic()
	rt.Topic = kmsg.StringPtr(topic)
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(ctx, a.cl)
	if err != nil {
		return 0, newError("metadata", topic, -1, err)
	}
	for _, t := range resp.Topics {
		if t.Topic == nil || *t.Topic != topic {
			continue
		}
		err := kerr.ErrorForCode(t.ErrorCode)
		switch {
		case errors.Is(err, kerr.UnknownTopicOrPartition):
			return 0, unknownTopic("metadata", topic)
		case err != nil:
			return 0, newError("metadata", topic, -1, err)
		}
		return len(t.Partitions), nil
	}
	return 0, unknownTopic("metadata", topic)
}

func unknownTopic(op, topic string) error {
	return &kafka.Error{Op: op, Topic: topic, Partition: -1, Class: kafka.ErrUnknownTopic, Err: kerr.UnknownTopicOrPartition}
}

// EndOffsets implements kafka.Admin: the last stable offsets
// (ListOffsets with read_committed isolation).
func (a admin) EndOffsets(ctx context.Context, tps []kafka.TopicPartition) (map[kafka.TopicPartition]int64, error) {
	return a.offsets(ctx, "end offsets", a.adm.ListCommittedOffsets, tps)
}

// StartOffsets implements kafka.Admin.
func (a admin) StartOffsets(ctx context.Context, tps []kafka.TopicPartition) (map[kafka.TopicPartition]int64, error) {
	return a.offsets(ctx, "start offsets", a.adm.ListStartOffsets, tps)
}

func (a admin) offsets(ctx context.Context, op string, list func(context.Context, ...string) (kadm.ListedOffsets, error),
	tps []kafka.TopicPartition,
) (map[kafka.TopicPartition]int64, error) {
	var topics []string
	seen := make(map[string]bool)
	for _, tp := range tps {
		if !seen[tp.Topic] {
			seen[tp.Topic] = true
			topics = append(topics, tp.Topic)
		}
	}
	out := make(map[kafka.TopicPartition]int64, len(tps))
	if len(topics) == 0 {
		return out, nil
	}
	listed, err := list(ctx, topics...)
	if err != nil {
		return nil, newError(op, "", -1, err)
	}
	for _, tp := range tps {
		o, ok := listed.Lookup(tp.Topic, tp.Partition)
		switch {
		case !ok:
			if _, known := listed[tp.Topic]; !known {
				return nil, unknownTopic(op, tp.Topic)
			}
			return nil, &kafka.Error{Op: op, Topic: tp.Topic, Partition: tp.Partition, Class: kafka.ErrUnknownTopic,
				Err: kerr.UnknownTopicOrPartition}
		case o.Err != nil:
			return nil, newError(op, tp.Topic, tp.Partition, o.Err)
		}
		out[tp] = o.Offset
	}
	return out, nil
}
