package franz

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/tonga-go/tonga/runtime/kafka"
)

// protocolName is the group protocol of Tonga's assignment: every member of
// a group of OnlyOwn or All instances speaks it.
const protocolName = "tonga"

// memberData is what a member tells the group leader in its join metadata
// (the UserData of the consumer protocol), with the keys of Python Tonga's
// assignors_data.
type memberData struct {
	Instance int    `json:"instance"`
	Replicas int    `json:"nb_replica"`
	Policy   string `json:"assignor_policy"`
}

const (
	policyOnlyOwn = "only_own"
	policyAll     = "all"
)

// balancer is a kgo.GroupBalancer for Tonga's OnlyOwn and All policies. The
// leader assigns each member what its own metadata asks for: under OnlyOwn
// partition Instance of every topic, under All every partition. A partition
// may go to several members (All, or two live members claiming one
// instance); the transactional id, <service>-<instance>, fences the older
// of two such instances. Partitions never move from one member to another
// in a rebalance, so the balancer is cooperative: a rebalance caused by
// another instance revokes nothing here.
type balancer struct {
	data []byte
}

func newBalancer(p kafka.Policy, instance, replicas int) *balancer {
	d := memberData{Instance: instance, Replicas: replicas, Policy: policyOnlyOwn}
	if p == kafka.All {
		d.Policy = policyAll
	}
	data, _ := json.Marshal(d) // a struct of ints and strings always marshals
	return &balancer{data: data}
}

// ProtocolName implements kgo.GroupBalancer.
func (*balancer) ProtocolName() string { return protocolName }

// IsCooperative implements kgo.GroupBalancer.
func (*balancer) IsCooperative() bool { return true }

// JoinGroupMetadata implements kgo.GroupBalancer; the output is
// deterministic, so that rejoining with the same assignment does not look
// like a change.
func (b *balancer) JoinGroupMetadata(topics []string, current map[string][]int32, generation int32) []byte {
	meta := kmsg.NewConsumerMemberMetadata()
	meta.Version = 2
	meta.Topics = topics
	meta.UserData = b.data
	meta.Generation = generation
	for topic, partitions := range current {
		owned := kmsg.NewConsumerMemberMetadataOwnedPartition()
		owned.Topic = topic
		owned.Partitions = slices.Sorted(slices.Values(partitions))
		meta.OwnedPartitions = append(meta.OwnedPartitions, owned)
	}
	sort.Slice(meta.OwnedPartitions, func(i, j int) bool {
		return meta.OwnedPartitions[i].Topic < meta.OwnedPartitions[j].Topic
	})
	return meta.AppendTo(nil)
}

// ParseSyncAssignment implements kgo.GroupBalancer.
func (*balancer) ParseSyncAssignment(assignment []byte) (map[string][]int32, error) {
	return kgo.ParseConsumerSyncAssignment(assignment)
}

// MemberBalancer implements kgo.GroupBalancer.
func (b *balancer) MemberBalancer(members []kmsg.JoinGroupResponseMember) (kgo.GroupMemberBalancer, map[string]struct{}, error) {
	cb, err := kgo.NewConsumerBalancer(b, members)
	if err != nil {
		return nil, nil, err
	}
	return cb, cb.MemberTopics(), nil
}

// Balance implements kgo.ConsumerBalancerBalance.
func (*balancer) Balance(cb *kgo.ConsumerBalancer, topics map[string]int32) kgo.IntoSyncAssignment {
	plan := cb.NewPlan()
	cb.EachMember(func(m *kmsg.JoinGroupResponseMember, meta *kmsg.ConsumerMemberMetadata) {
		var d memberData
		if err := json.Unmarshal(meta.UserData, &d); err != nil {
			cb.SetError(fmt.Errorf("franz: member %s: tonga assignment data %q: %w", m.MemberID, meta.UserData, err))
			return
		}
		for _, topic := range meta.Topics {
			n := topics[topic]
			switch d.Policy {
			case policyOnlyOwn:
				if d.Instance >= 0 && int32(d.Instance) < n {
					plan.AddPartition(m, topic, int32(d.Instance))
				}
			case policyAll:
				for p := range n {
					plan.AddPartition(m, topic, p)
				}
			default:
				cb.SetError(fmt.Errorf("franz: member %s: unknown assignor policy %q", m.MemberID, d.Policy))
				return
			}
		}
	})
	return plan
}
