package broker

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"strconv"
)

// ErrInvalidOption is wrapped by every error [Start] and [Broker.CreateTopic]
// return for a bad option or argument, as opposed to a failure to run (a
// port in use, an unreadable data directory).
var ErrInvalidOption = errors.New("broker: invalid option")

// The SASL mechanisms [SASL] and [User] accept.
const (
	Plain       = "PLAIN"
	ScramSHA256 = "SCRAM-SHA-256"
	ScramSHA512 = "SCRAM-SHA-512"
)

// Option configures [Start].
type Option func(*config)

type config struct {
	listen  string
	dataDir string
	topics  []topicSpec
	logger  *slog.Logger

	// superusers and users are SASL credentials; SASL is enabled when
	// there is at least one superuser, and the first one is what Start
	// and CreateTopic authenticate as.
	superusers []credential
	users      []credential
	acls       bool
}

type topicSpec struct {
	name       string
	partitions int
	configs    map[string]string
}

type credential struct {
	mechanism, user, password string
}

func defaultConfig() config {
	return config{listen: "127.0.0.1:0"}
}

// Listen sets the address the broker listens on and advertises to clients,
// overriding 127.0.0.1:0 (a free loopback port). The host must be one that
// clients can connect to: an unspecified host such as 0.0.0.0 or an empty
// one is rejected, because the broker advertises its listener's address in
// metadata.
func Listen(addr string) Option {
	return func(c *config) { c.listen = addr }
}

// DataDir makes the broker persist its state in dir, creating it if needed:
// topics, their configs, records, committed offsets, producer IDs and
// transactions, SASL users and ACLs survive a restart with the same dir.
// Without it the broker keeps everything in memory.
//
// State read back from dir wins over options: SASL credentials come from the
// directory, not from [SASL] or [User] (superuser status still comes from
// the options), and a [Topic] that already exists is left as it is.
func DataDir(dir string) Option {
	return func(c *config) { c.dataDir = dir }
}

// Topic creates a topic at start with the given partition count and topic
// configs, such as {"cleanup.policy": "compact"} for a changelog. It follows
// [Broker.CreateTopic]: a topic that already exists (restored from a
// [DataDir]) with the same partition count is kept as it is, and one with a
// different count fails Start with [ErrTopicConflict].
func Topic(name string, partitions int, configs map[string]string) Option {
	return func(c *config) {
		c.topics = append(c.topics, topicSpec{name, partitions, maps.Clone(configs)})
	}
}

// Logger sends the broker's log lines to l, at their own levels (kfake's
// error, warn, info and debug map to slog's). By default they are dropped.
func Logger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// SASL enables SASL authentication with a superuser, who bypasses ACLs; every
// client must then authenticate. The mechanism is [Plain], [ScramSHA256] or
// [ScramSHA512]. It may be given more than once for several superusers;
// the broker itself creates topics as the first.
func SASL(mechanism, user, password string) Option {
	return func(c *config) {
		c.superusers = append(c.superusers, credential{mechanism, user, password})
	}
}

// User adds a SASL user who is subject to ACLs. It needs [SASL].
func User(mechanism, user, password string) Option {
	return func(c *config) {
		c.users = append(c.users, credential{mechanism, user, password})
	}
}

// ACLs enables ACL enforcement: a request from a user other than a superuser
// is denied unless an ACL allows it. ACLs are managed through the Kafka
// protocol (CreateACLs, for instance kadm's CreateACLs) as a superuser. It
// needs [SASL].
func ACLs() Option {
	return func(c *config) { c.acls = true }
}

// validate checks the configuration as a whole.
func (c *config) validate() error {
	var errs []error
	if err := validateListen(c.listen); err != nil {
		errs = append(errs, err)
	}
	seen := make(map[string]bool)
	for _, t := range c.topics {
		if err := validateTopic(t.name, t.partitions); err != nil {
			errs = append(errs, err)
		} else if seen[t.name] {
			errs = append(errs, invalid("topic %q given twice", t.name))
		}
		seen[t.name] = true
	}
	for _, cr := range append(append([]credential(nil), c.superusers...), c.users...) {
		if err := cr.validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if len(c.superusers) == 0 {
		if len(c.users) > 0 {
			errs = append(errs, invalid("User needs SASL, which enables authentication with a superuser"))
		}
		if c.acls {
			errs = append(errs, invalid("ACLs need SASL: without a superuser nobody could create topics or ACLs"))
		}
	}
	return errors.Join(errs...)
}

func validateListen(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return invalid("listen address %q: %v", addr, err)
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil {
		return invalid("listen address %q: port %q is not a number from 0 to 65535", addr, port)
	} else if n > 65535 {
		return invalid("listen address %q: port %d is above 65535", addr, n)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		return invalid("listen address %q: the host is advertised to clients, so it must be one they can reach, such as 127.0.0.1", addr)
	}
	return nil
}

// validateTopic checks a name as Kafka does (1 to 249 characters from
// [a-zA-Z0-9._-], not "." or "..") and a partition count.
func validateTopic(name string, partitions int) error {
	switch {
	case name == "":
		return invalid("topic name is empty")
	case len(name) > 249:
		return invalid("topic name %.20q... is longer than 249 characters", name)
	case name == "." || name == "..":
		return invalid("topic name %q is not allowed", name)
	}
	for _, r := range name {
		if !legalTopicRune(r) {
			return invalid("topic name %q: %q is not one of [a-zA-Z0-9._-]", name, r)
		}
	}
	if partitions < 1 || partitions > 1<<20 {
		return invalid("topic %q: %d partitions, want from 1 to %d", name, partitions, 1<<20)
	}
	return nil
}

func legalTopicRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return r == '.' || r == '_' || r == '-'
}

func (cr credential) validate() error {
	switch cr.mechanism {
	case Plain, ScramSHA256, ScramSHA512:
	default:
		return invalid("SASL mechanism %q for user %q: want %s, %s or %s", cr.mechanism, cr.user, Plain, ScramSHA256, ScramSHA512)
	}
	if cr.user == "" {
		return invalid("SASL user name is empty")
	}
	return nil
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidOption}, args...)...)
}
