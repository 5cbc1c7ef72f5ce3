package tonga

import "github.com/tonga-go/tonga/runtime/avrobin"

// Duration is the Avro duration logical type: months, days and
// milliseconds, each an unsigned 32-bit count, independent of one another.
type Duration = avrobin.Duration
