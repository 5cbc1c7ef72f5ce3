package rdkafka_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/kafka/rdkafka"
)

// selfSigned returns a client certificate and its PEM.
func selfSigned(t *testing.T) (tls.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "tonga"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key},
		string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// TestTLSConfigMapped: a client certificate in Config.TLS reaches
// librdkafka as PEM, which it loads at New (a bad one would fail there
// with ErrInvalidConfig); RootCAs need ssl.ca.pem or ssl.ca.location. The
// embedded broker speaks no TLS, so the connection itself fails.
func TestTLSConfigMapped(t *testing.T) {
	cert, caPEM := selfSigned(t)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM([]byte(caPEM))
	cfg := kafka.Config{
		Brokers: []string{"127.0.0.1:1"},
		TLS:     &tls.Config{Certificates: []tls.Certificate{cert}, RootCAs: pool},
	}
	if _, err := rdkafka.New(context.Background(), cfg); !errors.Is(err, rdkafka.ErrInvalidConfig) {
		t.Fatalf("RootCAs without ssl.ca.pem: %v, want ErrInvalidConfig", err)
	}
	cfg.Options = map[string]string{"ssl.ca.pem": caPEM}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	c, err := rdkafka.New(ctx, cfg)
	if err == nil {
		c.Close()
		t.Fatal("New connected to a closed port")
	}
	if errors.Is(err, rdkafka.ErrInvalidConfig) {
		t.Fatalf("New refused the TLS settings: %v", err)
	}
	t.Log(err)
}
