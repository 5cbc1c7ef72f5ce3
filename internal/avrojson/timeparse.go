package avrojson

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/tonga-go/tonga/internal/schema"
)

// Limits of timestamp-nanos: the times whose nanoseconds since the epoch
// fit an int64.
var (
	minNanos = time.Unix(0, math.MinInt64)
	maxNanos = time.Unix(0, math.MaxInt64)
)

// timeForms are the natural forms of the time logical types, for
// messages.
var timeForms = map[string]string{
	schema.Date:                 `"2006-01-02"`,
	schema.TimeMillis:           `"15:04:05.000"`,
	schema.TimeMicros:           `"15:04:05.000000"`,
	schema.TimestampMillis:      `"2006-01-02T15:04:05.000Z"`,
	schema.TimestampMicros:      `"2006-01-02T15:04:05.000000Z"`,
	schema.TimestampNanos:       `"2006-01-02T15:04:05.000000000Z"`,
	schema.LocalTimestampMillis: `"2006-01-02T15:04:05.000"`,
	schema.LocalTimestampMicros: `"2006-01-02T15:04:05.000000"`,
	schema.LocalTimestampNanos:  `"2006-01-02T15:04:05.000000000"`,
}

// timeValue returns the underlying int or long of a value of a time
// logical type: from its natural form, or a plain integer taken as it is.
func (e *encoder) timeValue(s *schema.Schema, v any) (int64, error) {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if s.Kind == schema.Int {
		lo, hi = math.MinInt32, math.MaxInt32
	}
	switch v := v.(type) {
	case json.Number:
		return e.integer(s, v, lo, hi)
	case string:
		x, err := parseTime(s.Logical, v)
		if err != nil {
			return 0, e.path.errorf("expected a %s such as %s, got %s: %v", s.Logical, timeForms[s.Logical], render(v), err)
		}
		return x, nil
	}
	return 0, e.mismatch(fmt.Sprintf("a %s (a string such as %s, or an integer)", s.Logical, timeForms[s.Logical]), v)
}

// parseTime parses the natural form of a value of the time logical type
// named logical.
func parseTime(logical, s string) (int64, error) {
	switch logical {
	case schema.Date:
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return 0, errors.New("not a date")
		}
		return t.Unix() / secondsPerDay, nil
	case schema.TimeMillis:
		return parseClock(s, millis)
	case schema.TimeMicros:
		return parseClock(s, micros)
	}
	ts := timestamps[logical]
	return parseTimestamp(s, ts.unit, ts.local)
}

// parseClock parses a time of day, "15:04:05" with an optional fraction,
// as a count of unit u since midnight.
func parseClock(s string, u timeUnit) (int64, error) {
	if len(s) < 8 || s[2] != ':' || s[5] != ':' {
		return 0, errors.New("not a time of day")
	}
	var parts [3]int64
	for i := range parts {
		hi, lo := s[3*i], s[3*i+1]
		if !isDigit(hi) || !isDigit(lo) {
			return 0, errors.New("not a time of day")
		}
		parts[i] = int64(hi-'0')*10 + int64(lo-'0')
	}
	if parts[0] > 23 || parts[1] > 59 || parts[2] > 59 {
		return 0, errors.New("hour, minute or second out of range")
	}
	ns, err := parseFraction(s[8:])
	if err != nil {
		return 0, err
	}
	step := 1e9 / u.perSecond
	if ns%step != 0 {
		return 0, fmt.Errorf("more fraction digits than the %d of the type", u.digits)
	}
	return (parts[0]*3600+parts[1]*60+parts[2])*u.perSecond + ns/step, nil
}

// parseFraction parses "" or "." and one to nine digits as nanoseconds.
func parseFraction(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	if s[0] != '.' || len(s) < 2 || len(s) > 10 {
		return 0, errors.New("not a fraction of a second of one to nine digits")
	}
	var ns int64
	for i := 1; i < 10; i++ {
		d := int64(0)
		if i < len(s) {
			if !isDigit(s[i]) {
				return 0, errors.New("not a fraction of a second of one to nine digits")
			}
			d = int64(s[i] - '0')
		}
		ns = ns*10 + d
	}
	return ns, nil
}

// parseTimestamp parses an RFC 3339 timestamp, or if local one without a
// zone, as a count of unit u since the epoch.
func parseTimestamp(s string, u timeUnit, local bool) (int64, error) {
	layout := time.RFC3339
	if local {
		layout = "2006-01-02T15:04:05"
	}
	// time.Parse takes a comma for the decimal point, which RFC 3339 does
	// not, and drops fraction digits beyond nine; refuse both.
	if len(s) > 19 && s[19] == ',' {
		return 0, errors.New("a comma where RFC 3339 has a decimal point")
	}
	if len(s) > 20 && s[19] == '.' {
		n := 0
		for n < len(s)-20 && isDigit(s[20+n]) {
			n++
		}
		if n > 9 {
			return 0, errors.New("more than nine fraction digits")
		}
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		if local {
			return 0, errors.New("not a local timestamp (RFC 3339 without a zone)")
		}
		return 0, errors.New("not an RFC 3339 timestamp")
	}
	step := 1e9 / u.perSecond
	if int64(t.Nanosecond())%step != 0 {
		return 0, fmt.Errorf("more fraction digits than the %d of the type", u.digits)
	}
	if u == nanos {
		if t.Before(minNanos) || t.After(maxNanos) {
			return 0, fmt.Errorf("outside the range of nanoseconds since the epoch (%s to %s)",
				minNanos.UTC().Format(time.RFC3339Nano), maxNanos.UTC().Format(time.RFC3339Nano))
		}
		return t.UnixNano(), nil
	}
	return t.Unix()*u.perSecond + int64(t.Nanosecond())/step, nil
}
