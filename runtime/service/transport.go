package service

import "github.com/tonga-go/tonga/runtime/kafka/franz"

// defaultTransport is franz-go's: pure Go, so a service builds with
// CGO_ENABLED=0. Use WithTransport(rdkafka.New) for librdkafka.
var defaultTransport Transport = franz.New
