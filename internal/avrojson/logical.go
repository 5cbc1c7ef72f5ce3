package avrojson

import (
	"encoding/hex"
	"encoding/json"
	"math"
	"math/big"
	"strconv"
	"time"

	"github.com/tonga-go/tonga/internal/schema"
	"github.com/tonga-go/tonga/runtime/avrobin"
)

// timeUnit is the unit of a time logical type.
type timeUnit struct {
	perSecond int64
	digits    int // fraction digits written
}

var (
	millis = timeUnit{1e3, 3}
	micros = timeUnit{1e6, 6}
	nanos  = timeUnit{1e9, 9}
)

// timestamps maps each timestamp logical type to its unit and whether it
// is local (written without a zone).
var timestamps = map[string]struct {
	unit  timeUnit
	local bool
}{
	schema.TimestampMillis:      {millis, false},
	schema.TimestampMicros:      {micros, false},
	schema.TimestampNanos:       {nanos, false},
	schema.LocalTimestampMillis: {millis, true},
	schema.LocalTimestampMicros: {micros, true},
	schema.LocalTimestampNanos:  {nanos, true},
}

const secondsPerDay = 24 * 60 * 60

// logical decodes a value of a logical type in its natural form.
func (d *decoder) logical(s *schema.Schema) error {
	r := d.r
	switch s.Logical {
	case schema.Decimal:
		var p []byte
		if s.Kind == schema.Fixed {
			p = d.fixed(s.Size)
		} else {
			p = r.ReadBytes()
		}
		if err := d.check(); err != nil {
			return err
		}
		d.out = append(d.out, '"')
		d.out = formatDecimal(d.out, twos(p), s.Scale)
		d.out = append(d.out, '"')
	case schema.UUID:
		if s.Kind == schema.String {
			d.out = appendString(d.out, r.ReadString())
		} else {
			d.out = appendUUID(d.out, d.fixed(16))
		}
	case schema.Date:
		d.out = appendDate(d.out, r.ReadInt())
	case schema.TimeMillis:
		d.out = appendClock(d.out, int64(r.ReadInt()), millis)
	case schema.TimeMicros:
		d.out = appendClock(d.out, r.ReadLong(), micros)
	case schema.DurationLogical:
		v := r.ReadDuration()
		d.out = append(d.out, `{"months":`...)
		d.out = strconv.AppendUint(d.out, uint64(v.Months), 10)
		d.out = append(d.out, `,"days":`...)
		d.out = strconv.AppendUint(d.out, uint64(v.Days), 10)
		d.out = append(d.out, `,"milliseconds":`...)
		d.out = strconv.AppendUint(d.out, uint64(v.Milliseconds), 10)
		d.out = append(d.out, '}')
	default:
		ts, ok := timestamps[s.Logical]
		if !ok { // not a logical type this package knows: the underlying type
			plain := *s
			plain.Logical = ""
			return d.value(&plain)
		}
		d.out = appendTimestamp(d.out, r.ReadLong(), ts.unit, ts.local)
	}
	return d.check()
}

func appendUUID(b, p []byte) []byte {
	if len(p) != 16 {
		return append(b, "null"...) // only after a read error
	}
	b = append(b, '"')
	for i, c := range p {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return append(b, '"')
}

// inYearRange reports whether t's year has four digits, which RFC 3339 and
// time.Parse need.
func inYearRange(t time.Time) bool { return t.Year() >= 0 && t.Year() <= 9999 }

// appendDate appends days since the epoch as "2006-01-02", or as the plain
// number for a year outside 0000-9999.
func appendDate(b []byte, days int32) []byte {
	t := time.Unix(int64(days)*secondsPerDay, 0).UTC()
	if !inYearRange(t) {
		return strconv.AppendInt(b, int64(days), 10)
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.DateOnly)
	return append(b, '"')
}

// appendClock appends v, a time of day in unit u after midnight, as
// "15:04:05.000", or as the plain number outside a day.
func appendClock(b []byte, v int64, u timeUnit) []byte {
	if v < 0 || v >= secondsPerDay*u.perSecond {
		return strconv.AppendInt(b, v, 10)
	}
	sec, frac := v/u.perSecond, v%u.perSecond
	b = append(b, '"')
	for _, part := range [...]int64{sec / 3600, sec / 60 % 60, sec % 60} {
		b = append(b, byte('0'+part/10), byte('0'+part%10))
		b = append(b, ':')
	}
	b[len(b)-1] = '.'
	b = appendPadded(b, frac, u.digits)
	return append(b, '"')
}

// appendPadded appends v, non-negative, in decimal with zeros before it to
// width digits.
func appendPadded(b []byte, v int64, width int) []byte {
	s := strconv.FormatInt(v, 10)
	for range width - len(s) {
		b = append(b, '0')
	}
	return append(b, s...)
}

// appendTimestamp appends v, in unit u since the epoch, as RFC 3339 in UTC
// with the unit's fraction digits, without the Z if local, or as the plain
// number for a year outside 0000-9999.
func appendTimestamp(b []byte, v int64, u timeUnit, local bool) []byte {
	sec, frac := v/u.perSecond, v%u.perSecond
	if frac < 0 {
		sec, frac = sec-1, frac+u.perSecond
	}
	t := time.Unix(sec, frac*(1e9/u.perSecond)).UTC()
	if !inYearRange(t) {
		return strconv.AppendInt(b, v, 10)
	}
	b = append(b, '"')
	b = t.AppendFormat(b, "2006-01-02T15:04:05")
	b = append(b, '.')
	b = appendPadded(b, frac, u.digits)
	if !local {
		b = append(b, 'Z')
	}
	return append(b, '"')
}

// logical encodes a value of a logical type from its natural form or, for
// the types on int and long, from a plain integer.
func (e *encoder) logical(b []byte, s *schema.Schema, v any) ([]byte, error) {
	switch s.Logical {
	case schema.Decimal:
		return e.decimal(b, s, v)
	case schema.UUID:
		if s.Kind == schema.String {
			plain := *s
			plain.Logical = ""
			return e.value(b, &plain, v)
		}
		str, _ := v.(string)
		p, ok := parseUUID(str)
		if !ok {
			return b, e.mismatch(`a uuid ("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" in hex)`, v)
		}
		return avrobin.AppendFixed(b, p[:]), nil
	case schema.DurationLogical:
		return e.duration(b, v)
	}
	if _, ok := timeForms[s.Logical]; !ok { // not a logical type this package knows
		plain := *s
		plain.Logical = ""
		return e.value(b, &plain, v)
	}
	x, err := e.timeValue(s, v)
	if err != nil {
		return b, err
	}
	if s.Kind == schema.Int {
		return avrobin.AppendInt(b, int32(x)), nil
	}
	return avrobin.AppendLong(b, x), nil
}

// decimal encodes a decimal from a string or a number, exactly.
func (e *encoder) decimal(b []byte, s *schema.Schema, v any) ([]byte, error) {
	var lit string
	switch v := v.(type) {
	case string:
		lit = v
	case json.Number:
		lit = string(v)
	default:
		return b, e.mismatch(`a decimal (a string such as "-12.34", or a number)`, v)
	}
	n, ok := parseNumber(lit)
	if !ok {
		return b, e.mismatch(`a decimal (a string such as "-12.34", or a number)`, v)
	}
	x, err := n.unscaled(s.Scale)
	if err != nil {
		return b, e.path.errorf("decimal %s %s", render(v), err)
	}
	value := new(big.Rat).SetFrac(x, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(s.Scale)), nil))
	if s.Kind == schema.Fixed {
		out, err := avrobin.AppendDecimalFixed(b, value, s.Scale, s.Size)
		if err != nil {
			return b, e.path.errorf("decimal %s does not fit in fixed %s of %d byte%s", render(v), s.FullName, s.Size, plural(s.Size))
		}
		return out, nil
	}
	return avrobin.AppendDecimalBytes(b, value, s.Scale)
}

// parseUUID parses the canonical 8-4-4-4-12 hex form of a uuid.
func parseUUID(s string) (p [16]byte, ok bool) {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return p, false
	}
	h := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:36]
	_, err := hex.Decode(p[:], []byte(h))
	return p, err == nil
}

// duration encodes {"months": m, "days": d, "milliseconds": ms}.
func (e *encoder) duration(b []byte, v any) ([]byte, error) {
	const want = `a duration ({"months": m, "days": d, "milliseconds": ms})`
	m, ok := v.(map[string]any)
	if !ok || len(m) != 3 {
		return b, e.mismatch(want, v)
	}
	var parts [3]uint32
	for i, name := range [...]string{"months", "days", "milliseconds"} {
		lit, ok := m[name].(json.Number)
		if !ok {
			return b, e.path.errorf("expected %s, got %s: %q is %s", want, render(v), name, render(m[name]))
		}
		x, err := integerValue(string(lit), false)
		if err != nil || x < 0 || x > math.MaxUint32 {
			return b, e.path.errorf("duration %s %s is not an integer in [0, %d]", name, lit, uint32(math.MaxUint32))
		}
		parts[i] = uint32(x)
	}
	return avrobin.AppendDuration(b, avrobin.Duration{Months: parts[0], Days: parts[1], Milliseconds: parts[2]}), nil
}
