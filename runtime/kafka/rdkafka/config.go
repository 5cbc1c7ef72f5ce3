package rdkafka

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	ckafka "github.com/confluentinc/confluent-kafka-go/v2/kafka"

	"github.com/tonga-go/tonga/runtime/kafka"
)

// ErrInvalidConfig is wrapped by the error [New] returns for a
// [kafka.Config] it cannot honour: a missing or contradictory field, or an
// Option that conflicts with the transport's guarantees.
var ErrInvalidConfig = errors.New("rdkafka: invalid config")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...)
}

// settings are the librdkafka properties of the client's handles: the
// producer (from which the admin client is derived) and the consumer.
type settings struct {
	producer ckafka.ConfigMap
	consumer ckafka.ConfigMap // nil when there is no group
}

// validate checks the fields of cfg that do not depend on Options.
func validate(cfg *kafka.Config) error {
	var errs []error
	if len(cfg.Topics) > 0 && cfg.Group == "" {
		errs = append(errs, invalid("Topics are set but Group is empty: a consumer needs a group for its committed offsets"))
	}
	for _, t := range cfg.Topics {
		if err := checkTopic(t); err != nil {
			errs = append(errs, invalid("topic %q: %v", t, err))
		}
	}
	if len(cfg.Topics) != len(uniq(cfg.Topics)) {
		errs = append(errs, invalid("Topics name a topic more than once: %q", cfg.Topics))
	}
	switch cfg.Policy {
	case kafka.OnlyOwn:
		// The zero Policy: checked only when there is something to consume
		// and no explicit Partitions override it.
		if len(cfg.Topics) > 0 && len(cfg.Partitions) == 0 && (cfg.Replicas < 1 || cfg.Instance < 0 || cfg.Instance >= cfg.Replicas) {
			errs = append(errs, invalid("policy OnlyOwn needs 0 <= Instance < Replicas, got Instance %d, Replicas %d", cfg.Instance, cfg.Replicas))
		}
	case kafka.All, kafka.Group:
	default:
		errs = append(errs, invalid("unknown Policy %d", cfg.Policy))
	}
	switch cfg.Start {
	case kafka.StartCommitted, kafka.StartEarliest, kafka.StartLatest:
	default:
		errs = append(errs, invalid("unknown Start %d", cfg.Start))
	}
	if s := cfg.SASL; s != nil {
		switch s.Mechanism {
		case "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
		default:
			errs = append(errs, invalid("SASL mechanism %q: want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512", s.Mechanism))
		}
		if s.User == "" {
			errs = append(errs, invalid("SASL user is empty"))
		}
	}
	return errors.Join(errs...)
}

// checkTopic applies Kafka's rules for topic names, so that librdkafka is
// never handed a name it cannot make a topic handle for (confluent-kafka-go
// panics then).
func checkTopic(name string) error {
	switch {
	case name == "":
		return errors.New("empty topic name")
	case len(name) > 249:
		return errors.New("topic name longer than 249 characters")
	case name == "." || name == "..":
		return errors.New("topic name not allowed")
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
		if !ok {
			return fmt.Errorf("%q is not one of [a-zA-Z0-9._-]", r)
		}
	}
	return nil
}

func uniq(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// buildSettings turns cfg into librdkafka properties: what the transport
// guarantees, then cfg's fields, then the Options that do not conflict.
func buildSettings(cfg *kafka.Config) (settings, error) {
	common := ckafka.ConfigMap{
		// Partitions the client does not know yet are the caller's
		// mistake, never a reason to create topics.
		"allow.auto.create.topics": false,
	}
	if len(cfg.Brokers) > 0 {
		common["bootstrap.servers"] = strings.Join(cfg.Brokers, ",")
	}
	if cfg.ClientID != "" {
		common["client.id"] = cfg.ClientID
	}
	if err := securitySettings(cfg, common); err != nil {
		return settings{}, err
	}
	keys := make([]string, 0, len(cfg.Options))
	for k := range cfg.Options {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var errs []error
	for _, k := range keys {
		if err := checkOption(cfg, k, cfg.Options[k]); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return settings{}, err
	}
	for _, k := range keys {
		common[k] = cfg.Options[k]
	}
	if _, ok := common["bootstrap.servers"]; !ok {
		if _, ok := common["metadata.broker.list"]; !ok {
			return settings{}, invalid("no Brokers")
		}
	}

	var s settings
	s.producer = clone(common)
	s.producer["enable.idempotence"] = true
	s.producer["acks"] = "all"
	// Delivery reports carry the offset and timestamp; the record is the
	// caller's, so the key and value need not be copied back.
	s.producer["go.delivery.report.fields"] = "none"
	if cfg.TransactionalID != "" {
		s.producer["transactional.id"] = cfg.TransactionalID
	}
	if cfg.Group != "" {
		s.consumer = clone(common)
		// A default an Option may change: a fetch waits at most this
		// long for records, and closing the consumer waits for the fetch
		// in flight (librdkafka's 500 ms made every Close that slow).
		if _, ok := cfg.Options["fetch.wait.max.ms"]; !ok {
			s.consumer["fetch.wait.max.ms"] = 100
		}
		s.consumer["group.id"] = cfg.Group
		s.consumer["enable.auto.commit"] = false
		s.consumer["enable.auto.offset.store"] = false
		s.consumer["isolation.level"] = isolationLevel(cfg)
		s.consumer["auto.offset.reset"] = autoOffsetReset(cfg)
		if cfg.Policy == kafka.Group {
			s.consumer["partition.assignment.strategy"] = "cooperative-sticky"
		}
	}
	return s, nil
}

func clone(m ckafka.ConfigMap) ckafka.ConfigMap {
	c := make(ckafka.ConfigMap, len(m)+8)
	for k, v := range m {
		c[k] = v
	}
	return c
}

func isolationLevel(cfg *kafka.Config) string {
	if cfg.ReadUncommitted {
		return "read_uncommitted"
	}
	return "read_committed"
}

func autoOffsetReset(cfg *kafka.Config) string {
	if cfg.Start == kafka.StartLatest {
		return "latest"
	}
	return "earliest"
}

// checkOption rejects an Option that would break what the transport
// promises, or contradict a field of cfg. Error messages never show the
// values of Options, which may be secrets, except for the few checked
// against fixed values here.
func checkOption(cfg *kafka.Config, key, value string) error {
	v := strings.ToLower(strings.TrimSpace(value))
	switch key {
	case "enable.idempotence":
		if b, err := strconv.ParseBool(v); err != nil || !b {
			return invalid("option %s=%q: idempotence is always on", key, value)
		}
	case "acks", "request.required.acks":
		if v != "all" && v != "-1" {
			return invalid("option %s=%q: acks is always all", key, value)
		}
	case "partitioner", "partitioner_cb":
		return invalid("option %s: the caller picks every record's partition; the client's partitioner never runs", key)
	case "isolation.level":
		if want := isolationLevel(cfg); v != want {
			return invalid("option %s=%q contradicts Config.ReadUncommitted (%s)", key, value, want)
		}
	case "transactional.id":
		if value != cfg.TransactionalID {
			return invalid("option %s=%q contradicts Config.TransactionalID %q; set the field", key, value, cfg.TransactionalID)
		}
	case "group.id":
		if value != cfg.Group {
			return invalid("option %s=%q contradicts Config.Group %q; set the field", key, value, cfg.Group)
		}
	case "enable.auto.commit", "auto.commit.enable":
		if b, err := strconv.ParseBool(v); err != nil || b {
			return invalid("option %s=%q: offsets are committed explicitly, with transactions or CommitOffsets", key, value)
		}
	case "auto.offset.reset":
		return invalid("option %s: set Config.Start", key)
	case "partition.assignment.strategy", "group.protocol", "group.remote.assignor":
		return invalid("option %s: the assignment follows Config.Policy (Group uses cooperative-sticky)", key)
	case "bootstrap.servers", "metadata.broker.list":
		if len(cfg.Brokers) > 0 {
			return invalid("option %s contradicts Config.Brokers; set one of them", key)
		}
	case "client.id":
		if cfg.ClientID != "" && value != cfg.ClientID {
			return invalid("option %s contradicts Config.ClientID %q", key, cfg.ClientID)
		}
	case "sasl.mechanisms", "sasl.mechanism", "sasl.username", "sasl.password":
		if cfg.SASL != nil {
			return invalid("option %s: SASL is set both in Config.SASL and in Options; use one", key)
		}
	case "security.protocol":
		return checkSecurityProtocol(cfg, key, v)
	default:
		if strings.HasPrefix(key, "go.") {
			return invalid("option %s: confluent-kafka-go's own settings are the transport's", key)
		}
	}
	return nil
}

func checkSecurityProtocol(cfg *kafka.Config, key, v string) error {
	sasl, tls := cfg.SASL != nil, cfg.TLS != nil
	ok := true
	switch v {
	case "plaintext":
		ok = !sasl && !tls
	case "ssl":
		ok = !sasl
	case "sasl_plaintext":
		ok = !tls
	case "sasl_ssl":
	default:
		return invalid("option %s=%q: want plaintext, ssl, sasl_plaintext or sasl_ssl", key, v)
	}
	if !ok {
		return invalid("option %s=%q contradicts Config.SASL or Config.TLS", key, v)
	}
	return nil
}

// securitySettings maps cfg.SASL and cfg.TLS to librdkafka properties.
//
// librdkafka runs its own TLS (OpenSSL), so a *tls.Config cannot be passed
// through: its client certificate and key are converted to PEM, and
// InsecureSkipVerify turns certificate verification off; RootCAs, which
// cannot be read out of an x509.CertPool, must be given as the Options
// ssl.ca.location or ssl.ca.pem; callbacks that decide trust are refused.
// Other fields (ServerName, MinVersion, CipherSuites, ...) have no
// librdkafka counterpart and are ignored: librdkafka verifies each
// broker's own host name, and ssl.* Options tune the rest.
func securitySettings(cfg *kafka.Config, m ckafka.ConfigMap) error {
	switch {
	case cfg.SASL != nil && cfg.TLS != nil:
		m["security.protocol"] = "sasl_ssl"
	case cfg.SASL != nil:
		m["security.protocol"] = "sasl_plaintext"
	case cfg.TLS != nil:
		m["security.protocol"] = "ssl"
	}
	if s := cfg.SASL; s != nil {
		m["sasl.mechanisms"] = s.Mechanism
		m["sasl.username"] = s.User
		m["sasl.password"] = s.Password
	}
	t := cfg.TLS
	if t == nil {
		return nil
	}
	has := func(k string) bool { _, ok := cfg.Options[k]; return ok }
	switch {
	case t.GetCertificate != nil || t.GetClientCertificate != nil || t.GetConfigForClient != nil:
		return invalid("TLS: certificate callbacks cannot be passed to librdkafka; set Certificates, or the Options ssl.certificate.location and ssl.key.location")
	case t.VerifyPeerCertificate != nil || t.VerifyConnection != nil:
		return invalid("TLS: verification callbacks cannot be passed to librdkafka")
	case t.RootCAs != nil && !has("ssl.ca.location") && !has("ssl.ca.pem") && !has("ssl.ca.certificate.stores"):
		return invalid("TLS: RootCAs cannot be read out of an x509.CertPool for librdkafka; give the CA as the Option ssl.ca.location (a PEM file) or ssl.ca.pem")
	case len(t.Certificates) > 1:
		return invalid("TLS: librdkafka takes one client certificate, got %d", len(t.Certificates))
	}
	if t.InsecureSkipVerify {
		m["enable.ssl.certificate.verification"] = false
	}
	if len(t.Certificates) == 1 && !has("ssl.certificate.location") && !has("ssl.certificate.pem") {
		certPEM, keyPEM, err := certificatePEM(t.Certificates[0].Certificate, t.Certificates[0].PrivateKey)
		if err != nil {
			return err
		}
		m["ssl.certificate.pem"] = certPEM
		m["ssl.key.pem"] = keyPEM
	}
	return nil
}

func certificatePEM(chain [][]byte, key any) (certPEM, keyPEM string, err error) {
	if len(chain) == 0 || key == nil {
		return "", "", invalid("TLS: the client certificate has no chain or no private key")
	}
	var b strings.Builder
	for _, der := range chain {
		_ = pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", invalid("TLS: client private key: %v", err)
	}
	return b.String(), string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
}
