package kafkatest

import (
	"errors"
	"strings"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/kafka"
)

var securityTests = []test{
	{"SCRAM", testSCRAM},
	{"WrongPassword", testWrongPassword},
	{"NoWriteACL", testNoWriteACL},
}

const (
	aliceUser     = "alice"
	alicePassword = "alice-secret-9a2c"
)

// startSecured starts a broker requiring SCRAM, with ACLs, a superuser
// (the test's clients authenticate as it by default) and alice, allowed
// nothing unless an ACL says so.
func (e *env) startSecured(topics map[string]int) {
	e.t.Helper()
	e.sasl = &kafka.SASL{Mechanism: broker.ScramSHA256, User: adminUser, Password: adminPassword}
	e.start(topics,
		broker.SASL(broker.ScramSHA256, adminUser, adminPassword),
		broker.User(broker.ScramSHA512, aliceUser, alicePassword),
		broker.ACLs(),
	)
}

// testSCRAM: the right SCRAM credentials work for producing, consuming
// and admin operations.
func testSCRAM(e *env) {
	e.startSecured(map[string]int{"secured": 1})
	p := e.producer()
	e.produce(p, rec("secured", 0, "hello"))
	if got := values(e.poll(e.consumer(false, "secured"), 1)); got[0] != "hello" {
		e.t.Errorf("consumed %v, want [hello]", got)
	}
	if n, err := p.Admin().Partitions(e.ctx, "secured"); err != nil || n != 1 {
		e.t.Errorf("Partitions = %d, %v; want 1", n, err)
	}
}

// testWrongPassword: a wrong password fails New or the first operation
// with ErrFatal or ErrAuthorization, and no password is in the error.
func testWrongPassword(e *env) {
	e.startSecured(map[string]int{"secured": 1})
	const wrong = "wrong-password-77"
	c, err := e.tryClient(kafka.Config{SASL: &kafka.SASL{Mechanism: broker.ScramSHA256, User: adminUser, Password: wrong}})
	if err == nil {
		_, err = c.Admin().Partitions(e.ctx, "secured")
	}
	e.t.Logf("with a wrong password: %v", err)
	if !errors.Is(err, kafka.ErrFatal) && !errors.Is(err, kafka.ErrAuthorization) {
		e.t.Errorf("with a wrong password: %v, want an error matching ErrFatal or ErrAuthorization", err)
	}
	if err != nil && (strings.Contains(err.Error(), wrong) || strings.Contains(err.Error(), adminPassword)) {
		e.t.Errorf("the error shows a password: %v", err)
	}
}

// testNoWriteACL: a principal allowed to write one topic and only to
// describe another gets ErrAuthorization, naming the topic, when it
// produces to the second.
func testNoWriteACL(e *env) {
	e.startSecured(map[string]int{"secured": 1, "open": 1})
	allow := func(topic string, ops ...kadm.ACLOperation) *kadm.ACLBuilder {
		return kadm.NewACLs().Allow("User:" + aliceUser).AllowHosts("*").Topics(topic).
			Operations(ops...).ResourcePatternType(kadm.ACLPatternLiteral)
	}
	for _, acl := range []*kadm.ACLBuilder{allow("open", kadm.OpWrite, kadm.OpDescribe), allow("secured", kadm.OpDescribe)} {
		results, err := e.adm.CreateACLs(e.ctx, acl)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, r := range results {
			if r.Err != nil {
				e.t.Fatalf("CreateACLs: %v", r.Err)
			}
		}
	}
	alice := &kafka.SASL{Mechanism: broker.ScramSHA512, User: aliceUser, Password: alicePassword}
	c, err := e.tryClient(kafka.Config{SASL: alice})
	if err != nil {
		e.t.Fatalf("New as %s: %v", aliceUser, err)
	}
	e.produce(c, rec("open", 0, "allowed"))
	errs := e.produceAsync(c, rec("secured", 0, "denied"))()
	e.t.Logf("produce without a Write ACL: %v", errs)
	if len(errs) != 1 || !errors.Is(errs[0], kafka.ErrAuthorization) || !strings.Contains(errs[0].Error(), "secured") {
		e.t.Errorf("produce without a Write ACL: %v, want one error matching ErrAuthorization naming the topic", errs)
	}
}
