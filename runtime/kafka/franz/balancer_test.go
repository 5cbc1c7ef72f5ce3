package franz

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/tonga-go/tonga/runtime/kafka"
)

// balance runs the balancer as a group leader would, for members given as
// (policy, instance, replicas), each interested in topics.
func balance(t *testing.T, topics map[string]int32, members ...memberData) map[string]map[string][]int32 {
	t.Helper()
	var joined []kmsg.JoinGroupResponseMember
	var interests []string
	for topic := range topics {
		interests = append(interests, topic)
	}
	for i, m := range members {
		p := kafka.OnlyOwn
		if m.Policy == policyAll {
			p = kafka.All
		}
		b := newBalancer(p, m.Instance, m.Replicas)
		jm := kmsg.NewJoinGroupResponseMember()
		jm.MemberID = fmt.Sprintf("member-%d", i)
		jm.ProtocolMetadata = b.JoinGroupMetadata(interests, nil, 1)
		joined = append(joined, jm)
	}
	b := newBalancer(kafka.OnlyOwn, 0, 1)
	mb, _, err := b.MemberBalancer(joined)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := mb.(kgo.GroupMemberBalancerOrError).BalanceOrError(topics)
	if err != nil {
		t.Fatal(err)
	}
	got := make(map[string]map[string][]int32)
	for _, a := range plan.IntoSyncAssignment() {
		m, err := b.ParseSyncAssignment(a.MemberAssignment)
		if err != nil {
			t.Fatal(err)
		}
		got[a.MemberID] = m
	}
	return got
}

func TestBalancer(t *testing.T) {
	topics := map[string]int32{"a": 3, "b": 3}
	got := balance(t, topics,
		memberData{Instance: 0, Replicas: 3, Policy: policyOnlyOwn},
		memberData{Instance: 2, Replicas: 3, Policy: policyOnlyOwn},
		memberData{Instance: 2, Replicas: 3, Policy: policyOnlyOwn}, // a duplicate: fenced by its transactional id
		memberData{Instance: 0, Replicas: 1, Policy: policyAll},
	)
	want := map[string]map[string][]int32{
		"member-0": {"a": {0}, "b": {0}},
		"member-1": {"a": {2}, "b": {2}},
		"member-2": {"a": {2}, "b": {2}},
		"member-3": {"a": {0, 1, 2}, "b": {0, 1, 2}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("assignment (-want +got):\n%s", diff)
	}
}

func TestBalancerBadMetadata(t *testing.T) {
	b := newBalancer(kafka.OnlyOwn, 0, 1)
	meta := kmsg.NewConsumerMemberMetadata()
	meta.Topics = []string{"a"}
	meta.UserData = []byte(`{"assignor_policy":"sideways"}`)
	jm := kmsg.NewJoinGroupResponseMember()
	jm.MemberID = "m"
	jm.ProtocolMetadata = meta.AppendTo(nil)
	mb, _, err := b.MemberBalancer([]kmsg.JoinGroupResponseMember{jm})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mb.(kgo.GroupMemberBalancerOrError).BalanceOrError(map[string]int32{"a": 1}); err == nil {
		t.Error("balancing a member with an unknown policy succeeded")
	}
}

func TestJoinGroupMetadataDeterministic(t *testing.T) {
	b := newBalancer(kafka.OnlyOwn, 1, 2)
	x := b.JoinGroupMetadata([]string{"a", "b"}, map[string][]int32{"b": {1}, "a": {1}}, 3)
	y := b.JoinGroupMetadata([]string{"a", "b"}, map[string][]int32{"a": {1}, "b": {1}}, 3)
	if string(x) != string(y) {
		t.Error("JoinGroupMetadata depends on map order")
	}
	var meta kmsg.ConsumerMemberMetadata
	if err := meta.ReadFrom(x); err != nil {
		t.Fatal(err)
	}
	if got := string(meta.UserData); got != `{"instance":1,"nb_replica":2,"assignor_policy":"only_own"}` {
		t.Errorf("UserData = %s", got)
	}
}
