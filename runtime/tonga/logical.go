package tonga

import (
	"fmt"
	"math"
	"math/big"
	"time"

	"github.com/tonga-go/tonga/runtime/avrobin"
)

// Codec helpers for Avro's time logical types, called by generated code.
// Timestamps decode in UTC; local-timestamp types use the same functions
// and hold the wall-clock reading as a UTC time.

const secondsPerDay = 24 * 60 * 60

// AppendDate appends t's date as days since the Unix epoch (logical type
// date).
func AppendDate(b []byte, t time.Time) []byte {
	days := t.Unix() / secondsPerDay
	if t.Unix()%secondsPerDay < 0 {
		days-- // floor, for dates before 1970
	}
	return avrobin.AppendInt(b, int32(days))
}

// ReadDate reads a date as midnight UTC.
func ReadDate(r *avrobin.Reader) time.Time {
	return time.Unix(int64(r.ReadInt())*secondsPerDay, 0).UTC()
}

// AppendTimeMillis appends d, a time of day, as milliseconds after midnight
// (logical type time-millis).
func AppendTimeMillis(b []byte, d time.Duration) []byte {
	return avrobin.AppendInt(b, int32(d/time.Millisecond))
}

// ReadTimeMillis reads a time-millis value.
func ReadTimeMillis(r *avrobin.Reader) time.Duration {
	return time.Duration(r.ReadInt()) * time.Millisecond
}

// AppendTimeMicros appends d as microseconds after midnight (time-micros).
func AppendTimeMicros(b []byte, d time.Duration) []byte {
	return avrobin.AppendLong(b, int64(d/time.Microsecond))
}

// ReadTimeMicros reads a time-micros value.
func ReadTimeMicros(r *avrobin.Reader) time.Duration {
	return time.Duration(r.ReadLong()) * time.Microsecond
}

// AppendTimestampMillis appends t as milliseconds since the Unix epoch
// (timestamp-millis, local-timestamp-millis).
func AppendTimestampMillis(b []byte, t time.Time) []byte {
	return avrobin.AppendLong(b, t.UnixMilli())
}

// ReadTimestampMillis reads a timestamp-millis value.
func ReadTimestampMillis(r *avrobin.Reader) time.Time {
	return time.UnixMilli(r.ReadLong()).UTC()
}

// AppendTimestampMicros appends t as microseconds since the Unix epoch
// (timestamp-micros, local-timestamp-micros).
func AppendTimestampMicros(b []byte, t time.Time) []byte {
	return avrobin.AppendLong(b, t.UnixMicro())
}

// ReadTimestampMicros reads a timestamp-micros value.
func ReadTimestampMicros(r *avrobin.Reader) time.Time {
	return time.UnixMicro(r.ReadLong()).UTC()
}

// Limits of timestamp-nanos: the times whose nanoseconds since the epoch
// fit an int64.
var (
	minNanos = time.Unix(0, math.MinInt64)
	maxNanos = time.Unix(0, math.MaxInt64)
)

// AppendTimestampNanos appends t as nanoseconds since the Unix epoch
// (timestamp-nanos, local-timestamp-nanos). A time outside 1677-09-21 to
// 2262-04-11, the zero time.Time among them, is an error.
func AppendTimestampNanos(b []byte, t time.Time) ([]byte, error) {
	if t.Before(minNanos) || t.After(maxNanos) {
		return b, fmt.Errorf("tonga: %v is outside the range of timestamp-nanos (%v to %v)", t, minNanos.UTC(), maxNanos.UTC())
	}
	return avrobin.AppendLong(b, t.UnixNano()), nil
}

// ReadTimestampNanos reads a timestamp-nanos value.
func ReadTimestampNanos(r *avrobin.Reader) time.Time {
	return time.Unix(0, r.ReadLong()).UTC()
}

// MustDecimal returns the decimal literal s as a *big.Rat. Generated code
// uses it for decimal defaults, which the generator has checked; it panics
// on a literal that is not a number, like regexp.MustCompile.
func MustDecimal(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic("tonga: invalid decimal literal " + s)
	}
	return r
}
