package rdkafka_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/kafka"
)

func TestSASL(t *testing.T) {
	ctx := testCtx(t)
	b := startBroker(t,
		broker.SASL(broker.ScramSHA256, "admin", "admin-secret"),
		broker.Topic("t", 1, nil),
	)
	admin := &kafka.SASL{Mechanism: "SCRAM-SHA-256", User: "admin", Password: "admin-secret"}
	p := newClient(t, b, kafka.Config{SASL: admin, TransactionalID: "x"})
	if err := p.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	produce(ctx, t, p, "t", 0, "a")
	if err := p.CommitTransaction(ctx, nil); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, b, kafka.Config{SASL: admin, Group: "g", Topics: []string{"t"}, Policy: kafka.All})
	consume(ctx, t, c, 1)

	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	wrong := *admin
	wrong.Password = "nope"
	_, err := newClientErrCtx(wctx, t, b, kafka.Config{SASL: &wrong})
	if !errors.Is(err, kafka.ErrFatal) {
		t.Fatalf("New with a wrong password: %v, want ErrFatal", err)
	}
	t.Log(err)
}

func TestAuthorization(t *testing.T) {
	ctx := testCtx(t)
	b := startBroker(t,
		broker.SASL(broker.ScramSHA256, "admin", "admin-secret"),
		broker.User(broker.ScramSHA512, "alice", "alice-secret"),
		broker.ACLs(),
		broker.Topic("t", 1, nil),
		broker.Topic("open", 1, nil),
	)
	kcl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...), kgo.SASL(scram.Auth{User: "admin", Pass: "admin-secret"}.AsSha256Mechanism()))
	if err != nil {
		t.Fatal(err)
	}
	defer kcl.Close()
	acl := kadm.NewACLs().Allow("User:alice").AllowHosts("*").Topics("open").Groups("g").
		Operations(kadm.OpAll).ResourcePatternType(kadm.ACLPatternLiteral)
	if _, err := kadm.NewClient(kcl).CreateACLs(ctx, acl); err != nil {
		t.Fatal(err)
	}
	alice := &kafka.SASL{Mechanism: "SCRAM-SHA-512", User: "alice", Password: "alice-secret"}

	_, err = newClientErr(t, b, kafka.Config{SASL: alice, Group: "g", Topics: []string{"t"}, Policy: kafka.All})
	checkAuthz(t, "New consuming t", err)

	p := newClient(t, b, kafka.Config{SASL: alice})
	produce(ctx, t, p, "open", 0, "ok")
	errc := make(chan error, 1)
	p.Produce(ctx, &kafka.Record{Topic: "t", Value: []byte("no")}, func(_ *kafka.Record, err error) { errc <- err })
	select {
	case err := <-errc:
		checkAuthz(t, "Produce to t", err)
	case <-ctx.Done():
		t.Fatal(ctx.Err())
	}
}

func checkAuthz(t *testing.T, what string, err error) {
	t.Helper()
	var ke *kafka.Error
	if !errors.Is(err, kafka.ErrAuthorization) || !errors.As(err, &ke) || ke.Topic != "t" {
		t.Errorf("%s: %v, want ErrAuthorization about topic t", what, err)
		return
	}
	t.Logf("%s: %v", what, err)
}
