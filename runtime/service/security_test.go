package service_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/tonga-go/tonga/internal/servicetest"
	"github.com/tonga-go/tonga/internal/syncbuf"
	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/service"
)

const (
	adminUser     = "admin"
	adminPassword = "admin-secret-41f0"
	aliceUser     = "alice"
	alicePassword = "alice-secret-7c3d"
)

// startSecured starts a broker that requires SCRAM and enforces ACLs,
// with a superuser and alice, who may do nothing no ACL allows.
func startSecured(t *testing.T) (*broker.Broker, *kadm.Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := broker.Start(ctx, broker.SASL(broker.ScramSHA256, adminUser, adminPassword),
		broker.User(broker.ScramSHA256, aliceUser, alicePassword), broker.ACLs(),
		broker.Topic(inTopic, 1, nil), broker.Topic(outTopic, 1, nil), broker.Topic(inTopic+".dlq", 1, nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...),
		kgo.SASL(scram.Auth{User: adminUser, Pass: adminPassword}.AsSha256Mechanism()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return b, kadm.NewClient(cl)
}

// allowAlice lets alice run the cash register, but for writing outTopic
// unless canWrite.
func allowAlice(t *testing.T, adm *kadm.Client, canWrite bool) {
	t.Helper()
	topics := []string{inTopic, inTopic + ".dlq"}
	if canWrite {
		topics = append(topics, outTopic)
	}
	alice := func() *kadm.ACLBuilder {
		return kadm.NewACLs().Allow("User:" + aliceUser).AllowHosts("*").ResourcePatternType(kadm.ACLPatternLiteral)
	}
	acls := []*kadm.ACLBuilder{
		alice().Topics(topics...).Operations(kadm.OpAll),
		alice().Topics(outTopic).Operations(kadm.OpDescribe),
		alice().Groups("cash-register").Operations(kadm.OpAll),
		alice().TransactionalIDs("cash-register-0").Operations(kadm.OpAll),
		alice().Clusters().Operations(kadm.OpIdempotentWrite, kadm.OpDescribe),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, acl := range acls {
		results, err := adm.CreateACLs(ctx, acl)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range results {
			if r.Err != nil {
				t.Fatalf("CreateACLs: %v", r.Err)
			}
		}
	}
}

func debugLogger(buf *syncbuf.Buffer) service.Option {
	return service.Logger(slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
}

// produceSecured writes n orders as the superuser.
func produceSecured(t *testing.T, b *broker.Broker, n int) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...),
		kgo.SASL(scram.Auth{User: adminUser, Pass: adminPassword}.AsSha256Mechanism()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, r := range orderRecords(t, 0, n) {
		if err := cl.ProduceSync(ctx, r).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSecurity runs the service on a broker with SCRAM and ACLs.
func TestSecurity(t *testing.T) {
	t.Run("RightCredentials", func(t *testing.T) {
		b, adm := startSecured(t)
		allowAlice(t, adm, true)
		var logs syncbuf.Buffer
		svc := newService(t, b, &servicetest.CashRegister{}, 0, 1, service.SASL(broker.ScramSHA256, aliceUser, alicePassword), debugLogger(&logs))
		r := servicetest.Run(t, svc)
		produceSecured(t, b, 20)
		waitFor(t, "20 orders committed", func() bool {
			return svc.Metrics().Committed[kafka.TopicPartition{Topic: inTopic}] >= 20
		})
		if err := r.Stop(); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(logs.String(), alicePassword) {
			t.Error("a log line shows the password")
		}
	})
	t.Run("WrongPassword", func(t *testing.T) {
		b, adm := startSecured(t)
		allowAlice(t, adm, true)
		var logs syncbuf.Buffer
		const wrong = "wrong-password-5e1b"
		svc := newService(t, b, &servicetest.CashRegister{}, 0, 1, service.SASL(broker.ScramSHA256, aliceUser, wrong), debugLogger(&logs))
		err := servicetest.Run(t, svc).Wait()
		t.Logf("with a wrong password: %v", err)
		if !errors.Is(err, kafka.ErrFatal) && !errors.Is(err, kafka.ErrAuthorization) {
			t.Errorf("Run with a wrong password: %v, want a start-up error matching ErrFatal or ErrAuthorization", err)
		}
		for what, text := range map[string]string{"the error": errText(err), "a log line": logs.String()} {
			if strings.Contains(text, wrong) || strings.Contains(text, alicePassword) {
				t.Errorf("%s shows a password", what)
			}
		}
	})
	t.Run("NoWriteACL", func(t *testing.T) {
		b, adm := startSecured(t)
		allowAlice(t, adm, false)
		svc := newService(t, b, &servicetest.CashRegister{}, 0, 1, service.SASL(broker.ScramSHA256, aliceUser, alicePassword))
		r := servicetest.Run(t, svc)
		produceSecured(t, b, 1)
		err := r.Wait()
		t.Logf("emitting to a topic alice may not write: %v", err)
		if !errors.Is(err, kafka.ErrAuthorization) || !strings.Contains(err.Error(), outTopic) {
			t.Errorf("Run = %v, want an error matching ErrAuthorization naming %s", err, outTopic)
		}
	})
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
